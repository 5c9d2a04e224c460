// Helpers for the flow-graph tests: programs parsed into one DAG with tasks built in memory (a World), tasks
// generated from simple grid rules with an independent C++ oracle, a collecting TaskSink and a recording
// BatchExecutor wrapper.
#pragma once
#include <chrono>
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cpu/dsl/vocabulary.hpp"
#include "cpu/executor.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/parse.hpp"
#include "engine/task.hpp"
#include "graph/engine.hpp"
#include "graph/executors.hpp"

namespace megabatch::graph::test {

// Programs parsed with the real DSL vocabulary into one shared DAG, tasks, and the run context over both.
// Not movable: the compiled DAG and the context point into it.
class World {
 public:
  World(std::string_view source, std::vector<Task> tasks, cpu::EvalLimits limits = {}) : tasks_(std::move(tasks)) {
    cpu::DslVocabulary vocabulary;
    program::ParseResult parsed = program::parse_source(source, "engine_test.py", vocabulary);
    if (!parsed.errors.empty()) throw std::runtime_error(parsed.errors.front().to_string());
    for (const auto& p : parsed.programs) dag_.add(p);
    compiled_ = std::make_unique<cpu::CompiledDag>(dag_);
    context_ = make_run_context(*compiled_, tasks_, limits);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const RunContext& context() const { return context_; }
  const program::Dag& dag() const { return dag_; }
  const std::vector<Task>& tasks() const { return tasks_; }
  std::size_t program_count() const { return dag_.programs().size(); }
  const std::string& program_name(std::uint32_t p) const { return dag_.programs()[p].name; }
  std::uint32_t program(std::string_view name) const {
    const auto& programs = dag_.programs();
    for (std::uint32_t p = 0; p < programs.size(); ++p)
      if (programs[p].name == name) return p;
    throw std::invalid_argument("no program " + std::string(name));
  }
  std::vector<std::uint32_t> all_tasks() const {
    std::vector<std::uint32_t> order(tasks_.size());
    for (std::uint32_t t = 0; t < order.size(); ++t) order[t] = t;
    return order;
  }

 private:
  program::Dag dag_;
  std::vector<Task> tasks_;
  std::unique_ptr<cpu::CompiledDag> compiled_;
  RunContext context_;
};

// One program per rule (named p_<rule>), plus two that solve nothing on purpose.
inline constexpr std::string_view kRulePrograms = R"(
def p_flip(I):
    return vmirror(I)

def p_upside(I):
    return hmirror(I)

def p_transpose(I):
    return dmirror(I)

def p_recolour(I):
    O = replace(I, ONE, TWO)
    return O

def p_upscale(I):
    O = upscale(I, TWO)
    return O

def p_rot90(I):
    return rot90(I)

def p_rot180(I):
    x1 = rot90(I)
    O = rot90(x1)
    return O

def p_identity(I):
    return identity(I)
)";

enum class Rule { Flip, Upside, Transpose, Recolour, Upscale, Rot90 };
inline constexpr Rule kRules[] = {Rule::Flip,     Rule::Upside,  Rule::Transpose,
                                  Rule::Recolour, Rule::Upscale, Rule::Rot90};

inline const char* rule_program(Rule r) {
  switch (r) {
    case Rule::Flip: return "p_flip";
    case Rule::Upside: return "p_upside";
    case Rule::Transpose: return "p_transpose";
    case Rule::Recolour: return "p_recolour";
    case Rule::Upscale: return "p_upscale";
    case Rule::Rot90: return "p_rot90";
  }
  return "?";
}

// The oracle: each rule written directly on grids, independent of the DSL.
inline Grid apply_rule(Rule r, const Grid& in) {
  Grid out;
  switch (r) {
    case Rule::Flip:
      out = Grid(in.h, in.w);
      for (int i = 0; i < in.h; ++i)
        for (int j = 0; j < in.w; ++j) out.at(i, j) = in.at(i, in.w - 1 - j);
      break;
    case Rule::Upside:
      out = Grid(in.h, in.w);
      for (int i = 0; i < in.h; ++i)
        for (int j = 0; j < in.w; ++j) out.at(i, j) = in.at(in.h - 1 - i, j);
      break;
    case Rule::Transpose:
      out = Grid(in.w, in.h);
      for (int i = 0; i < in.h; ++i)
        for (int j = 0; j < in.w; ++j) out.at(j, i) = in.at(i, j);
      break;
    case Rule::Recolour:
      out = in;
      for (auto& c : out.cells) c = c == 1 ? 2 : c;
      break;
    case Rule::Upscale:
      out = Grid(in.h * 2, in.w * 2);
      for (int i = 0; i < out.h; ++i)
        for (int j = 0; j < out.w; ++j) out.at(i, j) = in.at(i / 2, j / 2);
      break;
    case Rule::Rot90:  // clockwise
      out = Grid(in.w, in.h);
      for (int i = 0; i < out.h; ++i)
        for (int j = 0; j < out.w; ++j) out.at(i, j) = in.at(in.h - 1 - j, i);
      break;
  }
  return out;
}

// "t7" from ("t", 7). Appending, not `"t" + std::to_string(k)`, which trips GCC 12's false -Wrestrict.
inline std::string numbered(const char* prefix, int k) {
  std::string s = prefix;
  s += std::to_string(k);
  return s;
}

inline Grid random_grid(std::mt19937& rng, int min_side = 2, int max_side = 5) {
  std::uniform_int_distribution<int> side(min_side, max_side), colour(0, 4);
  Grid g(side(rng), side(rng));
  for (auto& c : g.cells) c = colour(rng);
  g.at(0, 0) = 1;  // every grid holds a 1, so recolouring always changes it
  return g;
}

// A task of `ntrain` train and `ntest` test pairs following `rule`; test outputs left out unless `known`.
inline Task make_task(std::string id, Rule rule, int ntrain, int ntest, bool known, std::mt19937& rng) {
  Task t;
  t.id = std::move(id);
  for (int k = 0; k < ntrain; ++k) {
    Grid in = random_grid(rng);
    t.train.push_back({in, apply_rule(rule, in)});
  }
  for (int k = 0; k < ntest; ++k) {
    Grid in = random_grid(rng);
    t.test.push_back({in, known ? std::optional<Grid>(apply_rule(rule, in)) : std::nullopt});
  }
  return t;
}

// Tasks with 1, 2 and 5 train pairs and 0, 1 and 2 test inputs, rules in turn, every third one without
// its test outputs. The rule of task k is mixed_rules()[k].
inline std::vector<Rule> mixed_rules() {
  std::vector<Rule> rules;
  for (int k = 0; k < 18; ++k) rules.push_back(kRules[k % 6]);
  return rules;
}
inline std::vector<Task> mixed_tasks(unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::vector<Task> tasks;
  const int trains[] = {1, 2, 5}, tests[] = {0, 1, 2};
  auto rules = mixed_rules();
  for (int k = 0; k < 18; ++k)
    tasks.push_back(make_task(numbered("t", k), rules[k], trains[k % 3], tests[(k / 3) % 3], k % 3 != 2, rng));
  return tasks;
}

// Keeps every task result and counts how often each task arrived.
class CollectingSink final : public TaskSink {
 public:
  void on_task(TaskResult&& r) override {
    ++arrivals[r.task];
    results[r.task] = std::move(r);
  }
  std::map<std::uint32_t, int> arrivals;
  std::map<std::uint32_t, TaskResult> results;
};

// Wraps an executor: records each batch it ran and marks its results with `route`, as a GPU executor would.
class RecordingExecutor final : public BatchExecutor {
 public:
  RecordingExecutor(BatchExecutor& inner, Route route) : inner_(inner), route_(route) {}
  // Reports this time for a batch instead of the time it took: a fixed part plus a part an evaluation,
  // so that routing that measures executors sees known costs.
  void report_seconds(double per_batch, double per_evaluation) {
    per_batch_ = per_batch;
    per_evaluation_ = per_evaluation;
  }
  // Holds each batch this long besides running it (a slow device: batches overlap).
  void delay(std::chrono::milliseconds d) { delay_ = d; }
  const char* name() const override { return route_ == Route::Gpu ? "gpu-double" : "cpu-recorder"; }
  BatchResultPtr execute(const BatchPtr& batch) override {
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    BatchResultPtr r = inner_.execute(batch);
    r->route = route_;
    if (route_ == Route::Gpu) r->device_rows = batch->evaluations;  // a stand-in device runs every row
    if (per_batch_ >= 0) r->seconds = per_batch_ + per_evaluation_ * static_cast<double>(batch->evaluations);
    std::lock_guard lock(mutex_);
    batches_.push_back(batch);
    threads_.insert(std::this_thread::get_id());
    return r;
  }
  void warm_up() override {
    std::lock_guard lock(mutex_);
    warm_ups_.push_back(batches_.size());
  }
  // For each warm_up call, how many batches it had run before.
  std::vector<std::size_t> warm_ups() const {
    std::lock_guard lock(mutex_);
    return warm_ups_;
  }
  std::vector<BatchPtr> batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  // The threads that ran its batches.
  std::set<std::thread::id> threads() const {
    std::lock_guard lock(mutex_);
    return threads_;
  }

 private:
  BatchExecutor& inner_;
  Route route_;
  double per_batch_ = -1, per_evaluation_ = 0;
  std::chrono::milliseconds delay_{0};
  std::vector<std::size_t> warm_ups_;
  mutable std::mutex mutex_;
  std::vector<BatchPtr> batches_;
  std::set<std::thread::id> threads_;
};

inline std::string describe(const std::vector<SampleStatus>& statuses) {
  std::string s = "[";
  for (std::size_t k = 0; k < statuses.size(); ++k) {
    if (k) s += ' ';
    s += to_string(statuses[k]);
  }
  return s + "]";
}

inline std::string describe(const PairResult& p) {
  std::string s = "program " + std::to_string(p.program) + " train " + describe(p.train) + " test " + describe(p.test) +
                  " predictions";
  for (const auto& g : p.predictions) s += g ? " grid" + std::to_string(g->h) + "x" + std::to_string(g->w) : " none";
  return s;
}

}  // namespace megabatch::graph::test
