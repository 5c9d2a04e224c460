// DslGrids: the grid transforms of the grids family (rotations, mirrors, painting, scaling,
// concatenation, splitting, colour substitution, halves) against arc-dsl's dsl.py semantics,
// including Python's behaviour on odd inputs and the cell budget on runaway sizes.
#include <gtest/gtest.h>

#include <string>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"

#include "dsl_support.hpp"

namespace megabatch {
namespace {

const std::string k2x3 = "((1, 2, 3), (4, 5, 6))";

TEST(DslGrids, RegisteredInDslOrder) {
  const char* names[] = {"rot90",     "rot180",    "rot270",     "hmirror",   "vmirror",   "dmirror",   "cmirror",
                         "fill",      "paint",     "underfill",  "underpaint", "hupscale", "vupscale",  "upscale",
                         "downscale", "hconcat",   "vconcat",    "subgrid",   "hsplit",    "vsplit",    "cellwise",
                         "replace",   "switch",    "center",     "position",  "index",     "canvas",    "corners",
                         "connect",   "cover",     "trim",       "move",      "tophalf",   "bottomhalf", "lefthalf",
                         "righthalf", "vfrontier", "hfrontier",  "backdrop",  "delta",     "gravitate", "inbox",
                         "outbox",    "box",       "shoot",      "occurrences", "frontiers", "compress", "hperiod",
                         "vperiod"};
  int previous = -1;
  for (const char* n : names) {
    const cpu::PrimitiveInfo* p = cpu::find_primitive(n);
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(p->family, "grids") << n;
    EXPECT_FALSE(p->description.empty()) << n;
    int id = cpu::primitive_id(n);
    EXPECT_GT(id, previous) << n;
    previous = id;
  }
}

TEST(DslGrids, Rotations) {
  EXPECT_EVAL("rot90(" + k2x3 + ")", "((4, 1), (5, 2), (6, 3))");
  EXPECT_EVAL("rot180(" + k2x3 + ")", "((6, 5, 4), (3, 2, 1))");
  EXPECT_EVAL("rot270(" + k2x3 + ")", "((3, 6), (2, 5), (1, 4))");
  EXPECT_EVAL("rot90(rot90(rot90(rot90(" + k2x3 + "))))", "((1, 2, 3), (4, 5, 6))");
  EXPECT_EVAL("rot90(((7,),))", "((7,),)");
  EXPECT_EVAL("rot90(((1, 0), (0, 1), (1, 0)))", "((1, 0, 1), (0, 1, 0))");
}

TEST(DslGrids, RotationsOfDegenerateGrids) {
  EXPECT_EVAL("rot90(())", "()");
  EXPECT_EVAL("rot90(((), ()))", "()");  // zip of empty rows is empty
  EXPECT_EVAL("rot180(((), ()))", "((), ())");
  EXPECT_EVAL("rot270(((), ()))", "()");
  // ragged rows: zip stops at the shortest
  EXPECT_EVAL("rot90(((1, 2), (3,)))", "((3, 1),)");
  EXPECT_EVAL("rot270(((1, 2), (3,)))", "((1, 3),)");
  EXPECT_EVAL("rot180(((1, 2), (3,)))", "((3,), (2, 1))");
  // rows of any iterable (sets iterate in canonical order)
  EXPECT_EVAL("rot90((frozenset({2, 1}), frozenset({4, 3})))", "((3, 1), (4, 2))");
  EXPECT_EVAL_ERROR("rot90((1, 2))");  // rows that are ints cannot be zipped
  EXPECT_EVAL_ERROR("rot90(frozenset({(0, 0)}))");
  EXPECT_EVAL_ERROR("rot180(5)");
}

TEST(DslGrids, MirrorsOfGrids) {
  EXPECT_EVAL("hmirror(" + k2x3 + ")", "((4, 5, 6), (1, 2, 3))");
  EXPECT_EVAL("vmirror(" + k2x3 + ")", "((3, 2, 1), (6, 5, 4))");
  EXPECT_EVAL("dmirror(" + k2x3 + ")", "((1, 4), (2, 5), (3, 6))");
  EXPECT_EVAL("cmirror(" + k2x3 + ")", "((6, 3), (5, 2), (4, 1))");
  EXPECT_EVAL("dmirror(((1, 2), (3,)))", "((1, 3),)");
  EXPECT_EVAL("cmirror(())", "()");
}

TEST(DslGrids, MirrorsOfOtherTuples) {
  // any tuple reverses; a pair is just a tuple
  EXPECT_EVAL("hmirror((1, 2))", "(2, 1)");
  EXPECT_EVAL("hmirror((5, (1, 2)))", "((1, 2), 5)");
  EXPECT_EVAL("hmirror(())", "()");
  EXPECT_EVAL("vmirror(())", "()");
  EXPECT_EVAL("vmirror(((1, 2), (3,)))", "((2, 1), (3,))");
  EXPECT_EVAL_ERROR("vmirror((1, 2))");  // its rows are ints
  EXPECT_EVAL_ERROR("dmirror((1, 2))");
  EXPECT_EVAL_ERROR("cmirror((1, 2))");
}

TEST(DslGrids, MirrorsOfPatchesStayInTheirBoundingBox) {
  const std::string idx = "frozenset({(0, 0), (0, 1), (2, 5), (3, 3)})";
  EXPECT_EVAL("hmirror(" + idx + ")", "frozenset({(0, 3), (1, 5), (3, 0), (3, 1)})");
  EXPECT_EVAL("vmirror(" + idx + ")", "frozenset({(0, 4), (0, 5), (2, 0), (3, 2)})");
  EXPECT_EVAL("dmirror(" + idx + ")", "frozenset({(0, 0), (1, 0), (3, 3), (5, 2)})");
  // vmirror(dmirror(vmirror(.))) mirrors each time within the current box, so the anti-diagonal
  // flip of a non-square patch does not stay in the original box
  EXPECT_EVAL("cmirror(" + idx + ")", "frozenset({(0, 1), (2, 0), (4, 3), (5, 3)})");
  const std::string obj = "frozenset({(1, (0, 0)), (2, (0, 1)), (1, (2, 5)), (3, (3, 3))})";
  EXPECT_EVAL("hmirror(" + obj + ")", "frozenset({(1, (1, 5)), (1, (3, 0)), (2, (3, 1)), (3, (0, 3))})");
  EXPECT_EVAL("vmirror(" + obj + ")", "frozenset({(1, (0, 5)), (1, (2, 0)), (2, (0, 4)), (3, (3, 2))})");
  EXPECT_EVAL("dmirror(" + obj + ")", "frozenset({(1, (0, 0)), (1, (5, 2)), (2, (1, 0)), (3, (3, 3))})");
  EXPECT_EVAL("cmirror(" + obj + ")", "frozenset({(1, (0, 1)), (1, (5, 3)), (2, (4, 3)), (3, (2, 0))})");
  // away from the origin, the box is the patch's own
  EXPECT_EVAL("dmirror(frozenset({(5, 7), (9, 8)}))", "frozenset({(5, 7), (6, 11)})");
  EXPECT_EVAL("hmirror(frozenset({(-5, -3), (10, 2)}))", "frozenset({(-5, 2), (10, -3)})");
}

TEST(DslGrids, MirrorsOfOddPatches) {
  EXPECT_EVAL_ERROR("hmirror(frozenset())");  // no corner to mirror about
  EXPECT_EVAL_ERROR("vmirror(frozenset())");
  EXPECT_EVAL_ERROR("hmirror(5)");
  EXPECT_EVAL_ERROR("hmirror(frozenset({1, 2}))");
  // the first member decides between cells and locations; the rest must follow suit
  EXPECT_EVAL_ERROR("hmirror(frozenset({(1, 2), (3, (4, 5))}))");
}

TEST(DslGrids, FillSetsInGridLocationsOnly) {
  const std::string g = "((1, 2), (3, 4))";
  EXPECT_EVAL("fill(" + g + ", 9, frozenset({(0, 0), (5, 5), (-1, 0), (1, 1)}))", "((9, 2), (3, 9))");
  EXPECT_EVAL("fill(" + g + ", 9, frozenset({(1, (0, 0)), (2, (1, 1))}))", "((9, 2), (3, 9))");
  EXPECT_EVAL("fill(" + g + ", 9, frozenset())", g);
  EXPECT_EVAL("fill(" + g + ", 9, ())", g);
  EXPECT_EVAL("fill(" + g + ", 9, ((0, 1), (1, 0)))", "((1, 9), (9, 4))");  // a tuple of pairs is a patch too
  EXPECT_EVAL("fill(" + g + ", (7, 7), frozenset({(0, 0)}))", "(((7, 7), 2), (3, 4))");
  EXPECT_EVAL("fill(((), ()), 9, frozenset({(0, 0)}))", "((), ())");
  // a negative row short-circuits Python's chained comparison, so the column is never compared
  EXPECT_EVAL("fill(" + g + ", 9, frozenset({(-1, (1, 2))}))", g);
  // (0, (1, 2)) looks like a cell, so its location (1, 2) is used, and it is off the grid
  EXPECT_EVAL("fill(" + g + ", 9, frozenset({(0, (1, 2))}))", g);
  EXPECT_EVAL_ERROR("fill(" + g + ", 9, frozenset({(0, 0), (0, (1, 2))}))");
  EXPECT_EVAL_ERROR("fill((), 9, frozenset({(0, 0)}))");  // grid[0]
  EXPECT_EVAL_ERROR("fill(((1, 2), (3,)), 9, frozenset({(1, 1)}))");  // the short row
  EXPECT_EVAL("fill(((1, 2), (3,)), 9, frozenset({(0, 1)}))", "((1, 9), (3,))");
  EXPECT_EVAL_ERROR("fill(frozenset({(1, 2)}), 9, frozenset({(0, 0)}))");
  EXPECT_EVAL_ERROR("fill(" + g + ", 9, 5)");
}

TEST(DslGrids, FillKeepsTheInputUntouched) {
  Value g = val("((1, 2), (3, 4))");
  Value r = cpu::dsl::fill(g, Value::integer(0), val("frozenset({(0, 0)})"));
  EXPECT_EQ(repr(g), "((1, 2), (3, 4))");
  EXPECT_EQ(repr(r), "((0, 2), (3, 4))");
}

TEST(DslGrids, Paint) {
  const std::string g = "((1, 2), (3, 4))";
  EXPECT_EVAL("paint(" + g + ", frozenset({(7, (0, 0)), (8, (1, 1)), (9, (5, 5))}))", "((7, 2), (3, 8))");
  EXPECT_EVAL("paint(" + g + ", frozenset())", g);
  EXPECT_EVAL("paint(" + g + ", ((5, (0, 0)), (6, (1, 1))))", "((5, 2), (3, 6))");
  EXPECT_EVAL("paint(" + g + ", frozenset({((1, 2), (0, 0))}))", "(((1, 2), 2), (3, 4))");
  // two cells on one location: the later one in canonical order (the larger colour) wins
  EXPECT_EVAL("paint(" + g + ", frozenset({(7, (0, 0)), (8, (0, 0))}))", "((8, 2), (3, 4))");
  EXPECT_EVAL_ERROR("paint(" + g + ", frozenset({(0, 0)}))");  // locations have no colour
  EXPECT_EVAL_ERROR("paint(" + g + ", 7)");
  EXPECT_EVAL_ERROR("paint((), frozenset())");
}

TEST(DslGrids, UnderfillAndUnderpaintOnlyTouchTheBackground) {
  const std::string g = "((0, 0, 1), (0, 2, 2))";
  EXPECT_EVAL("underfill(" + g + ", 5, frozenset({(0, 0), (0, 2), (1, 1), (1, 0)}))", "((5, 0, 1), (5, 2, 2))");
  EXPECT_EVAL("underfill(" + g + ", 5, frozenset({(3, (0, 0)), (3, (0, 2))}))", "((5, 0, 1), (0, 2, 2))");
  EXPECT_EVAL("underpaint(" + g + ", frozenset({(5, (0, 0)), (6, (0, 2)), (7, (1, 0))}))", "((5, 0, 1), (7, 2, 2))");
  // a tie for the most common colour goes to the smallest
  EXPECT_EVAL("underfill(((0, 1), (1, 0)), 5, frozenset({(0, 0), (0, 1)}))", "((5, 1), (1, 0))");
  EXPECT_EVAL_ERROR("underfill(((), ()), 5, frozenset())");  // no colours at all: max() of nothing
  EXPECT_EVAL_ERROR("underpaint(" + g + ", frozenset({(0, 1)}))");
}

TEST(DslGrids, HorizontalAndVerticalUpscale) {
  EXPECT_EVAL("hupscale(((1, 2), (3, 4)), 2)", "((1, 1, 2, 2), (3, 3, 4, 4))");
  EXPECT_EVAL("vupscale(((1, 2), (3, 4)), 2)", "((1, 2), (1, 2), (3, 4), (3, 4))");
  EXPECT_EVAL("hupscale(((1, 2), (3, 4)), 0)", "((), ())");
  EXPECT_EVAL("hupscale(((1, 2), (3, 4)), -2)", "((), ())");
  EXPECT_EVAL("vupscale(((1, 2), (3, 4)), 0)", "()");
  EXPECT_EVAL("vupscale(((), ()), 2)", "((), (), (), ())");
  // the factor is only looked at when there is something to repeat
  EXPECT_EVAL("hupscale(((), ()), (1, 2))", "((), ())");
  EXPECT_EVAL("vupscale((), (1,))", "()");
  EXPECT_EVAL_ERROR("hupscale(((1, 2),), (1, 2))");
  EXPECT_EVAL_ERROR("vupscale(((1, 2),), (1,))");
  // rows are any iterables, and vupscale keeps them as they are
  EXPECT_EVAL("hupscale(frozenset({(1, 2)}), 2)", "((1, 1, 2, 2),)");
  EXPECT_EVAL("vupscale(frozenset({(1, 2)}), 2)", "((1, 2), (1, 2))");
  EXPECT_EVAL_ERROR("hupscale(5, 2)");
}

TEST(DslGrids, UpscaleGrids) {
  EXPECT_EVAL("upscale(((1, 2), (3, 4)), 2)", "((1, 1, 2, 2), (1, 1, 2, 2), (3, 3, 4, 4), (3, 3, 4, 4))");
  EXPECT_EVAL("upscale(((1, 2), (3, 4)), 1)", "((1, 2), (3, 4))");
  EXPECT_EVAL("upscale(((1, 2), (3, 4)), 0)", "()");
  EXPECT_EVAL("upscale(((1, 2), (3, 4)), -1)", "()");
  EXPECT_EVAL("upscale(((), ()), 2)", "((), (), (), ())");
  EXPECT_EVAL("upscale((), (1,))", "()");
  EXPECT_EVAL_ERROR("upscale(((), ()), (1,))");  // every row repeats, so the factor is used
  EXPECT_EVAL("upscale(((1, 2), (3,)), 2)", "((1, 1, 2, 2), (1, 1, 2, 2), (3, 3), (3, 3))");
  EXPECT_EVAL_ERROR("upscale(5, 2)");
}

TEST(DslGrids, UpscaleObjectsAboutTheirCorner) {
  EXPECT_EVAL("upscale(frozenset({(1, (0, 0)), (2, (1, 1))}), 2)",
              "frozenset({(1, (0, 0)), (1, (0, 1)), (1, (1, 0)), (1, (1, 1)), "
              "(2, (2, 2)), (2, (2, 3)), (2, (3, 2)), (2, (3, 3))})");
  EXPECT_EVAL("upscale(frozenset({(1, (3, 4)), (2, (4, 5))}), 2)",
              "frozenset({(1, (3, 4)), (1, (3, 5)), (1, (4, 4)), (1, (4, 5)), "
              "(2, (5, 6)), (2, (5, 7)), (2, (6, 6)), (2, (6, 7))})");
  EXPECT_EVAL("upscale(frozenset({(1, (-3, 4)), (2, (4, -6))}), 1)", "frozenset({(1, (-3, 4)), (2, (4, -6))})");
  EXPECT_EVAL("upscale(frozenset({(1, (3, 4))}), 0)", "frozenset()");
  EXPECT_EVAL("upscale(frozenset(), (2,))", "frozenset()");
  EXPECT_EVAL_ERROR("upscale(frozenset({(1, (3, 4))}), (2,))");
  EXPECT_EVAL_ERROR("upscale(frozenset({(0, 0)}), 2)");  // locations cannot be unpacked as cells
  // sorted output matches a rebuild through the generic builder
  Value obj = val("frozenset({(5, (2, 3)), (5, (2, 7)), (1, (4, 3)), (5, (3, 5))})");
  Value up = cpu::dsl::upscale(obj, Value::integer(3));
  std::vector<Value> items;
  for (std::size_t k = 0; k < up.size(); ++k) items.push_back(up.item(k));
  EXPECT_EQ(make_set(items), up);
  EXPECT_EQ(up.size(), 36u);
}

TEST(DslGrids, UpscaleStopsOnTheCellBudget) {
  Value big = cpu::dsl::canvas(Value::integer(0), Value::pair(30, 30));
  {
    Budget b;  // the default 4M cells: 30x30 by 50 is 2.25M cells and fits
    BudgetScope scope(&b);
    Value r = cpu::dsl::upscale(big, Value::integer(50));
    EXPECT_EQ(r.grid().h, 1500);
    EXPECT_EQ(b.cells_used, 1500 * 1500);
  }
  {
    Budget b;
    b.max_cells = 2'000'000;
    BudgetScope scope(&b);
    EXPECT_THROW(cpu::dsl::upscale(big, Value::integer(50)), BudgetExceeded);
    EXPECT_EQ(b.cells_used, 0);  // stopped before allocating anything
  }
  {
    Budget b;
    BudgetScope scope(&b);
    EXPECT_THROW(cpu::dsl::upscale(big, Value::integer(100)), BudgetExceeded);
    EXPECT_THROW(cpu::dsl::hupscale(big, Value::integer(1'000'000)), BudgetExceeded);
    EXPECT_THROW(cpu::dsl::vupscale(big, Value::integer(1'000'000)), BudgetExceeded);
    EXPECT_THROW(cpu::dsl::upscale(val("frozenset({(1, (0, 0)), (2, (5, 5))})"), Value::integer(5000)), BudgetExceeded);
  }
  // even without a budget a single primitive never builds unbounded results
  EXPECT_THROW(cpu::dsl::upscale(big, Value::integer(1'000'000'000)), BudgetExceeded);
}

TEST(DslGrids, Downscale) {
  const std::string g = "((1, 2, 3), (4, 5, 6), (7, 8, 9))";
  EXPECT_EVAL("downscale(" + g + ", 2)", "((1, 3), (7, 9))");
  EXPECT_EVAL("downscale(" + g + ", 1)", g);
  EXPECT_EVAL("downscale(" + g + ", 5)", "((1,),)");
  EXPECT_EVAL("downscale(" + g + ", -2)", "((1, 3), (7, 9))");  // j % -2 == 0 for even j as well
  EXPECT_EVAL("downscale(" + g + ", -9223372036854775807)", "((1,),)");
  EXPECT_EVAL("downscale(((1, 1, 2, 2), (1, 1, 2, 2), (3, 3, 4, 4), (3, 3, 4, 4)), 2)", "((1, 2), (3, 4))");
  EXPECT_EVAL("downscale(((), ()), 2)", "((),)");
  EXPECT_EVAL_ERROR("downscale(" + g + ", 0)");
  EXPECT_EVAL_ERROR("downscale(((), ()), 0)");  // the row loop still divides
  EXPECT_EVAL_ERROR("downscale(" + g + ", (1,))");
  EXPECT_EVAL_ERROR("downscale((), 2)");
  EXPECT_EVAL_ERROR("downscale(((1, 2, 3), (4,)), 2)");  // the short row is indexed at column 2
}

TEST(DslGrids, Concatenation) {
  EXPECT_EVAL("hconcat(((1, 2), (3, 4)), ((5,), (6,)))", "((1, 2, 5), (3, 4, 6))");
  EXPECT_EVAL("hconcat(((1, 2), (3, 4)), ((5,),))", "((1, 2, 5),)");  // zip stops at the shorter
  EXPECT_EVAL("hconcat(((1, 2), (3, 4)), ())", "()");
  EXPECT_EVAL("hconcat(((), ()), ((), ()))", "((), ())");
  EXPECT_EVAL("hconcat((1, 2), (3, 4))", "(4, 6)");  // rows that are ints add up
  EXPECT_EVAL_ERROR("hconcat(((1, 2), (3, 4)), (5, 6))");
  EXPECT_EVAL_ERROR("hconcat(1, 2)");
  EXPECT_EVAL("vconcat(((1, 2),), ((3, 4),))", "((1, 2), (3, 4))");
  EXPECT_EVAL("vconcat(((1, 2),), ((3, 4, 5),))", "((1, 2), (3, 4, 5))");
  EXPECT_EVAL("vconcat((), ())", "()");
  EXPECT_EVAL("vconcat(1, 2)", "3");
  EXPECT_EVAL_ERROR("vconcat(frozenset(), ())");
}

TEST(DslGrids, SubgridCropsToTheBoundingBox) {
  const std::string g = "((1, 2, 3), (4, 5, 6), (7, 8, 9))";
  EXPECT_EVAL("subgrid(frozenset({(0, 1), (1, 2)}), " + g + ")", "((2, 3), (5, 6))");
  EXPECT_EVAL("subgrid(frozenset({(1, (0, 1)), (2, (1, 2))}), " + g + ")", "((2, 3), (5, 6))");
  EXPECT_EVAL("subgrid(frozenset({(5, 5)}), " + g + ")", "()");
  EXPECT_EVAL("subgrid(frozenset({(1, 5)}), " + g + ")", "((),)");
  // a negative start counts from the end, exactly as Python's slicing does
  EXPECT_EVAL("subgrid(frozenset({(-1, 0), (0, 1)}), " + g + ")", "()");
  EXPECT_EVAL("subgrid(frozenset({(-1, -1)}), " + g + ")", "()");  // g[-1:0]
  EXPECT_EVAL("subgrid(frozenset({(2, 2), (3, 3)}), " + g + ")", "((9,),)");
  EXPECT_EVAL("subgrid(frozenset({(1, -1), (2, 0)}), " + g + ")", "((), ())");
  EXPECT_EVAL_ERROR("subgrid(frozenset(), " + g + ")");
}

TEST(DslGrids, SplitsSkipTheLeftoverLine) {
  EXPECT_EVAL("hsplit(((1, 2, 3, 4, 5), (6, 7, 8, 9, 0)), 2)", "(((1, 2), (6, 7)), ((4, 5), (9, 0)))");
  EXPECT_EVAL("hsplit(((1, 2, 3, 4, 5), (6, 7, 8, 9, 0)), 3)", "(((1,), (6,)), ((3,), (8,)), ((5,), (0,)))");
  EXPECT_EVAL("hsplit(((1, 2, 3, 4), (5, 6, 7, 8)), 1)", "(((1, 2, 3, 4), (5, 6, 7, 8)),)");
  EXPECT_EVAL("hsplit(((1, 2, 3), (4, 5, 6)), 4)", "(((), ()), ((), ()), ((), ()), ((), ()))");
  EXPECT_EVAL("hsplit(((1, 2, 3), (4, 5, 6)), -2)", "()");
  EXPECT_EVAL_ERROR("hsplit(((1, 2, 3), (4, 5, 6)), 0)");
  EXPECT_EVAL_ERROR("hsplit((), 2)");
  EXPECT_EVAL("vsplit(((1, 2), (3, 4), (5, 6), (7, 8), (9, 0)), 2)", "(((1, 2), (3, 4)), ((7, 8), (9, 0)))");
  EXPECT_EVAL("vsplit(((1, 2), (3, 4), (5, 6)), 3)", "(((1, 2),), ((3, 4),), ((5, 6),))");
  // pieces of no rows are empty tuples, and a tuple of empty tuples prints as such
  EXPECT_EVAL("vsplit(((1, 2), (3, 4), (5, 6)), 4)", "((), (), (), ())");
  EXPECT_EVAL("vsplit(((1, 2), (3, 4), (5, 6)), -1)", "()");
  EXPECT_EVAL_ERROR("vsplit(((1, 2), (3, 4), (5, 6)), 0)");
}

TEST(DslGrids, Cellwise) {
  EXPECT_EVAL("cellwise(((1, 2), (3, 4)), ((1, 0), (3, 0)), 9)", "((1, 9), (3, 9))");
  EXPECT_EVAL("cellwise(((1, 2), (3, 4)), ((1, 0, 5), (3, 0, 5), (1, 1, 1)), 9)", "((1, 9), (3, 9))");
  EXPECT_EVAL("cellwise(((1, 2), (3, 4)), ((1, 0), (3, 4)), (5, 5))", "((1, (5, 5)), (3, 4))");
  EXPECT_EVAL("cellwise(((), ()), 7, 9)", "((), ())");  // the second grid is never indexed
  EXPECT_EVAL_ERROR("cellwise(((1, 2), (3, 4)), ((1, 0),), 9)");
  EXPECT_EVAL_ERROR("cellwise(((1, 2), (3, 4)), ((1,), (3,)), 9)");
  EXPECT_EVAL_ERROR("cellwise(((1, 2), (3, 4)), 7, 9)");
  EXPECT_EVAL_ERROR("cellwise((), (), 9)");
}

TEST(DslGrids, ReplaceAndSwitch) {
  EXPECT_EVAL("replace(((1, 2), (3, 1)), 1, 5)", "((5, 2), (3, 5))");
  EXPECT_EVAL("replace(((1, 2), (3, 1)), 7, 5)", "((1, 2), (3, 1))");
  EXPECT_EVAL("replace(((1, 2), (3, 1)), 1, (5,))", "(((5,), 2), (3, (5,)))");
  EXPECT_EVAL("replace(((1, 2), (3, 1)), True, 0)", "((0, 2), (3, 0))");  // True == 1
  EXPECT_EVAL("replace(((1, (2, 3)),), (2, 3), 4)", "((1, 4),)");
  EXPECT_EVAL("replace((), 1, 2)", "()");
  EXPECT_EVAL_ERROR("replace(5, 1, 2)");
  EXPECT_EVAL("switch(((1, 2), (3, 1)), 1, 2)", "((2, 1), (3, 2))");
  EXPECT_EVAL("switch(((1, 2), (3, 1)), 1, 1)", "((1, 2), (3, 1))");
  EXPECT_EVAL("switch(((1, 2), (3, 1)), 1, 7)", "((7, 2), (3, 7))");
  EXPECT_EVAL("switch(((1, 2), (3, 1)), (1,), 2)", "((1, (1,)), (3, 1))");
  EXPECT_EVAL("switch(((1, 2), (3, 1)), 1, 9999999999)", "((9999999999, 2), (3, 9999999999))");
}

TEST(DslGrids, IndexReadsOneCell) {
  EXPECT_EVAL("index(((1, 2), (3, 4)), (1, 0))", "3");
  EXPECT_EVAL("index(((1, (2, 3)),), (0, 1))", "(2, 3)");
  // arc-dsl returns None off the grid, and None goes on as CPython's does
  EXPECT_EVAL("index(((1, 2), (3, 4)), (2, 0))", "None");
  EXPECT_EVAL("index(((1, 2), (3, 4)), (-1, 0))", "None");
  EXPECT_EVAL("equality(index(((1, 2), (3, 4)), (2, 0)), 2)", "False");
  EXPECT_EVAL("fill(((1, 2), (3, 4)), index(((1, 2), (3, 4)), (2, 0)), frozenset({(0, 0)}))", "((None, 2), (3, 4))");
  EXPECT_EVAL_ERROR("add(index(((1, 2), (3, 4)), (2, 0)), 1)");
  EXPECT_EVAL_ERROR("greater(index(((1, 2), (3, 4)), (2, 0)), 1)");
  EXPECT_EVAL_ERROR("index(((1, 2), (3, 4)), ((1,), 0))");
  EXPECT_EVAL_ERROR("index(((1, 2), (3, 4)), frozenset({0, 1}))");  // unpacks, but is not subscriptable
  EXPECT_EVAL_ERROR("index(((1, 2), (3,)), (1, 1))");
}

TEST(DslGrids, Canvas) {
  EXPECT_EVAL("canvas(5, (2, 3))", "((5, 5, 5), (5, 5, 5))");
  EXPECT_EVAL("canvas(5, (0, 3))", "()");
  EXPECT_EVAL("canvas(5, (2, 0))", "((), ())");
  EXPECT_EVAL("canvas(5, (2, -1))", "((), ())");
  EXPECT_EVAL("canvas(5, (-1, 3))", "()");
  EXPECT_EVAL("canvas(5, (0,))", "()");  // the width is never read
  EXPECT_EVAL("canvas(5, (0, (2,)))", "()");
  EXPECT_EVAL_ERROR("canvas(5, (2,))");
  EXPECT_EVAL_ERROR("canvas(5, (1, (2,)))");
  EXPECT_EVAL_ERROR("canvas(5, 3)");
  EXPECT_EVAL("canvas((1, 2), (2, 2))", "(((1, 2), (1, 2)), ((1, 2), (1, 2)))");
  EXPECT_EVAL("canvas(frozenset(), (1, 2))", "((frozenset(), frozenset()),)");
  EXPECT_EVAL("canvas(9999999999, (1, 2))", "((9999999999, 9999999999),)");
  EXPECT_EVAL_ERROR("canvas(5, (5, (6, 7)))");
  Budget b;
  BudgetScope scope(&b);
  EXPECT_THROW(ev("canvas(5, (3000, 3000))"), BudgetExceeded);
  EXPECT_THROW(ev("canvas(5, (100000000000, 0))"), BudgetExceeded);
}

TEST(DslGrids, CoverTrimMove) {
  const std::string g = "((0, 0, 1), (0, 2, 2))";
  EXPECT_EVAL("cover(" + g + ", frozenset({(0, 2), (1, 1)}))", "((0, 0, 0), (0, 0, 2))");
  EXPECT_EVAL("cover(" + g + ", frozenset({(1, (0, 2)), (2, (1, 1))}))", "((0, 0, 0), (0, 0, 2))");
  EXPECT_EVAL("cover(" + g + ", ((0, 2), (1, 1)))", "((0, 0, 0), (0, 0, 2))");
  EXPECT_EVAL_ERROR("cover(((), ()), frozenset())");
  EXPECT_EVAL("trim(((1, 2, 3), (4, 5, 6), (7, 8, 9)))", "((5,),)");
  EXPECT_EVAL("trim(((1, 2), (3, 4)))", "()");
  EXPECT_EVAL("trim(((1,), (2,), (3,)))", "((),)");
  EXPECT_EVAL("trim(((1, 2, 3), (4, 5), (7, 8, 9)))", "((),)");
  EXPECT_EVAL_ERROR("trim((1, 2, 3))");  // the middle "row" is the int 2, which cannot be sliced
  EXPECT_EVAL_ERROR("trim(((1, 2, 3), (4, 5, 6), 7, (8, 9, 0)))");
  EXPECT_EVAL("move(" + g + ", frozenset({(1, (0, 2))}), (1, -1))", "((0, 0, 0), (0, 1, 2))");
  EXPECT_EVAL("move(" + g + ", frozenset({(2, (1, 1)), (2, (1, 2))}), (-1, 0))", "((0, 2, 2), (0, 0, 0))");
  EXPECT_EVAL("move(" + g + ", frozenset({(2, (1, 1)), (2, (1, 2))}), (5, 5))", "((0, 0, 1), (0, 0, 0))");
  EXPECT_EVAL("move(" + g + ", frozenset(), 7)", g);  // shift never reads the offset of nothing
  EXPECT_EVAL_ERROR("move(" + g + ", frozenset({(1, (0, 2))}), 7)");
  EXPECT_EVAL_ERROR("move(" + g + ", frozenset({(0, 2)}), (1, 0))");
}

TEST(DslGrids, Halves) {
  EXPECT_EVAL("tophalf(((1,), (2,), (3,)))", "((1,),)");
  EXPECT_EVAL("bottomhalf(((1,), (2,), (3,)))", "((3,),)");
  EXPECT_EVAL("tophalf(((1,),))", "()");
  EXPECT_EVAL("bottomhalf(((1,),))", "()");
  EXPECT_EVAL("tophalf((1, 2, 3, 4))", "(1, 2)");
  EXPECT_EVAL("bottomhalf((1, 2, 3, 4, 5))", "(4, 5)");
  EXPECT_EVAL("tophalf(())", "()");
  EXPECT_EVAL_ERROR("tophalf(frozenset({1}))");
  EXPECT_EVAL("lefthalf(((1, 2, 3), (4, 5, 6)))", "((1,), (4,))");
  EXPECT_EVAL("righthalf(((1, 2, 3), (4, 5, 6)))", "((3,), (6,))");
  EXPECT_EVAL("lefthalf(((1, 2, 3, 4), (4, 5, 6, 7)))", "((1, 2), (4, 5))");
  EXPECT_EVAL("righthalf(((1, 2, 3, 4), (4, 5, 6, 7)))", "((3, 4), (6, 7))");
  // a single column has no half: the rotated grid's half is empty, and so is its rotation back
  EXPECT_EVAL("lefthalf(((1,), (2,)))", "()");
  EXPECT_EVAL("righthalf(((1,), (2,)))", "()");
  EXPECT_EVAL("lefthalf(((), ()))", "()");
  EXPECT_EVAL("lefthalf(((1, 2, 3), (4, 5)))", "((1,), (4,))");
  EXPECT_EVAL("righthalf(((1, 2, 3), (4, 5)))", "((2,), (5,))");
}

TEST(DslGrids, CompressRemovesUniformLines) {
  EXPECT_EVAL("compress(((1, 1, 1), (2, 3, 1), (4, 4, 1)))", "((2, 3), (4, 4))");
  EXPECT_EVAL("compress(((5, 6, 7), (5, 8, 9)))", "((6, 7), (8, 9))");
  EXPECT_EVAL("compress(((5, 6),))", "((),)");  // every column of one row is uniform
  EXPECT_EVAL("compress(((1, 1), (1, 1)))", "()");
  EXPECT_EVAL("compress(((), ()))", "((), ())");
  EXPECT_EVAL("compress(())", "()");
  EXPECT_EVAL("compress(((1, 2, 3), (4, 5, 6)))", "((1, 2, 3), (4, 5, 6))");
  EXPECT_EVAL("compress(((1, 1, 1), (2, 3), (2, 2, 2)))", "((2, 3),)");  // zip sees two columns
}

TEST(DslGrids, DenseResultsAreCanonicalGrids) {
  Value g = val("((1, 2, 3), (4, 5, 6))");
  for (Value r : {cpu::dsl::rot90(g), cpu::dsl::hmirror(g), cpu::dsl::upscale(g, Value::integer(2)),
                  cpu::dsl::fill(g, Value::integer(0), val("frozenset({(0, 0)})")),
                  cpu::dsl::replace(g, Value::integer(1), Value::integer(0)), cpu::dsl::trim(cpu::dsl::upscale(g, Value::integer(3)))}) {
    EXPECT_EQ(r.kind(), Kind::Grid) << repr(r);
    EXPECT_EQ(val(repr(r)), r);  // equal to the value parsed back from its repr
  }
}

}  // namespace
}  // namespace megabatch
