// CPU executor: evaluates the shared program DAG on samples, node by node, under per-evaluation
// budgets. A node shared by many programs is evaluated once per sample; a program's budget is
// charged with the cost of every node in its slice, so sharing never changes whose budget ran out.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <span>
#include <string>
#include <vector>

#include "cpu/prune.hpp"
#include "engine/program/dag.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

// Pruned: stopped early because its output provably cannot have the expected shape (see BatchItem).
enum class EvalStatus : std::uint8_t { Ok, Error, Budget, Pruned };
const char* to_string(EvalStatus s);


// Limits of one (program, sample) evaluation.
struct EvalLimits {
  std::int64_t max_cells = 4'000'000;
  std::int64_t max_calls = 1'000'000;
  std::int64_t wall_ms = 1'000;
};

// The values of a task's nodes that depend on S and not on I (tokpidjin's functions of the demo
// pairs: c_iz_n(S, ...), a_mr(S)): the same for every sample of the task, so computed once, under a
// budget of their own, and charged to every program that uses them as if recomputed. Shared by the
// threads evaluating the task's samples.
class TaskMemo {
 public:
  struct Entry {
    EvalStatus status;
    Value value;
    std::string message;
    std::int64_t calls, cells;
    bool clock = false;  // a Budget status the wall clock caused
  };
  std::optional<Entry> find(program::NodeId node) const;
  void insert(program::NodeId node, Entry entry);  // the first insert of a node wins
  void clear();                                    // the task is done: free its values

 private:
  mutable std::mutex mutex_;
  std::unordered_map<program::NodeId, Entry> entries_;
};

// The inputs a program sees: arc-dsl's `I`; tokpidjin's dialect adds `S` (the demo pairs as a tuple
// of (input, output)) and `C` (None: megabatch never leaks the expected output), and its task's memo.
struct Sample {
  Value I;
  Value S;
  Value C;
  TaskMemo* memo = nullptr;  // null: nothing is shared between samples
};

struct Outcome {
  EvalStatus status = EvalStatus::Error;
  Value value;          // Ok only
  std::string message;  // Error/Budget: the primitive and the reason
  // Work charged to the program (its whole slice, shared nodes included): a deterministic cost.
  std::int64_t calls = 0, cells = 0;
  // A budget stop the wall clock caused, which depends on the machine's load (the result cache
  // never keeps such an outcome).
  bool timed_out = false;
};

// The DAG with every name resolved once (primitives to ids, constants and literals to values).
class CompiledDag {
 public:
  explicit CompiledDag(const program::Dag& dag);
  const program::Dag& dag() const { return dag_; }
  // What can prove program p's output wrong early (cpu/prune.hpp): the nodes whose grid shape
  // fixes its shape, and its colour chain if its output step is one.
  const std::vector<ShapeWitness>& shape_witnesses(std::size_t program) const { return witnesses_[program].shape; }
  const std::vector<ColourWitness>& colour_witnesses(std::size_t program) const { return witnesses_[program].colour; }
  // Whether a step's value depends on S and not on I: one value per task (TaskMemo).
  bool per_task(program::NodeId id) const { return per_task_[id] != 0; }
  std::size_t size() const { return nodes_.size(); }
  std::size_t program_count() const { return dag_.programs().size(); }

 private:
  friend class Evaluator;
  enum class Op : std::uint8_t { Value, ParamI, ParamS, ParamC, CallPrimitive, CallValue, Unresolved };
  struct CNode {
    Op op = Op::Unresolved;
    int primitive = -1;          // CallPrimitive: the primitive id
    program::NodeId callee = 0;  // CallValue: the node holding the callable
    std::uint32_t first_arg = 0, arg_count = 0;
    Value value;                 // Value: the constant, literal or primitive-as-value
    std::string error;           // Unresolved: why
  };
  const program::Dag& dag_;
  std::vector<CNode> nodes_;
  std::vector<program::NodeId> args_;
  std::vector<Witnesses> witnesses_;  // by program
  std::vector<std::uint8_t> per_task_;  // by node
};

// Per-thread evaluation scratch; reusable across samples (allocations are kept).
class Evaluator {
 public:
  explicit Evaluator(const CompiledDag& dag) : dag_(dag) {}

