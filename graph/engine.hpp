// The mega-batch engine: a oneTBB flow graph from tasks to per-task validated results.
//
//   tasks (input_node) -> task window (limiter_node) -> batcher (serial) -> queue -> in-flight
//   limiter -> router (multifunction_node) -> cpu | gpu executor -> gather (per-task countdown)
//   -> next wave back to the batcher, or -> finish (serial: validation, then the TaskSink).
//
// Waves: a (program, task) pair runs a task's k-th train sample (in the wave order) only if it
// matched the samples before it, and the test inputs only once it matched every train sample;
// `exhaustive` runs every sample at once.
#pragma once

#include <stdexcept>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/executors.hpp"
#include "graph/routing.hpp"

namespace megabatch::graph {

// The order in which waves visit a task's train samples. `Given` stops a pair at its first wrong
// demo in file order, as the Python reference runs did; `SmallestFirst` runs the demos with the
// fewest input cells first, so most failing candidates are caught on the cheapest demo. Passing
// pairs, predictions and the submission are the same either way; only which samples a failing
// pair was run on (its `skipped` statuses) differs.
enum class WaveOrder { Given, SmallestFirst };

class ResultCache;  // graph/result_cache.hpp

struct EngineOptions {
  bool exhaustive = false;
  WaveOrder wave_order = WaveOrder::Given;
  std::size_t max_batch = 4096;       // evaluations per batch
  std::size_t min_gpu_batch = 256;    // the router sends batches at least this big to the GPU
  // Measure the threshold instead (graph/routing.hpp): min_gpu_batch is then not read.
  bool auto_gpu_batch = false;
  int max_wait_ms = 5;                // a partial batch waits at most this long for company
  std::size_t inflight_batches = 4;   // batches between the batcher and gather at once
  std::size_t task_window = 64;       // tasks admitted at once: bounds the work held in memory
  // Waves mode: on the first wave, stop programs whose output cannot have the demo output's shape.
  bool prune = true;
  // Pairs found here are not run; pairs computed are added to it (null: no cache).
  ResultCache* cache = nullptr;
  // Candidates whose outputs agree on every demo input they ran on are one state per task
  // (graph/states.hpp): only the shortest is reported, and only it runs on the test inputs.
  bool dedupe_states = false;
  // When set (Ctrl-C), no further task starts: the tasks under way finish and the run ends with
  // them, every output written, and --resume runs the rest.
  const std::atomic<bool>* stop = nullptr;
};

// Everything known about one (program, task) pair when its task completes.
struct PairResult {
  std::uint32_t program = 0;
  std::vector<SampleStatus> train, test;
  std::vector<std::optional<Grid>> predictions;  // one per test input
  std::int64_t cost = 0;                          // work units over every sample run
  bool timed_out = false;  // a sample hit the wall-clock budget: depends on the machine, never cached
  bool cached = false;     // read from the result cache, not computed in this run
  // State dedupe (EngineOptions::dedupe_states): the sum of state_term() over the demo outputs, and
  // whether a demo left no value to hash; `same_state` counts the pairs folded into this one.
  std::uint64_t state = 0;
  bool stateless = false;
  std::uint32_t same_state = 0;
  bool pass() const;                              // every train sample matched
  std::size_t train_matches() const;
  std::size_t test_matches() const;
};

struct TaskResult {
  std::uint32_t task = 0;
  std::vector<PairResult> pairs;  // every candidate program, in candidate order (less those folded by state)
  std::uint64_t evaluations = 0, skipped = 0;
};

// Receives each task once all of its work is back; called from one thread at a time.
class TaskSink {
 public:
  virtual ~TaskSink() = default;
  virtual void on_task(TaskResult&& result) = 0;
};

// What one program cost over the whole run: deterministic work units (cost_units), so the
// costliest candidates of a run are the same on every machine and every rerun.
struct ProgramCost {
  std::uint64_t evaluations = 0, errors = 0, budget_stops = 0;
  std::int64_t cost = 0;
};

// Up to `k` program ids, costliest first (ties to the lower id); programs never evaluated are left out.
std::vector<std::uint32_t> costliest_programs(const std::vector<ProgramCost>& costs, std::size_t k);

// What the result cache did in a run (graph/result_cache.hpp).
struct CacheMetrics {
  std::string where;   // the store, or empty when none was opened
  std::string failed;  // the error that stopped the cache, if one did
  std::uint64_t hits = 0, misses = 0, stored = 0, corrupt = 0;
  std::uint64_t bytes_read = 0, bytes_written = 0;
  std::uint64_t evaluations_saved = 0;  // samples the hits did not have to run
};

struct EngineMetrics {
  bool stopped = false;  // EngineOptions::stop ended it before every task ran
  std::uint64_t tasks = 0, programs = 0, dag_nodes = 0, samples = 0;
  std::vector<ProgramCost> program_costs;  // by program id
  std::uint64_t evaluations = 0, skipped = 0, errors = 0, budget_stops = 0, pruned = 0;
  // State dedupe: pairs folded into a shorter program, and the test evaluations that saved.
  std::uint64_t state_duplicates = 0, state_tests_saved = 0;
  std::uint64_t batches = 0, cpu_batches = 0, gpu_batches = 0;
  std::map<std::size_t, std::uint64_t> batch_size_histogram;  // power-of-two bucket upper bound -> count
  double seconds_total = 0, seconds_execute = 0, seconds_gather = 0, seconds_finish = 0;
  std::optional<CacheMetrics> cache;  // when the run had a result cache
  // When the run had GPU executors: the router's threshold (measured, when automatic), and the batches
  // each device ran.
  std::optional<RoutingReport> routing;
  std::vector<std::uint64_t> device_batches;
};

// Which programs run on which task: all of them, or only those a predicate admits (--own).
using CandidateFilter = std::function<bool(std::uint32_t task, std::uint32_t program)>;

// Progress callback: tasks done so far, of total (called from the finish stage).
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// A failure inside the flow graph (a sink that cannot write, an allocation that fails): the run
// stopped, with the finished tasks journaled for --resume.
class RunFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Engine {
 public:
  Engine(const RunContext& context, EngineOptions options, BatchExecutor& cpu, BatchExecutor* gpu = nullptr);
  // One GPU executor per device: each has its own device thread, and a batch the router sends to the GPU
  // goes to the device with the fewest batches queued or running.
  Engine(const RunContext& context, EngineOptions options, BatchExecutor& cpu, std::vector<BatchExecutor*> gpus);

  // Runs `task_order` (indices into the context's tasks) through the graph.
  EngineMetrics run(const std::vector<std::uint32_t>& task_order, const CandidateFilter& filter, TaskSink& sink,
                    const ProgressFn& progress = {});


 private:
  const RunContext& context_;
  EngineOptions options_;
  BatchExecutor& cpu_;
  std::vector<BatchExecutor*> gpus_;
};

}  // namespace megabatch::graph
