// Pruning by output shape: given the expected output's shape, the CPU executor stops a program once
// a node that fixes its output's shape (a first argument of paint, fill, rot90, ...) holds a grid of
// another shape, skips the steps only such programs need, and leaves every other program as it was.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "program_fixture.hpp"

namespace megabatch::cpu {
namespace {

constexpr const char* kPrograms = R"(def solve_fill_input(I):
    x1 = asindices(I)
    x2 = upscale(I, 100)
    x3 = ofcolor(x2, ONE)
    x4 = intersection(x1, x3)
    O = fill(I, TWO, x4)
    return O

def solve_turned(I):
    x1 = ofcolor(I, ONE)
    x2 = fill(I, TWO, x1)
    O = rot90(x2)
    return O

def solve_shares_the_expensive_step(I):
    x1 = upscale(I, 100)
    O = downscale(x1, 100)
    return O

def solve_crash_after_witness(I):
    x1 = vmirror(I)
    x2 = first(I)
    x3 = first(x2)
    x4 = first(x3)
    O = paint(x1, x4)
    return O

def solve_witness_on_a_canvas(I):
    x1 = canvas(ZERO, THREE_BY_THREE)
    x2 = asobject(I)
    O = paint(x1, x2)
    return O

def solve_fill_late_constant(I):
    x1 = upscale(I, 100)
    x2 = ofcolor(x1, ONE)
    O = fill(I, SEVEN, x2)
    return O

def solve_patch_not_grid(I):
    x1 = ofcolor(I, ONE)
    O = hmirror(x1)
    return O
)";

struct Fixture : test::ProgramFixture {
  Fixture() : ProgramFixture(kPrograms, "prune.py") {}
};

Sample two_by_three() {
  Grid g(2, 3);
  const int cells[] = {1, 0, 2, 0, 1, 3};
  for (int k = 0; k < 6; ++k) g.at(k / 3, k % 3) = static_cast<Color>(cells[k]);
  return Sample{make_grid(g), empty_tuple(), empty_tuple()};
}

struct Outcomes {
  std::vector<Outcome> out;
  std::uint64_t steps = 0;
};

Outcomes run(const Fixture& f, const std::vector<std::uint32_t>& programs, const Grid* expected) {
  Evaluator ev(*f.compiled);
  Outcomes r;
  EvalLimits limits;
  limits.wall_ms = 0;
  ev.run(programs, two_by_three(), limits, r.out, expected);
  r.steps = ev.node_evaluations();
  return r;
}

Grid sized(int h, int w) { return Grid(h, w, 0); }

TEST(ExecutorPrune, TheShapeWitnessesFollowFirstArgumentsThroughShapeRules) {
  Fixture f;
  const auto& dag = f.dag;
  auto witnesses = [&](const char* name) {
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& w : f.compiled->shape_witnesses(f.id(name))) {
      const auto& n = dag.node(w.node);
      out.emplace_back(n.kind == program::NodeKind::Call ? dag.node(n.callee).name : n.name, w.transposed);
    }
    return out;
  };
  using W = std::vector<std::pair<std::string, bool>>;
  EXPECT_EQ(witnesses("fill_input"), (W{{"I", false}}));
  EXPECT_EQ(witnesses("turned"), (W{{"fill", true}, {"I", true}}));
  EXPECT_EQ(witnesses("crash_after_witness"), (W{{"vmirror", false}, {"I", false}}));
  EXPECT_EQ(witnesses("witness_on_a_canvas"), (W{{"canvas", false}}));
  EXPECT_EQ(witnesses("shares_the_expensive_step"), W{});  // downscale has no shape rule
  EXPECT_EQ(witnesses("patch_not_grid"), (W{{"ofcolor", false}}));
}

TEST(ExecutorPrune, AProgramWhoseInputFixesAnotherShapeRunsNoStepOfItsOwn) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("fill_input")};
  const Outcomes full = run(f, programs, nullptr);
  ASSERT_EQ(full.out[0].status, EvalStatus::Ok) << full.out[0].message;
  EXPECT_EQ(full.steps, 5u);
  // its own output: the same run, the same value
  const Outcomes same = run(f, programs, &full.out[0].value.grid());
  ASSERT_EQ(same.out[0].status, EvalStatus::Ok);
  EXPECT_EQ(repr(same.out[0].value), repr(full.out[0].value));
  EXPECT_EQ(same.steps, 5u);
  // any other shape, the transposed one included: decided before the first step
  for (auto shape : {std::pair(3, 2), std::pair(2, 4), std::pair(1, 3)}) {
    const Grid expected = sized(shape.first, shape.second);
    const Outcomes pruned = run(f, programs, &expected);
    EXPECT_EQ(pruned.out[0].status, EvalStatus::Pruned) << shape.first << "x" << shape.second;
    EXPECT_EQ(pruned.steps, 0u);
    EXPECT_EQ(pruned.out[0].calls, 0);
  }
}

