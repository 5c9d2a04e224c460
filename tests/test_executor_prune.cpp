// Pruning by output shape: given the expected output's shape, the CPU executor stops a program once
// a node that fixes its output's shape (a first argument of paint, fill, rot90, ...) holds a grid of
// another shape, skips the steps only such programs need, and leaves every other program as it was.
#include <gtest/gtest.h>

#include <string>
#include <random>
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

// A node as the tests name it: a call by its callee, anything else by its own name.
const std::string& label(const program::Dag& dag, program::NodeId id) {
  const auto& n = dag.node(id);
  return n.kind == program::NodeKind::Call ? dag.node(n.callee).name : n.name;
}

TEST(ExecutorPrune, TheShapeWitnessesFollowFirstArgumentsThroughShapeRules) {
  Fixture f;
  const auto& dag = f.dag;
  auto witnesses = [&](const char* name) {
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& w : f.compiled->shape_witnesses(f.id(name))) {
      out.emplace_back(label(dag, w.node), w.transposed);
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

// ---- witnesses through paint: palette sources -----------------------------------------------------------

// Programs ending in paint or underpaint of objects whose colours the DAG bounds (recolor, mapply of
// fork(recolor, color/identity/mostcolor/leastcolor, ...), lbind(recolor, c), merge(apply(...)),
// combine, shift, normalize, mirrors, upscale, asobject, toobject), plus fills above a paint.
constexpr const char* kPaintPrograms = R"(def solve_recolour_objects(I):
    x1 = objects(I, T, F, T)
    x2 = fork(recolor, color, outbox)
    x3 = mapply(x2, x1)
    O = paint(I, x3)
    return O

def solve_each_colour_shifted(I):
    x1 = palette(I)
    x2 = lbind(ofcolor, I)
    x3 = rbind(shift, UNITY)
    x4 = compose(x3, x2)
    x5 = fork(recolor, identity, x4)
    x6 = mapply(x5, x1)
    O = paint(I, x6)
    return O

def solve_merge_of_apply(I):
    x1 = fgpartition(I)
    x2 = fork(recolor, leastcolor, backdrop)
    x3 = apply(x2, x1)
    x4 = merge(x3)
    O = underpaint(I, x4)
    return O

def solve_five_everywhere(I):
    x1 = lbind(recolor, FIVE)
    x2 = objects(I, T, F, F)
    x3 = sizefilter(x2, ONE)
    x4 = mapply(x1, x3)
    O = paint(I, x4)
    return O

def solve_combine_shifted(I):
    x1 = asobject(I)
    x2 = shift(x1, UNITY)
    x3 = ofcolor(I, ZERO)
    x4 = recolor(SEVEN, x3)
    x5 = combine(x2, x4)
    O = paint(I, x5)
    return O

def solve_turned_cells(I):
    x1 = rot90(I)
    x2 = ofcolor(I, ONE)
    x3 = toobject(x2, x1)
    x4 = hmirror(x3)
    x5 = normalize(x4)
    x6 = upscale(x5, TWO)
    O = paint(I, x6)
    return O

def solve_fill_over_paint(I):
    x1 = objects(I, T, F, T)
    x2 = fork(recolor, mostcolor, delta)
    x3 = mapply(x2, x1)
    x4 = paint(I, x3)
    x5 = ofcolor(x4, TWO)
    x6 = fill(x4, EIGHT, x5)
    O = vmirror(x6)
    return O

def solve_unbounded(I):
    x1 = objects(I, T, F, T)
    x2 = apply(color, x1)
    x3 = lbind(add, ONE)
    x4 = rbind(recolor, x1)
    x5 = chain(merge, x4, x3)
    x6 = mapply(x5, x2)
    O = paint(I, x6)
    return O

def solve_copies_where_they_occur(I):
    x1 = objects(I, T, F, T)
    x2 = lbind(lbind, shift)
    x3 = compose(x2, normalize)
    x4 = lbind(occurrences, I)
    x5 = compose(x4, normalize)
    x6 = fork(mapply, x3, x5)
    x7 = mapply(x6, x1)
    O = paint(I, x7)
    return O

def solve_offsets_of_everything(I):
    x1 = objects(I, T, F, T)
    x2 = merge(x1)
    x3 = lbind(shift, x2)
    x4 = neighbors(ORIGIN)
    x5 = mapply(x3, x4)
    x6 = paint(I, x5)
    x7 = ofcolor(I, ONE)
    O = cover(x6, x7)
    return O

def solve_each_colour_on_a_patch(I):
    x1 = palette(I)
    x2 = ofcolor(I, ONE)
    x3 = rbind(recolor, x2)
    x4 = apply(x3, x1)
    x5 = merge(x4)
    O = paint(I, x5)
    return O

def solve_objects_and_their_shadows(I):
    x1 = objects(I, T, F, T)
    x2 = rbind(shift, UNITY)
    x3 = chain(x2, vmirror, identity)
    x4 = fork(combine, identity, x3)
    x5 = mapply(x4, x1)
    O = paint(I, x5)
    return O

def solve_cover_then_fill(I):
    x1 = objects(I, T, F, T)
    x2 = argmax(x1, size)
    x3 = cover(I, x2)
    x4 = ofcolor(x3, TWO)
    O = fill(x3, FIVE, x4)
    return O
)";

TEST(ExecutorPrune, PaletteSourcesFollowTheObjectsColoursBackToCheapNodes) {
  test::ProgramFixture f(kPaintPrograms, "paint.py");
  auto sources = [&](const char* name) {
    std::vector<std::string> out;
    const auto& witnesses = f.compiled->colour_witnesses(f.id(name));
    if (witnesses.empty()) return out;
    for (const ColourStep& s : witnesses.front().steps)
      for (program::NodeId x : s.sources) out.push_back(label(f.dag, x));
    return out;
  };
  using S = std::vector<std::string>;
  EXPECT_EQ(sources("recolour_objects"), (S{"objects"}));
  EXPECT_EQ(sources("each_colour_shifted"), (S{"palette"}));
  EXPECT_EQ(sources("merge_of_apply"), (S{"fgpartition"}));
  EXPECT_EQ(sources("five_everywhere"), (S{"FIVE"}));
  EXPECT_EQ(sources("combine_shifted"), (S{"I", "SEVEN"}));
  EXPECT_EQ(sources("turned_cells"), (S{"rot90"}));
  EXPECT_EQ(sources("fill_over_paint"), (S{"objects"}));
  EXPECT_EQ(sources("unbounded"), (S{"mapply"}));  // recolor(add(1, c), ...): only the object itself
  // fork(mapply, lbind(lbind, shift) . normalize, ...): shifted copies of each member
  EXPECT_EQ(sources("copies_where_they_occur"), (S{"objects"}));
  EXPECT_EQ(sources("offsets_of_everything"), (S{"merge"}));  // lbind(shift, x2): x2's colours
  EXPECT_EQ(sources("each_colour_on_a_patch"), (S{"palette"}));  // rbind(recolor, p)(c) paints c
  EXPECT_EQ(sources("objects_and_their_shadows"), (S{"objects"}));
}

TEST(ExecutorPrune, ACoverBoundsItsColourByTheGridBelowAndCutsTheChainForAnExactProof) {
  test::ProgramFixture f(kPaintPrograms, "paint.py");
  // Each witness: its steps' ops and its base.
  auto witnesses = [&](const char* name) {
    std::vector<std::pair<std::vector<int>, std::string>> out;
    for (const ColourWitness& w : f.compiled->colour_witnesses(f.id(name))) {
      std::vector<int> ops;
      for (const ColourStep& s : w.steps) ops.push_back(static_cast<int>(s.op));
      out.emplace_back(ops, label(f.dag, w.base));
    }
    return out;
  };
  const int fill = static_cast<int>(ColourOp::Fill), cover = static_cast<int>(ColourOp::Cover),
            paint = static_cast<int>(ColourOp::Paint);
  using W = std::vector<std::pair<std::vector<int>, std::string>>;
  // the whole chain down to I; then fill alone on the cover's grid
  EXPECT_EQ(witnesses("cover_then_fill"), (W{{{fill, cover}, "I"}, {{fill}, "cover"}}));
  // the cover is the output: no shorter chain; the paint's objects bounded, then exact
  EXPECT_EQ(witnesses("offsets_of_everything"), (W{{{cover, paint}, "I"}, {{cover, paint}, "I"}}));
  EXPECT_EQ(f.compiled->colour_witnesses(f.id("offsets_of_everything"))[1].steps[1].sources.size(), 1u);
}

// Runs every program of `f` on random grids, then again with the expected output set to each
// program's own output (and to that output altered at one cell, and to the input): a program may
// only be pruned where its full run's output differs. Returns (pruned, kept) counts.
std::pair<int, int> prune_only_wrong_outputs(const test::ProgramFixture& f, unsigned seed) {
  std::vector<std::uint32_t> programs;
  for (std::uint32_t k = 0; k < f.dag.programs().size(); ++k) programs.push_back(k);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> side(3, 6), few(0, 3), any(0, 9);
  EvalLimits limits;
  limits.wall_ms = 0;
  int pruned = 0, kept = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Grid in(side(rng), side(rng));
    for (auto& c : in.cells) c = few(rng) == 3 ? any(rng) : few(rng);
    const Sample s{make_grid(in), empty_tuple(), Value::none()};
    Evaluator ev(*f.compiled);
    std::vector<Outcome> full;
    ev.run(programs, s, limits, full);
    // candidates for the expected output: each program's own output, altered at one cell, and the input
    std::vector<Grid> candidates{in};
    for (const Outcome& o : full)
      if (o.status == EvalStatus::Ok && o.value.kind() == Kind::Grid && !o.value.grid().cells.empty()) {
        candidates.push_back(o.value.grid());
        Grid changed = o.value.grid();
        changed.cells[static_cast<std::size_t>(rng() % changed.cells.size())] = any(rng);
        candidates.push_back(std::move(changed));
      }
    for (const Grid& expected : candidates) {
      std::vector<Outcome> out;
      ev.run(programs, s, limits, out, &expected);
      for (std::size_t k = 0; k < programs.size(); ++k) {
        if (out[k].status != EvalStatus::Pruned) {
          ++kept;
          EXPECT_EQ(out[k].status, full[k].status) << f.dag.programs()[k].name;
          continue;
        }
        ++pruned;
        const bool matched = full[k].status == EvalStatus::Ok && full[k].value.kind() == Kind::Grid &&
                             full[k].value.grid() == expected;
        EXPECT_FALSE(matched) << f.dag.programs()[k].name << " was pruned on its own output " << repr(make_grid(expected))
                              << " of input " << repr(s.I);
        if (matched) return {pruned, kept};
      }
    }
  }
  return {pruned, kept};
}

