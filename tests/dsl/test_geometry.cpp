// DslGeometry: the patch-geometry half of the grids family (centres, corners, segments, rays,
// frontiers, boxes, gravitation, pattern occurrences, periods) against arc-dsl's dsl.py, with
// frozensets in canonical ascending order.
#include <gtest/gtest.h>

#include <string>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"

#include "dsl_support.hpp"

namespace megabatch {
namespace {

// "frozenset({(r, c0), (r, c0 + 1), ...})" style listings, built from explicit points.
std::string points(std::initializer_list<std::pair<int, int>> pts) {
  std::string s = "frozenset({";
  bool first = true;
  for (auto [i, j] : pts) {
    if (!first) s += ", ";
    first = false;
    s += '(';
    s += std::to_string(i);
    s += ", ";
    s += std::to_string(j);
    s += ')';
  }
  return s + "})";
}

TEST(DslGeometry, CenterRoundsTowardTheLowerRight) {
  EXPECT_EVAL("center(frozenset({(0, 0), (3, 5)}))", "(2, 3)");
  EXPECT_EVAL("center(frozenset({(1, (0, 0)), (1, (4, 4))}))", "(2, 2)");
  EXPECT_EVAL("center(frozenset({(-3, -3), (-1, -4)}))", "(-2, -3)");
  // a grid of pairs is a patch of locations; its height is its row count
  EXPECT_EVAL("center(((1, 2), (3, 4), (5, 6)))", "(2, 3)");
  EXPECT_EVAL_ERROR("center(frozenset())");
  EXPECT_EVAL_ERROR("center(5)");
}

TEST(DslGeometry, PositionIsAUnitDirection) {
  EXPECT_EVAL("position(frozenset({(0, 0)}), frozenset({(0, 5)}))", "(0, 1)");
  EXPECT_EVAL("position(frozenset({(0, 5)}), frozenset({(0, 0)}))", "(0, -1)");
  EXPECT_EVAL("position(frozenset({(0, 0)}), frozenset({(0, 0)}))", "(0, -1)");  // same centre: left
  EXPECT_EVAL("position(frozenset({(0, 0)}), frozenset({(5, 0)}))", "(1, 0)");
  EXPECT_EVAL("position(frozenset({(5, 0)}), frozenset({(0, 0)}))", "(-1, 0)");
  EXPECT_EVAL("position(frozenset({(0, 0)}), frozenset({(5, 5)}))", "(1, 1)");
  EXPECT_EVAL("position(frozenset({(5, 0)}), frozenset({(0, 5)}))", "(-1, 1)");
  EXPECT_EVAL("position(frozenset({(0, 5)}), frozenset({(5, 0)}))", "(1, -1)");
  EXPECT_EVAL("position(frozenset({(1, (0, 0))}), frozenset({(2, (3, 1))}))", "(1, 1)");
  EXPECT_EVAL_ERROR("position(frozenset(), frozenset({(0, 0)}))");
}

TEST(DslGeometry, Corners) {
  EXPECT_EVAL("corners(frozenset({(0, 0), (3, 5), (1, 1)}))", points({{0, 0}, {0, 5}, {3, 0}, {3, 5}}));
  EXPECT_EVAL("corners(frozenset({(2, 2)}))", points({{2, 2}}));
  EXPECT_EVAL("corners(frozenset({(1, (2, 2)), (1, (2, 5))}))", points({{2, 2}, {2, 5}}));
  // the corners of nothing are four empty tuples, which collapse into one
  EXPECT_EVAL("corners(frozenset())", "frozenset({()})");
  EXPECT_EVAL("corners(((1, 2), (3, 4)))", points({{1, 2}, {1, 4}, {3, 2}, {3, 4}}));
}

TEST(DslGeometry, ConnectDrawsStraightSegmentsOnly) {
  EXPECT_EVAL("connect((0, 0), (0, 3))", points({{0, 0}, {0, 1}, {0, 2}, {0, 3}}));
  EXPECT_EVAL("connect((3, 0), (0, 0))", points({{0, 0}, {1, 0}, {2, 0}, {3, 0}}));
  EXPECT_EVAL("connect((0, 0), (2, 2))", points({{0, 0}, {1, 1}, {2, 2}}));
  EXPECT_EVAL("connect((0, 2), (2, 0))", points({{0, 2}, {1, 1}, {2, 0}}));
  EXPECT_EVAL("connect((2, 0), (0, 2))", points({{0, 2}, {1, 1}, {2, 0}}));
  EXPECT_EVAL("connect((2, 2), (2, 2))", points({{2, 2}}));
  EXPECT_EVAL("connect((-2, -2), (0, 0))", points({{-2, -2}, {-1, -1}, {0, 0}}));
  EXPECT_EVAL("connect((0, 0), (1, 3))", "frozenset()");
  // coordinates beyond 32 bits stay exact
  EXPECT_EVAL("connect((0, 2147483646), (0, 2147483648))",
              "frozenset({(0, 2147483646), (0, 2147483647), (0, 2147483648)})");
  EXPECT_EVAL("connect(frozenset({1, 2}), (5, 2))", points({{1, 2}, {2, 2}, {3, 2}, {4, 2}, {5, 2}}));
  EXPECT_EVAL_ERROR("connect(((1,), 0), (0, 0))");
  EXPECT_EVAL_ERROR("connect((0, 0, 0), (1, 1))");
  Budget b;
  BudgetScope scope(&b);
  EXPECT_THROW(ev("connect((0, 0), (0, 100000000))"), BudgetExceeded);
}

TEST(DslGeometry, ShootIsA42StepSegment) {
  Value down = cpu::dsl::shoot(Value::pair(1, 1), Value::pair(1, 0));
  EXPECT_EQ(down.size(), 43u);
  EXPECT_EQ(repr(down.item(0)), "(1, 1)");
  EXPECT_EQ(repr(down.item(42)), "(43, 1)");
  Value back = cpu::dsl::shoot(Value::pair(1, 1), Value::pair(-1, -1));
  EXPECT_EQ(repr(back.item(0)), "(-41, -41)");
  EXPECT_EQ(repr(cpu::dsl::shoot(Value::pair(1, 1), Value::pair(1, -1)).item(42)), "(43, -41)");
  EXPECT_EVAL("shoot((1, 1), (0, 0))", points({{1, 1}}));
  EXPECT_EVAL("shoot((1, 1), (1, 2))", "frozenset()");  // not a straight direction
  EXPECT_EVAL_ERROR("shoot((1,), (1, 0))");
}

TEST(DslGeometry, Frontiers) {
  Value v = val("vfrontier((3, 4))");
  EXPECT_EQ(v.size(), 30u);
  EXPECT_EQ(repr(v.item(0)), "(0, 4)");
  EXPECT_EQ(repr(v.item(29)), "(29, 4)");
  Value h = val("hfrontier((3, 4))");
  EXPECT_EQ(h.size(), 30u);
  EXPECT_EQ(repr(h.item(29)), "(3, 29)");
  EXPECT_EQ(repr(val("vfrontier((3, (4, 5)))").item(1)), "(1, (4, 5))");  // any value as the column
  EXPECT_EVAL_ERROR("vfrontier((3,))");
  EXPECT_EVAL_ERROR("hfrontier(frozenset({1, 2}))");

  EXPECT_EVAL("frontiers(((1, 1, 1), (2, 3, 1), (4, 4, 1)))",
              "frozenset({frozenset({(1, (0, 0)), (1, (0, 1)), (1, (0, 2))}), "
              "frozenset({(1, (0, 2)), (1, (1, 2)), (1, (2, 2))})})");
  EXPECT_EVAL("frontiers(((5,),))", "frozenset({frozenset({(5, (0, 0))})})");  // row and column coincide
  EXPECT_EVAL("frontiers(((5, 6),))", "frozenset({frozenset({(5, (0, 0))}), frozenset({(6, (0, 1))})})");
  EXPECT_EVAL("frontiers(((), ()))", "frozenset()");
  EXPECT_EVAL_ERROR("frontiers(())");
}

TEST(DslGeometry, BackdropAndDelta) {
  EXPECT_EVAL("backdrop(frozenset({(0, 0), (2, 3)}))",
              points({{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 3}}));
  EXPECT_EVAL("backdrop(frozenset({(1, (0, 1)), (1, (2, 0))}))", points({{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}}));
  EXPECT_EVAL("backdrop(frozenset())", "frozenset()");
  EXPECT_EVAL("backdrop(())", "frozenset()");
  EXPECT_EVAL("backdrop(((0, 1), (2, 3)))",
              points({{0, 1}, {0, 2}, {0, 3}, {1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3}}));
  EXPECT_EVAL_ERROR("backdrop(5)");
  EXPECT_EVAL("delta(frozenset({(0, 0), (2, 3)}))",
              points({{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 1}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 2}}));
  EXPECT_EVAL("delta(frozenset({(1, (0, 0)), (2, (0, 0)), (1, (2, 1))}))", points({{0, 1}, {1, 0}, {1, 1}, {2, 0}}));
  EXPECT_EVAL("delta(frozenset({(0, 0), (0, 1), (1, 0), (1, 1)}))", "frozenset()");
  EXPECT_EVAL("delta(())", "frozenset()");
  EXPECT_EVAL_ERROR("delta(((0, 1), (2, 3)))");  // frozenset - tuple
  Budget b;
  BudgetScope scope(&b);
  EXPECT_THROW(ev("backdrop(frozenset({(0, 0), (3000, 3000)}))"), BudgetExceeded);
}

TEST(DslGeometry, Boxes) {
  EXPECT_EVAL("box(frozenset({(0, 0), (2, 3)}))",
              points({{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 3}, {2, 0}, {2, 1}, {2, 2}, {2, 3}}));
  EXPECT_EVAL("box(frozenset({(0, 0)}))", points({{0, 0}}));
  EXPECT_EVAL("box(frozenset({(1, (0, 0)), (1, (3, 0))}))", points({{0, 0}, {1, 0}, {2, 0}, {3, 0}}));
  EXPECT_EVAL("box(frozenset())", "frozenset()");
  EXPECT_EVAL("box(())", "()");  // the empty patch itself comes back
  EXPECT_EVAL("box(((0, 0), (2, 2)))", points({{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}, {2, 2}}));
  EXPECT_EVAL_ERROR("box(((0, 0, 5), (2, 2, 5)))");
  EXPECT_EVAL("inbox(frozenset({(0, 0), (4, 5)}))",
              points({{1, 1}, {1, 2}, {1, 3}, {1, 4}, {2, 1}, {2, 4}, {3, 1}, {3, 2}, {3, 3}, {3, 4}}));
  EXPECT_EVAL("inbox(frozenset({(0, 0), (1, 1)}))", points({{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
  // too small for an inside: the corners cross over and min/max reorder them
  EXPECT_EVAL("inbox(frozenset({(0, 0)}))", points({{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}}));
  EXPECT_EVAL("outbox(frozenset({(1, (2, 2))}))", points({{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 3}, {3, 1}, {3, 2}, {3, 3}}));
  EXPECT_EQ(val("outbox(frozenset({(0, 0), (2, 3)}))").size(), 18u);
  EXPECT_EVAL_ERROR("inbox(frozenset())");
  EXPECT_EVAL_ERROR("outbox(frozenset())");
  EXPECT_EQ(repr(val("outbox(frozenset({(-2147483648, 0)}))").item(0)), "(-2147483649, -1)");
}

TEST(DslGeometry, GravitateStopsWhenAdjacentOrAfter42Steps) {
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(0, 5)}))", "(0, 4)");
  EXPECT_EVAL("gravitate(frozenset({(0, 5)}), frozenset({(0, 0)}))", "(0, -4)");
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(5, 0)}))", "(4, 0)");
  EXPECT_EVAL("gravitate(frozenset({(5, 0)}), frozenset({(0, 0)}))", "(-4, 0)");
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(0, 1)}))", "(0, 0)");
  EXPECT_EVAL("gravitate(frozenset({(0, 0),(0, 1)}), frozenset({(3, 1), (3, 2)}))", "(2, 0)");
  EXPECT_EVAL("gravitate(frozenset({(2, (0, 0)), (2, (1, 0))}), frozenset({(3, (0, 7)), (3, (9, 9))}))", "(0, 6)");
  EXPECT_EVAL("gravitate(((0, 0),), frozenset({(0, 4)}))", "(0, 3)");
  // never adjacent: arc-dsl gives up after 42 steps and reports the last offset it tried
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(0, 0)}))", "(-1, 0)");
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(5, 5)}))", "(0, 42)");
  EXPECT_EVAL("gravitate(frozenset({(0, 0)}), frozenset({(0, 100)}))", "(0, 42)");
  EXPECT_EVAL_ERROR("gravitate(frozenset(), frozenset({(1, 1)}))");
}

