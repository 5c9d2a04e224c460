#include "app/cache_setup.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

namespace megabatch::app {

std::unique_ptr<cache::Store> open_configured_store(const Config& config) {
  if (config.cache == "off") return nullptr;
  cache::StoreOptions options;
  options.max_bytes = static_cast<std::uint64_t>(config.cache_max_mb) << 20;
  return cache::open_store(config.cache, config.cache_dir, options);
}

std::unique_ptr<graph::ResultCache> open_result_cache(const Config& config, const program::Dag& dag,
                                                      const std::vector<Task>& tasks, const std::string& settings) {
  std::unique_ptr<cache::Store> store;
  try {
    store = open_configured_store(config);
  } catch (const std::exception& e) {
    spdlog::error("{}; the run goes on without the cache", e.what());
    return nullptr;
  }
  if (!store) return nullptr;
  spdlog::info("cache: {}", store->where());
  return std::make_unique<graph::ResultCache>(std::move(store), dag, tasks, settings);
}

void print_cache_line(const graph::CacheMetrics& m) {
  const std::uint64_t looked = m.hits + m.misses;
  std::printf("cache %s: %llu hits, %llu misses (%.1f%%), %llu evaluations saved, %llu stored, %.1f MB read, %.1f MB written%s%s\n",
              m.where.c_str(), static_cast<unsigned long long>(m.hits), static_cast<unsigned long long>(m.misses),
              looked ? 100.0 * static_cast<double>(m.hits) / static_cast<double>(looked) : 0.0,
              static_cast<unsigned long long>(m.evaluations_saved), static_cast<unsigned long long>(m.stored),
              static_cast<double>(m.bytes_read) / 1e6, static_cast<double>(m.bytes_written) / 1e6,
              m.corrupt ? (", " + std::to_string(m.corrupt) + " corrupt entries replaced").c_str() : "",
              m.failed.empty() ? "" : " (stopped: see the error above)");
}

}  // namespace megabatch::app