TEST(ExecutorPrune, TransposingRulesTurnTheExpectedShape) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("turned")};
  const Outcomes full = run(f, programs, nullptr);
  ASSERT_EQ(full.out[0].status, EvalStatus::Ok) << full.out[0].message;
  EXPECT_EQ(full.out[0].value.grid().h, 3);
  const Outcomes kept = run(f, programs, &full.out[0].value.grid());
  EXPECT_EQ(kept.out[0].status, EvalStatus::Ok) << kept.out[0].message;
  const Grid wrong = sized(2, 3);
  EXPECT_EQ(run(f, programs, &wrong).out[0].status, EvalStatus::Pruned);
}

TEST(ExecutorPrune, AStepSharedWithAnUnprunedProgramStillRunsForIt) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("fill_input"), f.id("shares_the_expensive_step")};
  const Outcomes full = run(f, programs, nullptr);
  const Grid four = sized(4, 4);
  const Outcomes pruned = run(f, programs, &four);
  EXPECT_EQ(pruned.out[0].status, EvalStatus::Pruned);
  ASSERT_EQ(pruned.out[1].status, EvalStatus::Ok) << pruned.out[1].message;
  EXPECT_EQ(repr(pruned.out[1].value), repr(full.out[1].value));
  EXPECT_EQ(pruned.out[1].cells, full.out[1].cells);
  EXPECT_EQ(pruned.out[1].calls, full.out[1].calls);
  // upscale and downscale ran; asindices, ofcolor, intersection and fill did not
  EXPECT_EQ(pruned.steps, 2u);
  EXPECT_EQ(full.steps, 6u);
}

TEST(ExecutorPrune, AWitnessComputedMidwayStopsTheStepsAfterIt) {
  Fixture f;
  const std::vector<std::uint32_t> crash = {f.id("crash_after_witness")};
  // unpruned, first(first(first(I))) fails on an int
  const Outcomes full = run(f, crash, nullptr);
  EXPECT_EQ(full.out[0].status, EvalStatus::Error);
  EXPECT_NE(full.out[0].message.find("first"), std::string::npos) << full.out[0].message;
  // the input fixes the shape too, so nothing runs at all
  const Grid three_by_three = sized(3, 3), two_by_three_zeros = sized(2, 3);
  EXPECT_EQ(run(f, crash, &three_by_three).steps, 0u);

  // a canvas is a witness once it exists: the steps after it are skipped
  const std::vector<std::uint32_t> canvas = {f.id("witness_on_a_canvas")};
  const Outcomes three = run(f, canvas, &three_by_three);
  ASSERT_EQ(three.out[0].status, EvalStatus::Ok);
  EXPECT_EQ(three.steps, 3u);
  const Outcomes other = run(f, canvas, &two_by_three_zeros);
  EXPECT_EQ(other.out[0].status, EvalStatus::Pruned);
  EXPECT_EQ(other.steps, 1u);  // the canvas only
}

TEST(ExecutorPrune, AColourWitnessReadingOnlyTheInputAndConstantsDecidesBeforeAnyStep) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("fill_late_constant")};
  const Outcomes full = run(f, programs, nullptr);
  ASSERT_EQ(full.out[0].status, EvalStatus::Ok) << full.out[0].message;
  EXPECT_EQ(full.steps, 3u);
  // its own output, and the input with a cell turned 7, may be produced: it runs
  EXPECT_EQ(run(f, programs, &full.out[0].value.grid()).out[0].status, EvalStatus::Ok);
  Grid seven = two_by_three().I.grid();
  seven.at(1, 2) = 7;
  const Outcomes may = run(f, programs, &seven);
  EXPECT_EQ(may.out[0].status, EvalStatus::Ok);
  EXPECT_EQ(may.steps, 3u);
  // a cell turned 5 cannot be: SEVEN's node comes last in the DAG, yet nothing runs
  Grid five = seven;
  five.at(1, 2) = 5;
  const Outcomes pruned = run(f, programs, &five);
  EXPECT_EQ(pruned.out[0].status, EvalStatus::Pruned);
  EXPECT_EQ(pruned.steps, 0u);
}

TEST(ExecutorPrune, AWitnessThatIsNotAGridProvesNothing) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("patch_not_grid")};
  const Grid five = sized(5, 5);
  const Outcomes r = run(f, programs, &five);
  EXPECT_EQ(r.out[0].status, EvalStatus::Ok);  // a patch, mirrored: not a grid, never pruned
  EXPECT_EQ(r.out[0].value.kind(), Kind::Indices);
}

}  // namespace
}  // namespace megabatch::cpu