  // Evaluates the union of the slices of `programs` on `sample`; fills one Outcome per program.
  // With `expected`, a program stops (Pruned) once a shape or colour witness proves its output
  // cannot equal that grid, and steps only pruned programs need are not run.
  void run(std::span<const std::uint32_t> programs, const Sample& sample, const EvalLimits& limits,
           std::vector<Outcome>& out, const Grid* expected = nullptr);

  // Node evaluations performed so far (for metrics).
  std::uint64_t node_evaluations() const { return node_evals_; }

 private:
  TaskMemo::Entry compute_for_task(const CompiledDag::CNode& c, const EvalLimits& limits, std::int64_t wall_ns);
  struct NodeState {
    EvalStatus status;
    std::int64_t cells, calls, ns;
    bool clock = false;  // a Budget status the wall clock caused
  };
  const CompiledDag& dag_;
  std::vector<Value> values_;
  std::vector<NodeState> state_;
  // A failed step's message, as an index into message_pool_ (failures propagate to every dependent
  // step, and pruned steps are many: copying an index costs nothing, copying a string allocates).
  std::vector<std::uint32_t> messages_;
  std::vector<std::string> message_pool_{"", "not run: every program using it was pruned", "budget spent before this step"};
  static constexpr std::uint32_t kNotRunMessage = 1, kBudgetSpentMessage = 2, kFixedMessages = 3;
  std::uint32_t message(std::string text) {
    message_pool_.push_back(std::move(text));
    return static_cast<std::uint32_t>(message_pool_.size() - 1);
  }
  std::vector<std::uint32_t> stamp_;
  std::vector<program::NodeId> order_;
  // Per run: the requested programs using each node of order_, and what each program has spent.
  struct Spent {
    std::int64_t cells = 0, calls = 0, ns = 0;
  };
  std::vector<std::uint32_t> position_, member_begin_, members_, cursor_;
  // Per position in order_: the last position whose step reads this node's value (kKeep: read after
  // the steps, as an output or by a pruning witness). A value is dropped after its last reader, so a
  // sample's peak memory is its live values, not every value all its programs made.
  std::vector<std::uint32_t> last_read_;
  std::vector<Spent> spent_;
  struct Check {
    std::uint32_t ready;  // looked at before the step at this position of order_, once what it reads exists
    std::uint32_t program;
    bool colour;          // a colour witness; else a shape witness
    bool transposed;      // shape witnesses
    program::NodeId node;  // the witness node (shape) or the index of the colour witness
  };
  std::vector<Check> checks_;
  std::vector<std::uint8_t> pruned_;
  // Programs whose outcome a failed line has decided: CPython stops at the first line that raises, so
  // their later steps are neither needed nor charged to them.
  std::vector<std::uint8_t> failed_;
  std::uint32_t generation_ = 0;
  std::uint64_t node_evals_ = 0;
};

// Time and node evaluations per primitive (index = primitive id; the last slot counts calls of
// callables held in variables), summed over every Evaluator of the process.
struct PrimitiveTime {
  std::int64_t ns = 0, evaluations = 0;
  int id = -1;  // the primitive (primitive_times_by_cost only; -1: closures and the rest)
};
std::vector<PrimitiveTime> primitive_times();
void reset_primitive_times();
// The same, named ("<callable>" for the last slot), slowest first, primitives never evaluated left out.
std::vector<std::pair<std::string, PrimitiveTime>> primitive_times_by_cost();

// One unit of a batch: programs to run on one sample. `expected`, when set, allows pruning
// (Evaluator::run): only for a sample where any failure, whatever its kind, is all the caller needs.
struct BatchItem {
  const Sample* sample;
  std::vector<std::uint32_t> programs;
  const Grid* expected = nullptr;
};

// Evaluates many samples in parallel (tbb::parallel_for) and hands each item's outcomes (matching
// items[k].programs) to `consume` on the thread that computed them, as soon as they exist. The values
// they hold are dropped when `consume` returns: a batch never keeps every program's output of every
// sample alive at once, only each thread's current item.
using ItemConsumer = std::function<void(std::size_t item, std::vector<Outcome>& outcomes)>;
void evaluate_batch(const CompiledDag& dag, std::span<const BatchItem> items, const EvalLimits& limits,
                    const ItemConsumer& consume);
// The same, keeping every outcome: results[k] matches items[k].programs (tests, small batches).
void evaluate_batch(const CompiledDag& dag, std::span<const BatchItem> items, const EvalLimits& limits,
                    std::vector<std::vector<Outcome>>& results);

}  // namespace megabatch::cpu