TEST(ExecutorPrune, APrunedProgramNeverHadTheExpectedOutput) {
  test::ProgramFixture f(kPaintPrograms, "paint.py");
  const auto [pruned, kept] = prune_only_wrong_outputs(f, 29);
  EXPECT_GT(pruned, 1000);
  EXPECT_GT(kept, 1000);
}

// tokpidjin's programs: its color, mostcolor_f, leastcolor_f and identity pick a colour of their
// argument, or return safe_dsl's 0 where they raise (color of a pair of pairs); apply, mfilter_f,
// sfilter_f and product keep their containers' colours.
constexpr const char* kTokPaintPrograms = R"(def solve_mfilter_of_apply(S, I, C):
    x1 = fork(recolor_i, color, backdrop)
    x2 = fgpartition(I)
    x3 = apply(x1, x2)
    x4 = mfilter_f(x3, hline_o)
    O = paint(I, x4)
    return O

def solve_cells_joined(S, I, C):
    x1 = rbind(get_nth_f, F0)
    x2 = rbind(get_nth_f, L1)
    x3 = compose(toij, x1)
    x4 = compose(toij, x2)
    x5 = fork(connect, x3, x4)
    x6 = fork(recolor_i, color, x5)
    x7 = o_g(I, R5)
    x8 = merge_f(x7)
    x9 = product(x8, x8)
    x10 = compose(last_t, x1)
    x11 = compose(last_t, x2)
    x12 = fork(equality, x10, x11)
    x13 = sfilter_f(x9, x12)
    x14 = apply(x6, x13)
    x15 = fork(either, vline_o, hline_o)
    x16 = mfilter_f(x14, x15)
    O = paint(I, x16)
    return O

