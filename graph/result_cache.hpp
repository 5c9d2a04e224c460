// The result cache: a (program, task) pair's outcome kept across runs, instances and machines, so a
// rerun, a resumed search or a second instance skips evaluations it has already paid for.
//
// Key: md5 of the engine's semantics version (cpu::kSemanticsVersion), the program's structure
// (engine/program/fingerprint.hpp: dialect included, names not), the task's content (not its file
// name) and the settings that decide an outcome (budgets, waves, pruning). Value: the per-sample
// statuses, the test predictions and the cost units, everything the outputs are made from, so a hit
// changes no output byte. A pair stopped by the wall-clock budget depends on the machine's load and
// is never kept.
//
// A store that fails (corrupt, full, unreachable) is reported in one line and the run goes on
// without it; a corrupt entry is a miss and is overwritten.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cache/store.hpp"
#include "cpu/dsl/registry.hpp"
#include "graph/engine.hpp"

namespace megabatch::graph {

// Serialised pair outcomes: a versioned, checksummed record. decode() checks it against the task
// (sample counts, statuses, ARC grids) and returns nothing for anything malformed.
std::string encode_pair(const PairResult& pair);
std::optional<PairResult> decode_pair(std::string_view record, const Task& task, std::uint32_t program);
// The record's own consistency (checksum, layout), without a task: `megabatch cache verify`.
bool well_formed_pair(std::string_view record);

class ResultCache {
 public:
  // `settings`: what besides program and task decides an outcome, as one line; `semantics`: the
  // engine's version of what programs mean (tests pass another to see it miss).
  ResultCache(std::unique_ptr<cache::Store> store, const program::Dag& dag, const std::vector<Task>& tasks,
              std::string settings, int semantics = cpu::kSemanticsVersion);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // The cached outcome of each of `programs` on `task` (nothing for a miss).
  std::vector<std::optional<PairResult>> find(std::uint32_t task, std::span<const std::uint32_t> programs);
  // Keeps a computed pair; written in batches (flush() writes what is left).
  void add(std::uint32_t task, const PairResult& pair);
  void flush();
  CacheMetrics metrics() const;
  bool active() const;

  // The key of (program, task): 32 raw bytes, the task's then the program's (see the constructor).
  std::string key(std::uint32_t program, std::uint32_t task) const;

 private:
  void disable(const cache::Store* failed, const std::exception& e);
  bool active_locked() const;  // under mutex_: no failure seen

  // store_mutex_ guards the store's life (shared: using it; unique: dropping it after a failure);
  // mutex_ guards the pending writes and the counters. Never mutex_ then store_mutex_.
  mutable std::shared_mutex store_mutex_;
  mutable std::mutex mutex_;
  std::unique_ptr<cache::Store> store_;
  const std::vector<Task>& tasks_;
  std::string settings_;
  std::vector<std::string> program_keys_, task_keys_;
  std::vector<std::pair<std::string, std::string>> pending_;
  CacheMetrics metrics_;
  std::uint64_t counted_hits_ = 0, counted_misses_ = 0;  // already added to the store's lifetime counters
};

}  // namespace megabatch::graph
