#include "graph/executors.hpp"

#include <chrono>

namespace megabatch::graph {

const char* to_string(SampleStatus s) {
  switch (s) {
    case SampleStatus::Skipped: return "skipped";
    case SampleStatus::Match: return "match";
    case SampleStatus::Mismatch: return "mismatch";
    case SampleStatus::Error: return "error";
    case SampleStatus::Budget: return "budget";
  }
  return "?";
}

const cpu::Sample& RunContext::sample(const WorkItem& item) const {
  const Task& t = (*tasks)[item.task];
  return samples[item.task][item.test ? t.train.size() + item.sample : item.sample];
}

const Grid* RunContext::expected(const WorkItem& item) const {
  const Task& t = (*tasks)[item.task];
  if (!item.test) return &t.train[item.sample].output;
  const auto& out = t.test[item.sample].output;
  return out ? &*out : nullptr;
}

RunContext make_run_context(const cpu::CompiledDag& dag, const std::vector<Task>& tasks, const cpu::EvalLimits& limits) {
  RunContext ctx;
  ctx.dag = &dag;
  ctx.tasks = &tasks;
  ctx.limits = limits;
  ctx.samples.resize(tasks.size());
  ctx.memos.resize(tasks.size());
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    ctx.memos[t] = std::make_unique<cpu::TaskMemo>();
    const Task& task = tasks[t];
    std::vector<Value> demos;
    for (const auto& p : task.train) demos.push_back(make_tuple({make_grid(p.input), make_grid(p.output)}));
    Value S = make_tuple(std::move(demos));
    Value C = Value::none();  // tokpidjin evaluates with C = None: the expected output is never shown
    for (const auto& p : task.train) ctx.samples[t].push_back({make_grid(p.input), S, C, ctx.memos[t].get()});
    for (const auto& p : task.test) ctx.samples[t].push_back({make_grid(p.input), S, C, ctx.memos[t].get()});
  }
  return ctx;
}

std::optional<Grid> as_grid(const Value& v) {
  // Only an ARC grid (1x1 to 30x30, colours 0-9) can be an answer: anything else would be no
  // prediction in a submission, and a runaway program's giant grid is never kept for one.
  if (v.kind() != Kind::Grid) return std::nullopt;
  const Grid& g = v.grid();
  if (arc_grid_problem(g)) return std::nullopt;
  return g;
}

SampleStatus classify(const cpu::Outcome& o, const Grid* expected) {
  switch (o.status) {
    case cpu::EvalStatus::Error: return SampleStatus::Error;
    case cpu::EvalStatus::Budget: return SampleStatus::Budget;
    case cpu::EvalStatus::Pruned: return SampleStatus::Mismatch;  // proven not to match
    case cpu::EvalStatus::Ok: break;
  }
  if (!expected) return SampleStatus::Mismatch;
  return o.value.kind() == Kind::Grid && o.value.grid() == *expected ? SampleStatus::Match : SampleStatus::Mismatch;
}

namespace {

// A closure hashes by its address, which a freed output may hand to the next one: such a value has no
// state that outlives its evaluation.
bool holds_closure(const Value& v) {
  if (v.kind() == Kind::Func) return true;
  if (v.kind() != Kind::Tuple && v.kind() != Kind::Set) return false;
  for (const Value& item : v.items())
    if (holds_closure(item)) return true;
  return false;
}

}  // namespace

void prepare_item(const WorkItem& w, bool hash_values, ItemResult& r) {
  r.status.resize(w.programs.size());
  r.cost.resize(w.programs.size());
  r.timed_out.assign(w.programs.size(), 0);
  if (w.test) r.prediction.resize(w.programs.size());
  if (hash_values && !w.test) r.value_hash.assign(w.programs.size(), 0);
}

void record_outcome(const cpu::Outcome& o, const WorkItem& w, std::size_t p, const Grid* expected, ItemResult& r) {
  r.status[p] = classify(o, expected);
  r.cost[p] = cost_units(o.calls, o.cells);
  r.timed_out[p] = o.timed_out;
  r.pruned += o.status == cpu::EvalStatus::Pruned;
  if (w.test && o.status == cpu::EvalStatus::Ok) r.prediction[p] = as_grid(o.value);
  // Value::hash follows Python's equality (1 == 1.0), so a state is what CPython compares equal.
  if (!r.value_hash.empty() && o.status == cpu::EvalStatus::Ok && !holds_closure(o.value))
    r.value_hash[p] = o.value.hash() | 1;
}

void tally(BatchResult& result) {
  for (const ItemResult& r : result.items) {
    result.pruned += r.pruned;
    for (SampleStatus s : r.status) {
      result.errors += s == SampleStatus::Error;
      result.budget_stops += s == SampleStatus::Budget;
    }
  }
}

BatchResultPtr CpuExecutor::execute(const BatchPtr& batch) {
  auto start = std::chrono::steady_clock::now();
  std::vector<cpu::BatchItem> items;
  items.reserve(batch->items.size());
  for (const WorkItem& w : batch->items) {
    items.push_back({&context_.sample(w), w.programs});
    if (w.prune) items.back().expected = context_.expected(w);
  }
  auto result = std::make_shared<BatchResult>();
  result->batch = batch;
  result->route = Route::Cpu;
  result->items.resize(batch->items.size());
  // Each item is classified on the thread that evaluated it, and its output values freed at once.
  cpu::evaluate_batch(*context_.dag, items, context_.limits, [&](std::size_t k, std::vector<cpu::Outcome>& outcomes) {
    const WorkItem& w = batch->items[k];
    ItemResult& r = result->items[k];
    prepare_item(w, batch->hash_values, r);
    for (std::size_t p = 0; p < w.programs.size(); ++p) record_outcome(outcomes[p], w, p, context_.expected(w), r);
  });
  tally(*result);
  result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace megabatch::graph
