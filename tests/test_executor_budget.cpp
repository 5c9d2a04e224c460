// The CPU executor's budgets: a program's budget covers its whole slice, so it stops at the step where
// the slice's total runs out (later steps never run), and a step shared with other programs runs
// under the largest budget any of them has left, so no program's outcome depends on its batch.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "program_fixture.hpp"

namespace megabatch::cpu {
namespace {

// A 10x10 input upscaled by 30 is 90,000 cells; every step below allocates 90,000 more.
constexpr const char* kPrograms = R"(def solve_four_steps(I):
    x1 = upscale(I, 30)
    x2 = vmirror(x1)
    x3 = hmirror(x2)
    O = rot90(x3)
    return O

def solve_two_steps(I):
    x1 = upscale(I, 30)
    O = vmirror(x1)
    return O

def solve_spent_then_shared(I):
    x1 = upscale(I, 30)
    x2 = dmirror(x1)
    x3 = hmirror(x1)
    O = combine(x2, x3)
    return O

def solve_shared_only(I):
    x1 = upscale(I, 30)
    O = hmirror(x1)
    return O
)";

struct Fixture : test::ProgramFixture {
  Fixture() : ProgramFixture(kPrograms, "budget.py") {}
};

Sample ten_by_ten() {
  Grid g(10, 10);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) g.at(i, j) = (i * 3 + j) % 10;
  return Sample{make_grid(g), empty_tuple(), empty_tuple()};
}

EvalLimits cells(std::int64_t max_cells) {
  EvalLimits l;
  l.max_cells = max_cells;
  l.wall_ms = 0;
  return l;
}

