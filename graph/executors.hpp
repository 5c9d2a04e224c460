// The router's targets. A BatchExecutor runs every item of a batch and compares each output with
// the expected grid. The CPU executor wraps cpu::evaluate_batch; a GPU executor plugs in here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cpu/executor.hpp"
#include "engine/task.hpp"
#include "graph/work.hpp"

namespace megabatch::graph {

// What an executor needs to know about the run: the programs, the tasks and their samples.
struct RunContext {
  const cpu::CompiledDag* dag = nullptr;
  const std::vector<Task>* tasks = nullptr;
  // samples[task][k]: train pairs first, then test pairs (inputs as Values, S bound per task).
  std::vector<std::vector<cpu::Sample>> samples;
  // memos[task]: the task's values of S-only nodes, shared by its samples; cleared when it finishes.
  std::vector<std::unique_ptr<cpu::TaskMemo>> memos;
  cpu::EvalLimits limits;

  const cpu::Sample& sample(const WorkItem& item) const;
  // The expected output of an item's sample, or null when unknown (a test without its output).
  const Grid* expected(const WorkItem& item) const;
};

RunContext make_run_context(const cpu::CompiledDag& dag, const std::vector<Task>& tasks, const cpu::EvalLimits& limits);

class BatchExecutor {
 public:
  virtual ~BatchExecutor() = default;
  virtual const char* name() const = 0;
  virtual BatchResultPtr execute(const BatchPtr& batch) = 0;
  // Whether the batch holds work for this executor's device (a GPU executor: some row its device path
  // takes); the router sends the rest to the CPU.
  virtual bool takes(const Batch&) const { return true; }
  // Pays a device's one-time costs (context, first allocations, module load) before the run starts, so
  // that no batch, and no measurement of the router's probe, carries them.
  virtual void warm_up() {}
};

class CpuExecutor final : public BatchExecutor {
 public:
  explicit CpuExecutor(const RunContext& context) : context_(context) {}
  const char* name() const override { return "cpu"; }
  BatchResultPtr execute(const BatchPtr& batch) override;

 private:
  const RunContext& context_;
};

// How every executor turns outcomes into an ItemResult, so that results are the same whichever ran a
// batch: size the item's vectors, record one program's outcome (status, cost, prediction, state hash),
// and count a batch's errors, budget stops and pruned evaluations.
void prepare_item(const WorkItem& w, bool hash_values, ItemResult& r);
void record_outcome(const cpu::Outcome& o, const WorkItem& w, std::size_t p, const Grid* expected, ItemResult& r);
void tally(BatchResult& result);

// Compares one outcome with the expected grid (null: unknown) into a status.
SampleStatus classify(const cpu::Outcome& outcome, const Grid* expected);
// The grid an outcome holds, when it is a non-empty rectangular grid of ints.
std::optional<Grid> as_grid(const Value& v);

}  // namespace megabatch::graph
