// Memoised closure calls (cpu/dsl/registry.cpp): a program-step closure called again and again with the
// same argument keeps its results, and every outcome, charge and budget stop is exactly what
// recomputing would give.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "program_fixture.hpp"

namespace megabatch::cpu {
namespace {

// repeat: x1 (eight rot90 calls) on the same grid 40 times, through a closure of fresh 2-tuples.
// distances: arc-dsl's nearest-object idiom: for every cell, the object nearest to it (an argmin over
// objects of a distance through nested closures), asked once per object: the same cells again and
// again. cheap: a closure of one call, never worth memoising. closures: an expensive step closure
// returning closures, 40 times on the same grid: closures compare by identity, so 40 distinct ones
// must come back (a cached result would make them one). reentry: a closure reaching itself through
// its argument (the inner calls must not touch the memo the outer call is using), then 2,100 calls
// with arguments that never repeat (the memo gives up at 2,048 misses). shared_nesting: results nested five deep
// that share their parts (64^5 paths): checking them must not walk every path.
constexpr const char* kPrograms = R"(def solve_repeat(I):
    x1 = power(rot90, EIGHT)
    x2 = interval(ZERO, 40, ONE)
    x3 = rbind(astuple, I)
    x4 = chain(x1, last, x3)
    x5 = apply(x4, x2)
    O = last(x5)
    return O

def solve_distances(I):
    x1 = asindices(I)
    x2 = objects(I, T, F, T)
    x3 = fork(add, first, last)
    x4 = compose(center, last)
    x5 = fork(subtract, first, x4)
    x6 = fork(multiply, sign, identity)
    x7 = lbind(apply, x6)
    x8 = chain(x3, x7, x5)
    x9 = lbind(lbind, astuple)
    x10 = lbind(compose, x8)
    x11 = compose(x10, x9)
    x12 = lbind(argmin, x2)
    x13 = compose(x12, x11)
    x14 = lbind(rbind, equality)
    x15 = rbind(compose, x13)
    x16 = chain(x15, x14, identity)
    x17 = lbind(sfilter, x1)
    x18 = compose(x17, x16)
    x19 = fork(recolor, color, x18)
    x20 = mapply(x19, x2)
    O = paint(I, x20)
    return O

def solve_cheap(I):
    x1 = rbind(add, ONE)
    x2 = interval(ZERO, 50, ONE)
    x3 = apply(x1, x2)
    O = last(x3)
    return O

def solve_closures(I):
    x1 = power(rot90, EIGHT)
    x2 = compose(size, x1)
    x3 = lbind(lbind, add)
    x4 = compose(x3, x2)
    x5 = repeat(I, 40)
    x6 = apply(x4, x5)
    x7 = dedupe(x6)
    O = size(x7)
    return O

def solve_reentry(I):
    x1 = rbind(repeat, TEN)
    x2 = lbind(astuple, identity)
    x3 = compose(x2, x1)
    x4 = fork(apply, first, last)
    x5 = interval(ZERO, 16, ONE)
    x6 = apply(x3, x5)
    x7 = apply(x4, x6)
    x8 = size(x7)
    x9 = add(x8, 2084)
    x10 = interval(ZERO, x9, ONE)
    x11 = apply(x3, x10)
    x12 = astuple(x4, x11)
    x13 = x4(x12)
    x14 = apply(x4, x11)
    x15 = size(x13)
    x16 = size(x14)
    O = add(x15, x16)
    return O

def solve_shared_nesting(I):
    x1 = repeat(I, 64)
    x2 = repeat(x1, 64)
    x3 = repeat(x2, 64)
    x4 = repeat(x3, 64)
    x5 = repeat(x4, 64)
    x6 = chain(size, first, first)
    x7 = fork(add, x6, x6)
    x8 = compose(identity, x7)
    x9 = repeat(x5, 17)
    x10 = apply(x8, x9)
    O = size(x10)
    return O
)";

struct Fixture : test::ProgramFixture {
  Fixture() : ProgramFixture(kPrograms, "memo.py") {}
};

// A 12x12 grid with a few one-colour blobs on a zero background.
Sample blobs() {
  Grid g(12, 12);
  const int marks[][3] = {{1, 1, 1}, {1, 1, 2}, {3, 8, 9}, {5, 2, 10}, {7, 10, 3}, {2, 6, 6}, {2, 6, 7}, {4, 11, 11}};
  for (const auto& m : marks) g.at(m[1], m[2]) = m[0];
  return Sample{make_grid(g), empty_tuple(), empty_tuple()};
}

EvalLimits limits(std::int64_t max_calls = 1'000'000, std::int64_t max_cells = 4'000'000) {
  EvalLimits l;
  l.max_calls = max_calls;
  l.max_cells = max_cells;
  l.wall_ms = 0;
  return l;
}

struct MemoRun {
  std::vector<Outcome> out;
  ClosureMemoStats stats;  // hits and misses during the run
};

MemoRun run(const Fixture& f, const std::vector<std::uint32_t>& programs, const EvalLimits& l, bool memo) {
  set_closure_memo_enabled(memo);
  const ClosureMemoStats before = closure_memo_stats();
  Evaluator ev(*f.compiled);
  MemoRun r;
  ev.run(programs, blobs(), l, r.out);
  set_closure_memo_enabled(true);
  const ClosureMemoStats after = closure_memo_stats();
  r.stats.hits = after.hits - before.hits;
  r.stats.misses = after.misses - before.misses;
  return r;
}

void expect_same(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.status, b.status) << what << ": " << a.message << " / " << b.message;
  EXPECT_EQ(a.message, b.message) << what;
  EXPECT_EQ(a.calls, b.calls) << what;
  EXPECT_EQ(a.cells, b.cells) << what;
  EXPECT_EQ(a.value, b.value) << what << ": " << repr(a.value) << " / " << repr(b.value);
  EXPECT_EQ(repr(a.value), repr(b.value)) << what;  // compare() has True == 1; repr tells them apart
}