def solve_colour_of_pairs_of_pairs(S, I, C):
    x1 = astuple(TWO, THREE)
    x2 = astuple(x1, x1)
    x3 = astuple(x2, x2)
    x4 = compose(initset, first)
    x5 = fork(recolor_i, color, x4)
    x6 = mapply(x5, x3)
    O = paint(I, x6)
    return O

def solve_each_colour_joined(S, I, C):
    x1 = lbind(prapply, connect)
    x2 = lbind(f_ofcolor, I)
    x3 = fork(x1, x2, x2)
    x4 = compose(merge, x3)
    x5 = fork(recolor_i, identity, x4)
    x6 = palette_t(I)
    x7 = remove(ZERO, x6)
    x8 = mapply(x5, x7)
    O = paint(I, x8)
    return O

def solve_turned_by_angle(S, I, C):
    x1 = f_ofcolor(I, ONE)
    x2 = fill(I, TWO, x1)
    x3 = mir_rot_t(x2, R4)
    x4 = mir_rot_t(x3, R1)
    O = mir_rot_t(x4, R9)
    return O

def solve_turned_by_a_count(S, I, C):
    x1 = f_ofcolor(I, ONE)
    x2 = size_f(x1)
    x3 = fill(I, TWO, x1)
    O = mir_rot_t(x3, x2)
    return O

