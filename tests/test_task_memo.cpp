// TaskMemo: a tokpidjin step that reads S and not I is computed once per task and shared by every
// sample of it, yet each program's outcome (value, status, calls and cells charged) is exactly what
// recomputing it on every sample gives.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "program_fixture.hpp"

namespace megabatch::cpu {
namespace {

// size_t(S) and increment(x1) read S only; upscale_t reads I too.
constexpr const char* kPrograms = R"(def solve_by_pairs(S, I, C):
    x1 = size_t(S)
    O = upscale_t(I, x1)
    return O

def solve_by_pairs_plus_one(S, I, C):
    x1 = size_t(S)
    x2 = increment(x1)
    O = upscale_t(I, x2)
    return O
)";

struct Fixture : test::ProgramFixture {
  Fixture() : ProgramFixture(kPrograms, "memo.py") {}
};

Value grid_of(int h, int w, int colour) {
  Grid g(h, w);
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j) g.at(i, j) = static_cast<std::uint8_t>((colour + i + j) % 10);
  return make_grid(g);
}

// A task of `pairs` demo pairs, as tokpidjin's S: a tuple of (input, output).
Value demos(int pairs) {
  std::vector<Value> s;
  for (int k = 0; k < pairs; ++k) s.push_back(make_tuple({grid_of(2, 2, k), grid_of(1, 1, k)}));
  return make_tuple(std::move(s));
}

EvalLimits no_wall() {
  EvalLimits l;
  l.wall_ms = 0;  // a wall-time figure would differ between runs
  return l;
}

struct Runs {
  std::vector<std::vector<Outcome>> outcomes;  // by sample
  std::uint64_t node_evaluations = 0;
};

Runs run_samples(const Fixture& f, const Value& s, const std::vector<Value>& inputs, TaskMemo* memo) {
  Runs r;
  Evaluator ev(*f.compiled);
  const std::uint32_t programs[] = {f.id("by_pairs"), f.id("by_pairs_plus_one")};
  for (const Value& input : inputs) {
    std::vector<Outcome> out;
    ev.run(programs, Sample{input, s, Value::none(), memo}, no_wall(), out);
    r.outcomes.push_back(std::move(out));
  }
  r.node_evaluations = ev.node_evaluations();
  return r;
}

TEST(TaskMemo, OnlyStepsThatReadSAndNotIAreTheTasks) {
  Fixture f;
  int per_task = 0;
  for (program::NodeId id = 0; id < f.compiled->size(); ++id) per_task += f.compiled->per_task(id);
  EXPECT_EQ(per_task, 2);  // size_t(S) and increment(x1); neither upscale_t nor the parameters
}

TEST(TaskMemo, SharedStepsRunOnceAndChargeEveryProgramAsIfRecomputed) {
  Fixture f;
  const Value s = demos(3);
  const std::vector<Value> inputs = {grid_of(2, 3, 1), grid_of(4, 1, 5), grid_of(1, 1, 9)};
  const Runs plain = run_samples(f, s, inputs, nullptr);
  TaskMemo memo;
  const Runs shared = run_samples(f, s, inputs, &memo);

  ASSERT_EQ(shared.outcomes.size(), inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    ASSERT_EQ(shared.outcomes[k].size(), 2u);
    for (std::size_t p = 0; p < 2; ++p) {
      const Outcome& a = plain.outcomes[k][p];
      const Outcome& b = shared.outcomes[k][p];
      ASSERT_EQ(a.status, EvalStatus::Ok) << a.message;
      EXPECT_EQ(b.status, a.status);
      EXPECT_EQ(compare(b.value, a.value), 0) << "sample " << k << " program " << p;
      EXPECT_EQ(b.calls, a.calls);
      EXPECT_EQ(b.cells, a.cells);
    }
    // three demo pairs: upscaled by 3, and by 4
    EXPECT_EQ(shared.outcomes[k][0].value.grid().h, 3 * inputs[k].grid().h);
    EXPECT_EQ(shared.outcomes[k][1].value.grid().h, 4 * inputs[k].grid().h);
  }
  // Four steps a sample without the memo; with it the two steps of S run on the first sample only.
  EXPECT_EQ(plain.node_evaluations, 4u * inputs.size());
  EXPECT_EQ(shared.node_evaluations, 4u + 2u * (inputs.size() - 1));
}

TEST(TaskMemo, ClearingStartsTheNextTaskFromNothing) {
  Fixture f;
  TaskMemo memo;
  const std::vector<Value> inputs = {grid_of(2, 2, 0)};
  const Runs first = run_samples(f, demos(2), inputs, &memo);
  EXPECT_EQ(first.outcomes[0][0].value.grid().h, 4);
  memo.clear();
  const Runs second = run_samples(f, demos(5), inputs, &memo);
  EXPECT_EQ(second.outcomes[0][0].value.grid().h, 10);  // five pairs now, not the two kept before
  EXPECT_EQ(second.outcomes[0][1].value.grid().h, 12);
  EXPECT_EQ(second.node_evaluations, 4u);
}

}  // namespace
}  // namespace megabatch::cpu
