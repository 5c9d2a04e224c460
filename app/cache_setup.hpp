// Opening the result cache a config names, and reporting what it did: shared by `run` and `cache`.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cache/store.hpp"
#include "engine/config.hpp"
#include "engine/task.hpp"
#include "graph/engine.hpp"
#include "graph/result_cache.hpp"

namespace megabatch::app {

// The store `config.cache` names (throws cache::CacheError); null when the cache is off.
std::unique_ptr<cache::Store> open_configured_store(const Config& config);

// The run's result cache, or null when it is off or cannot be opened (said in one line: the run
// goes on without it).
std::unique_ptr<graph::ResultCache> open_result_cache(const Config& config, const program::Dag& dag,
                                                      const std::vector<Task>& tasks, const std::string& settings);

// "cache lmdb:.cache/megabatch: 380 hits, 20 misses (95.0%), 151234 evaluations saved, 20 stored, 0.4 MB read, 0.0 MB written"
void print_cache_line(const graph::CacheMetrics& m);

}  // namespace megabatch::app