def solve_most_and_least(S, I, C):
    x1 = o_g(I, R1)
    x2 = fork(recolor_i, mostcolor_f, backdrop)
    x3 = apply(x2, x1)
    x4 = merge(x3)
    x5 = paint(I, x4)
    x6 = fork(recolor_i, leastcolor_f, outbox)
    x7 = mapply(x6, x1)
    O = paint(x5, x7)
    return O
)";

TEST(ExecutorPrune, TokpidjinPaletteSourcesReachCheapNodesAndSafeDefaults) {
  test::ProgramFixture f(kTokPaintPrograms, "tok_paint.py");
  // The witnesses of a program: for each, its paint steps' sources and extra colours.
  auto witnesses = [&](const char* name) {
    std::vector<std::pair<std::vector<std::string>, int>> out;
    for (const ColourWitness& w : f.compiled->colour_witnesses(f.id(name))) {
      std::pair<std::vector<std::string>, int> one{{}, 0};
      for (const ColourStep& s : w.steps) {
        for (program::NodeId x : s.sources) one.first.push_back(label(f.dag, x));
        one.second |= s.extra;
      }
      out.push_back(std::move(one));
    }
    return out;
  };
  using S = std::vector<std::string>;
  using W = std::vector<std::pair<S, int>>;
  // the cheap bound first (0: color's default), then the painted object itself
  EXPECT_EQ(witnesses("mfilter_of_apply"), (W{{S{"fgpartition"}, 1}, {S{"mfilter_f"}, 0}}));
  EXPECT_EQ(witnesses("cells_joined"), (W{{S{"o_g"}, 1}, {S{"mfilter_f"}, 0}}));
  EXPECT_EQ(witnesses("colour_of_pairs_of_pairs"), (W{{S{"astuple"}, 1}, {S{"mapply"}, 0}}));
  EXPECT_EQ(witnesses("each_colour_joined"), (W{{S{"remove"}, 0}, {S{"mapply"}, 0}}));  // identity never raises
  EXPECT_EQ(witnesses("most_and_least"), (W{{S{"o_g", "o_g"}, 1}, {S{"mapply", "merge"}, 0}}));
}

