// Messages of the flow graph: work items, batches and their results. Messages carry batches,
// never single samples, so each node body does enough work to amortise the graph's overhead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cpu/executor.hpp"
#include "engine/grid.hpp"

namespace megabatch::graph {

// Status of one (program, sample) as results.jsonl reports it.
enum class SampleStatus : std::uint8_t { Skipped, Match, Mismatch, Error, Budget };
const char* to_string(SampleStatus s);

// A group of programs to run on one sample of one task.
struct WorkItem {
  std::uint32_t task = 0;
  std::uint32_t sample = 0;  // index into the task's train pairs, or its test pairs when `test`
  bool test = false;
  // A first-wave train sample in waves mode: a failure of any kind only ends the pair, which is
  // then never reported, so the executor may stop programs whose output cannot have the expected shape.
  bool prune = false;
  std::vector<std::uint32_t> programs;
};

enum class Route : std::uint8_t { Cpu, Gpu };

struct Batch {
  std::uint64_t id = 0;
  std::vector<WorkItem> items;
  std::size_t evaluations = 0;  // sum of the items' program counts: the router's size
  bool hash_values = false;     // fill ItemResult::value_hash for train samples (state dedupe)
};

// One item's results: a status per program and, for test samples, the predicted grid.
struct ItemResult {
  std::vector<SampleStatus> status;
  std::vector<std::optional<Grid>> prediction;  // test samples only; an output that is an ARC grid
  std::vector<std::int64_t> cost;               // deterministic work units (see cost_units)
  std::vector<std::uint8_t> timed_out;          // 1: stopped by the wall clock (Outcome::timed_out)
  std::size_t pruned = 0;                       // evaluations stopped as proven mismatches
  // Train samples of a Batch::hash_values batch: the output's hash, 0 when there is no value (an error,
  // a budget stop, a pruned step). Empty otherwise.
  std::vector<std::uint64_t> value_hash;
};

// Work units of one evaluation: primitive calls plus allocated cells / 32. Deterministic, unlike
// wall time, so speed buckets and outputs are identical from run to run and across resumes.
inline std::int64_t cost_units(std::int64_t calls, std::int64_t cells) { return calls + cells / 32; }

struct BatchResult {
  std::shared_ptr<const Batch> batch;
  std::vector<ItemResult> items;
  Route route = Route::Cpu;
  std::uint64_t errors = 0, budget_stops = 0, pruned = 0;
  std::uint64_t device_rows = 0;  // evaluations a GPU executor ran on its device path
  double seconds = 0;
};

using BatchPtr = std::shared_ptr<const Batch>;
using BatchResultPtr = std::shared_ptr<BatchResult>;

}  // namespace megabatch::graph