TEST(DslGeometry, Occurrences) {
  const std::string g = "((1, 2, 1), (2, 1, 2), (1, 2, 1))";
  EXPECT_EVAL("occurrences(" + g + ", frozenset({(1, (0, 0)), (2, (0, 1))}))", points({{0, 0}, {1, 1}, {2, 0}}));
  EXPECT_EVAL("occurrences(" + g + ", frozenset({(1, (5, 5)), (2, (5, 6))}))", points({{0, 0}, {1, 1}, {2, 0}}));
  EXPECT_EVAL("occurrences(" + g + ", frozenset({(1, (0, 0)), (1, (9, 9))}))", "frozenset()");
  // the empty object fits everywhere, one step past the last row and column included
  EXPECT_EVAL("occurrences(((1, 2), (2, 1)), frozenset())",
              points({{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}}));
  // locations have no colour to compare, but only matter when some offset is tried
  EXPECT_EVAL("occurrences(" + g + ", frozenset({(0, 0), (5, 5)}))", "frozenset()");
  EXPECT_EVAL_ERROR("occurrences(" + g + ", frozenset({(0, 0)}))");
  EXPECT_EVAL_ERROR("occurrences(((1, 2), (3,)), frozenset({(3, (0, 0))}))");
}

TEST(DslGeometry, Periods) {
  EXPECT_EVAL("hperiod(frozenset({(1, (0, 0)), (2, (0, 1)), (1, (0, 2)), (2, (0, 3))}))", "2");
  EXPECT_EVAL("hperiod(frozenset({(1, (0, 0)), (2, (0, 1)), (1, (0, 2))}))", "2");
  EXPECT_EVAL("hperiod(frozenset({(1, (0, 3)), (1, (0, 7))}))", "4");
  EXPECT_EVAL("hperiod(frozenset({(1, (0, 0)), (2, (0, 1)), (1, (1, 2)), (2, (1, 3))}))", "4");
  EXPECT_EVAL("vperiod(frozenset({(1, (0, 0)), (2, (1, 0)), (1, (2, 0)), (2, (3, 0))}))", "2");
  EXPECT_EVAL("vperiod(frozenset({(1, (3, 0)), (1, (7, 0))}))", "4");
  EXPECT_EVAL("vperiod(frozenset({(1, (0, 0)), (1, (1, 0)), (1, (2, 0))}))", "1");
  EXPECT_EVAL("hperiod(frozenset())", "0");
  EXPECT_EVAL("hperiod(frozenset({(0, 0)}))", "1");  // one column: no shift is ever tried
  EXPECT_EVAL_ERROR("hperiod(frozenset({(0, 0), (0, 1)}))");
  EXPECT_EVAL_ERROR("vperiod(5)");
}

}  // namespace
}  // namespace megabatch