TEST(ExecutorBudget, AProgramStopsAtTheStepWhereItsSliceRunsOutOfBudget) {
  Fixture f;
  const Sample s = ten_by_ten();
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("four_steps")};
  // each step fits 200,000 cells on its own; the third one takes the slice past it
  ev.run(programs, s, cells(200'000), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, EvalStatus::Budget);
  EXPECT_NE(out[0].message.find("cell budget"), std::string::npos) << out[0].message;
  EXPECT_GT(out[0].cells, 200'000);
  // upscale and vmirror ran, hmirror started and was stopped, rot90 never ran
  EXPECT_EQ(ev.node_evaluations(), 3u);

  // with room for all four steps it succeeds and is charged for all of them
  Evaluator roomy(*f.compiled);
  roomy.run(programs, s, cells(400'000), out);
  EXPECT_EQ(out[0].status, EvalStatus::Ok);
  EXPECT_EQ(out[0].value.grid().h, 300);
  EXPECT_GE(out[0].cells, 4 * 90'000);
  EXPECT_EQ(roomy.node_evaluations(), 4u);
}

TEST(ExecutorBudget, OutcomesDoNotDependOnWhichProgramsShareTheRun) {
  Fixture f;
  const Sample s = ten_by_ten();
  const EvalLimits limits = cells(200'000);
  const std::vector<std::string> names = {"four_steps", "two_steps", "spent_then_shared", "shared_only"};
  // alone
  std::vector<Outcome> alone;
  for (const auto& name : names) {
    Evaluator ev(*f.compiled);
    std::vector<Outcome> out;
    const std::uint32_t one[] = {f.id(name)};
    ev.run(one, s, limits, out);
    alone.push_back(out[0]);
  }
  EXPECT_EQ(alone[0].status, EvalStatus::Budget);
  EXPECT_EQ(alone[1].status, EvalStatus::Ok);
  EXPECT_EQ(alone[2].status, EvalStatus::Budget);  // 3 x 90,000 before combine
  EXPECT_EQ(alone[3].status, EvalStatus::Ok);
  // together, in both orders: hmirror(x1) is shared by a program that has spent 180,000 cells and
  // one that has spent 90,000, so it runs under the larger remainder and shared_only still succeeds
  for (bool reversed : {false, true}) {
    std::vector<std::uint32_t> all;
    for (const auto& name : names) all.push_back(f.id(name));
    if (reversed) std::reverse(all.begin(), all.end());
    Evaluator ev(*f.compiled);
    std::vector<Outcome> out;
    ev.run(all, s, limits, out);
    for (std::size_t k = 0; k < names.size(); ++k) {
      const std::size_t j = reversed ? names.size() - 1 - k : k;
      EXPECT_EQ(out[j].status, alone[k].status) << names[k];
      EXPECT_EQ(out[j].value, alone[k].value) << names[k];
      if (alone[k].status == EvalStatus::Ok) {
        EXPECT_EQ(out[j].cells, alone[k].cells) << names[k];
        EXPECT_EQ(out[j].calls, alone[k].calls) << names[k];
      }
    }
  }
}

TEST(ExecutorBudget, CallBudgetCoversTheWholeSliceToo) {
  Fixture f;
  const Sample s = ten_by_ten();
  EvalLimits l;
  l.wall_ms = 0;
  l.max_calls = 3;  // four_steps makes four primitive calls
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("four_steps"), f.id("two_steps")};
  ev.run(programs, s, l, out);
  EXPECT_EQ(out[0].status, EvalStatus::Budget);
  EXPECT_NE(out[0].message.find("call budget"), std::string::npos) << out[0].message;
  EXPECT_FALSE(out[0].timed_out);  // a call budget is deterministic: the result cache may keep it
  EXPECT_EQ(out[1].status, EvalStatus::Ok);
  EXPECT_EQ(out[1].calls, 2);
}

// A stop by the clock within the call and cell budgets is marked: it depends on the machine's load, and
// the result cache never keeps it.
TEST(ExecutorBudget, AWallClockStopIsMarkedAsTimedOut) {
  test::ProgramFixture f(R"(def solve_slow(I):
    x1 = upscale(I, 30)
    x2 = power(rot90, 900)
    x3 = x2(x1)
    x4 = x2(x3)
    O = x2(x4)
    return O
)", "slow.py");
  const Sample s = ten_by_ten();
  EvalLimits l;
  l.max_calls = l.max_cells = std::int64_t{1} << 50;
  l.wall_ms = 1;  // 2,700 rotations of 90,000 cells take far longer
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("slow")};
  ev.run(programs, s, l, out);
  ASSERT_EQ(out[0].status, EvalStatus::Budget) << out[0].message;
  EXPECT_TRUE(out[0].timed_out) << out[0].message;
}

TEST(ExecutorErrors, AStepFailingInsideClosuresNamesTheInnermostPrimitive) {
  test::ProgramFixture f(R"(def solve_deep(I):
    x1 = compose(rot90, last)
    x2 = fork(add, first, x1)
    O = apply(x2, I)
    return O

def solve_outer(I):
    O = apply(add, I)
    return O
)",
                         "errors.py");
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("deep"), f.id("outer")};
  ev.run(programs, ten_by_ten(), EvalLimits{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status, EvalStatus::Error);
  // apply -> fork -> compose -> last gives a row's last cell (an int), which rot90 cannot index.
  EXPECT_EQ(out[0].message, "in rot90(int): 'int' object is not subscriptable");
  EXPECT_EQ(out[1].status, EvalStatus::Error);
  EXPECT_EQ(out[1].message, "in apply(function, tuple): add() takes 2 positional arguments but 1 was given");
}

// CPython runs every line of a solver, used or not, and the first line that raises ends the call.
TEST(ExecutorErrors, AnUnusedLineThatFailsFailsTheProgramAsInCPython) {
  test::ProgramFixture f(R"(def solve_unused_raise(I):
    x1 = hmirror(I)
    x2 = add(I, ONE)
    O = vmirror(x1)
    return O

def solve_unused_fine(I):
    x1 = hmirror(I)
    x2 = rot90(x1)
    O = vmirror(x1)
    return O

def solve_first_line_wins(I):
    x1 = first(5)
    x2 = add(I, ONE)
    O = combine(x2, x1)
    return O
)",
                         "unused.py");
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("unused_raise"), f.id("unused_fine"), f.id("first_line_wins")};
  ev.run(programs, ten_by_ten(), EvalLimits{}, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, EvalStatus::Error);
  EXPECT_NE(out[0].message.find("in add("), std::string::npos) << out[0].message;
  EXPECT_EQ(out[1].status, EvalStatus::Ok);
  EXPECT_EQ(out[1].value.grid().h, 10);
  // combine reads x2 first, but x1's line comes first and is the one CPython reports
  EXPECT_EQ(out[2].status, EvalStatus::Error);
  EXPECT_NE(out[2].message.find("in first(int)"), std::string::npos) << out[2].message;
}

// CPython stops at the first line that raises: a runaway line after it never runs, so the program
// fails with that error, not with a budget stop, and is charged nothing for the runaway.
TEST(ExecutorErrors, AFailedLineStopsTheProgramBeforeALaterRunaway) {
  test::ProgramFixture f(R"(def solve_error_then_runaway(I):
    x1 = add(I, ONE)
    x2 = interval(ZERO, 100000000, ONE)
    O = vmirror(I)
    return O

def solve_runaway(I):
    x1 = interval(ZERO, 100000000, ONE)
    O = vmirror(I)
    return O
)",
                         "order.py");
  std::vector<Outcome> out;
  const std::uint32_t first[] = {f.id("error_then_runaway")};
  Evaluator ev(*f.compiled);
  ev.run(first, ten_by_ten(), cells(1'000'000), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, EvalStatus::Error) << out[0].message;
  EXPECT_NE(out[0].message.find("in add("), std::string::npos) << out[0].message;
  EXPECT_LT(out[0].cells, 1'000'000);
  EXPECT_EQ(ev.node_evaluations(), 1u);  // the interval never ran
  // Beside a program that needs the runaway step, it still runs for that one, charged to it alone.
  const std::uint32_t both[] = {f.id("error_then_runaway"), f.id("runaway")};
  Evaluator ev2(*f.compiled);
  ev2.run(both, ten_by_ten(), cells(1'000'000), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status, EvalStatus::Error);
  EXPECT_EQ(out[1].status, EvalStatus::Budget);
}

// In tokpidjin's dialect a DSL call cannot raise, but calling a value that is not a function can.
TEST(ExecutorErrors, AnUnusedTokpidjinLineCallingANonFunctionFailsTheProgram) {
  test::ProgramFixture f(R"(def solve_unused_call(S, I, C):
    x1 = rbind(get_nth_f, F0)
    x2 = papply(add, x1, x1)
    x3 = x2(I)
    O = identity(I)
    return O
)",
                         "unused_tok.py");
  Evaluator ev(*f.compiled);
  std::vector<Outcome> out;
  const std::uint32_t programs[] = {f.id("unused_call")};
  ev.run(programs, Sample{make_grid(Grid(2, 2)), empty_tuple(), Value::none()}, EvalLimits{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, EvalStatus::Error);
  EXPECT_EQ(out[0].message, "'tuple' object is not callable");
}

}  // namespace
}  // namespace megabatch::cpu