TEST(ClosureMemo, RepeatedCallsHitAndChargeExactlyWhatRecomputingCharges) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("repeat"), f.id("distances"), f.id("cheap"), f.id("closures")};
  ASSERT_EQ(programs.size(), 4u);
  const MemoRun off = run(f, programs, limits(), false);
  const MemoRun on = run(f, programs, limits(), true);
  EXPECT_EQ(off.stats.hits + off.stats.misses, 0u);
  ASSERT_EQ(on.out.size(), programs.size());
  for (std::size_t k = 0; k < programs.size(); ++k) {
    EXPECT_EQ(on.out[k].status, EvalStatus::Ok) << f.dag.programs()[programs[k]].name << ": " << on.out[k].message;
    expect_same(off.out[k], on.out[k], f.dag.programs()[programs[k]].name);
  }
  // repeat: 40 calls of x1 on the same grid, the first 16 on probation: at least 23 hits. distances:
  // x13 (a cell's nearest object) runs for each of the 144 cells once per object (6): the passes after
  // the first hit on all but the cells asked while x13 was on probation: at least 5 * 144 - 16 more.
  EXPECT_GE(on.stats.hits, 23u + 5 * 144 - 16);
  // The rotated grid is the input itself, and every cell took the colour of its nearest object.
  EXPECT_EQ(on.out[0].value, blobs().I);
  EXPECT_EQ(on.out[2].value, Value::integer(50));
  EXPECT_EQ(on.out[3].value, Value::integer(40));
}

TEST(ClosureMemo, ReentryAGiveUpAndDeeplySharedResultsChangeNothing) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("reentry"), f.id("shared_nesting")};
  // The default one-second wall budget: walking every path of shared_nesting's results would take
  // seconds and turn its outcome into a budget stop.
  EvalLimits l = limits();
  l.wall_ms = 1000;
  const MemoRun off = run(f, programs, l, false);
  const MemoRun on = run(f, programs, l, true);
  for (std::size_t k = 0; k < programs.size(); ++k) {
    EXPECT_EQ(on.out[k].status, EvalStatus::Ok) << f.dag.programs()[programs[k]].name << ": " << on.out[k].message;
    expect_same(off.out[k], on.out[k], f.dag.programs()[programs[k]].name);
  }
  EXPECT_EQ(on.out[0].value, Value::integer(4200));
  EXPECT_EQ(on.out[1].value, Value::integer(17));
  EXPECT_GE(on.stats.misses, 2048u);  // reentry's memo reached the give-up point
}

TEST(ClosureMemo, ThePaintedGridMatchesADirectNearestObjectComputation) {
  Fixture f;
  const MemoRun on = run(f, {f.id("distances")}, limits(), true);
  ASSERT_EQ(on.out[0].status, EvalStatus::Ok) << on.out[0].message;
  ASSERT_GT(on.stats.hits, 0u);
  const Grid& g = on.out[0].value.grid();
  // blobs()' objects in canonical order (by colour here) with their centres (uppermost + height // 2,
  // leftmost + width // 2): every cell takes the colour of the object whose centre is nearest in
  // Manhattan distance, the first such object on ties, as arc-dsl's argmin does.
  struct Obj {
    int colour, ci, cj;
  };
  const Obj objs[] = {{1, 1, 2}, {2, 6, 7}, {3, 8, 9}, {4, 11, 11}, {5, 2, 10}, {7, 10, 3}};
  for (int i = 0; i < g.h; ++i)
    for (int j = 0; j < g.w; ++j) {
      int best = -1, best_d = 1 << 30;
      for (const Obj& o : objs) {
        const int d = std::abs(i - o.ci) + std::abs(j - o.cj);
        if (d < best_d) best_d = d, best = o.colour;
      }
      EXPECT_EQ(g.at(i, j), best) << "cell " << i << "," << j;
    }
}

TEST(ClosureMemo, BudgetStopsLandExactlyWhereRecomputingStops) {
  Fixture f;
  const std::vector<std::uint32_t> programs = {f.id("repeat"), f.id("distances")};
  const MemoRun full = run(f, programs, limits(), false);
  std::uint64_t hits = 0;
  for (std::int64_t fraction : {5, 10, 33, 50, 77, 95}) {
    // A call budget that runs out part of the way through each program.
    for (std::size_t k = 0; k < programs.size(); ++k) {
      const std::int64_t max_calls = full.out[k].calls * fraction / 100;
      const MemoRun off = run(f, {programs[k]}, limits(max_calls), false);
      const MemoRun on = run(f, {programs[k]}, limits(max_calls), true);
      EXPECT_EQ(off.out[0].status, EvalStatus::Budget) << max_calls;
      expect_same(off.out[0], on.out[0], "calls " + std::to_string(max_calls));
      hits += on.stats.hits;
      // The same with a cell budget.
      const std::int64_t max_cells = full.out[k].cells * fraction / 100;
      const MemoRun off_cells = run(f, {programs[k]}, limits(1'000'000, max_cells), false);
      const MemoRun on_cells = run(f, {programs[k]}, limits(1'000'000, max_cells), true);
      EXPECT_EQ(off_cells.out[0].status, EvalStatus::Budget) << max_cells;
      expect_same(off_cells.out[0], on_cells.out[0], "cells " + std::to_string(max_cells));
    }
  }
  EXPECT_GT(hits, 0u);  // the stops were reached through memo hits, not before any
}

}  // namespace
}  // namespace megabatch::cpu