TEST(ExecutorPrune, AConstantAngleMakesMirRotTTheMirrorOrRotationItSelects) {
  test::ProgramFixture f(kTokPaintPrograms, "tok_paint.py");
  using W = std::vector<std::pair<std::string, bool>>;
  W shape;
  for (const auto& w : f.compiled->shape_witnesses(f.id("turned_by_angle"))) shape.emplace_back(label(f.dag, w.node), w.transposed);
  // R9: the grid itself; R1: dmirror (transposes); R4: rot90 (transposes back)
  EXPECT_EQ(shape, (W{{"mir_rot_t", false}, {"mir_rot_t", true}, {"fill", false}, {"I", false}}));
  const auto& colour = f.compiled->colour_witnesses(f.id("turned_by_angle"));
  ASSERT_EQ(colour.size(), 1u);
  std::vector<ColourOp> ops;
  for (const ColourStep& s : colour[0].steps) ops.push_back(s.op);
  EXPECT_EQ(ops, (std::vector<ColourOp>{ColourOp::Identity, ColourOp::Dmirror, ColourOp::Rot90, ColourOp::Fill}));
  EXPECT_EQ(label(f.dag, colour[0].base), "I");
  // an angle computed at run time selects nothing in advance
  EXPECT_TRUE(f.compiled->shape_witnesses(f.id("turned_by_a_count")).empty());
  EXPECT_TRUE(f.compiled->colour_witnesses(f.id("turned_by_a_count")).empty());
}

TEST(ExecutorPrune, TokpidjinPrunedProgramsNeverHadTheExpectedOutput) {
  test::ProgramFixture f(kTokPaintPrograms, "tok_paint.py");
  const auto [pruned, kept] = prune_only_wrong_outputs(f, 31);
  EXPECT_GT(pruned, 500);
  EXPECT_GT(kept, 500);
}

// Found in review: a pair's two ints reach the grid as colours through identity, color of a tuple
// that starts with a pair, asobject or toobject of a tuple with a pair row, and transposes.
constexpr const char* kPairPrograms = R"(def solve_identity_over_a_pair(I):
    x1 = astuple(TWO, TWO)
    x2 = rbind(astuple, ZERO)
    x3 = compose(initset, x2)
    x4 = fork(recolor, identity, x3)
    x5 = mapply(x4, x1)
    O = paint(I, x5)
    return O

def solve_colour_of_a_pair_first(I):
    x1 = astuple(TWO, ZERO)
    x2 = astuple(x1, FIVE)
    x3 = initset(x2)
    x4 = compose(initset, first)
    x5 = fork(recolor, color, x4)
    x6 = mapply(x5, x3)
    O = paint(I, x6)
    return O

def solve_asobject_of_a_pair_row(I):
    x1 = astuple(THREE, FOUR)
    x2 = asobject(I)
    x3 = astuple(x1, x2)
    x4 = asobject(x3)
    O = paint(I, x4)
    return O

def solve_transposed_pair_rows(I):
    x1 = astuple(THREE, FOUR)
    x2 = astuple(ORIGIN, RIGHT)
    x3 = astuple(x1, x2)
    x4 = dmirror(x3)
    O = paint(I, x4)
    return O
)";

TEST(ExecutorPrune, APairsIntsCountAsColoursItCanPaint) {
  test::ProgramFixture f(kPairPrograms, "pairs.py");
  EvalLimits limits;
  limits.wall_ms = 0;
  std::vector<int> painted(f.dag.programs().size(), 0);
  for (const auto& shape : {std::pair(3, 3), std::pair(1, 2)}) {
    const Sample s{make_grid(Grid(shape.first, shape.second, 0)), empty_tuple(), empty_tuple()};
    for (std::uint32_t k = 0; k < f.dag.programs().size(); ++k) {
      const std::vector<std::uint32_t> one{k};
      Evaluator ev(*f.compiled);
      std::vector<Outcome> full, pruned;
      ev.run(one, s, limits, full);
      if (full[0].status != EvalStatus::Ok || full[0].value.kind() != Kind::Grid) continue;
      painted[k] += full[0].value.grid() != s.I.grid();
      ev.run(one, s, limits, pruned, &full[0].value.grid());
      EXPECT_EQ(pruned[0].status, EvalStatus::Ok) << f.dag.programs()[k].name << " pruned on its own output";
    }
  }
  for (std::uint32_t k = 0; k < f.dag.programs().size(); ++k)
    EXPECT_GT(painted[k], 0) << f.dag.programs()[k].name << " never painted a pair's int";
}

}  // namespace
}  // namespace megabatch::cpu
