// DslPatches / DslObjects: the patches family (mostcolor .. asobject) against arc-dsl's dsl.py
// semantics, with frozensets iterating in canonical ascending order.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"

#include "dsl_support.hpp"

namespace megabatch {
namespace {

const char* kCheckers = "((1, 2, 1), (2, 1, 2), (1, 2, 1))";
const char* kRing = "((0, 0, 0, 0), (0, 3, 3, 0), (0, 3, 0, 0), (4, 0, 0, 4))";

// ------------------------------------------------------------------ colours

TEST(DslPatches, MostcolorAndLeastcolorOnGrids) {
  EXPECT_EVAL("mostcolor(((4, 4), (4, 7), (7, 1)))", "4");
  EXPECT_EVAL("leastcolor(((4, 4), (4, 7), (7, 1)))", "1");
  EXPECT_EVAL("mostcolor(((9,),))", "9");
  EXPECT_EVAL("leastcolor(((9,),))", "9");
}

TEST(DslPatches, MostcolorTiesGoToTheSmallestColour) {
  EXPECT_EVAL("mostcolor(((6, 2), (2, 6)))", "2");
  EXPECT_EVAL("leastcolor(((6, 2), (2, 6), (5, 5)))", "2");
  // colours outside 0..9 (negative, large) take the fallback histogram and still order correctly
  EXPECT_EVAL("mostcolor(((-3, 100, 100), (-3, 5, 5)))", "-3");
  EXPECT_EVAL("leastcolor(((100, 100, 40), (40, 5, 5)))", "5");
  EXPECT_EVAL("mostcolor(((70000, 70000, 3),))", "70000");
}

TEST(DslPatches, MostcolorOnObjectsAndIndicesUsesTheFirstComponent) {
  EXPECT_EVAL("mostcolor(frozenset({(5, (0, 0)), (2, (0, 1)), (2, (1, 1))}))", "2");
  EXPECT_EVAL("leastcolor(frozenset({(5, (0, 0)), (2, (0, 1)), (2, (1, 1))}))", "5");
  // on indices, `for v, _ in patch` counts row numbers
  EXPECT_EVAL("mostcolor(frozenset({(3, 0), (3, 1), (0, 0)}))", "3");
}

TEST(DslPatches, MostcolorOnOddShapes) {
  EXPECT_EVAL_ERROR("mostcolor(())");            // max() of nothing
  EXPECT_EVAL_ERROR("mostcolor(((),))");
  EXPECT_EVAL_ERROR("mostcolor(frozenset())");
  EXPECT_EVAL_ERROR("mostcolor(4)");
  EXPECT_EVAL_ERROR("mostcolor(((1, 2), 3))");   // a row that is an int is not iterable
  EXPECT_EVAL("mostcolor(((1, 2), (2,)))", "2");  // ragged rows are simply flattened
  // rows of tuples: the "colours" are the inner tuples
  EXPECT_EVAL("mostcolor((((1, 2), (1, 2)), ((3, 4),)))", "(1, 2)");
  EXPECT_EVAL("leastcolor((((1, 2), (1, 2)), ((3, 4),)))", "(3, 4)");
  EXPECT_EVAL_ERROR("mostcolor(frozenset({(1, 2, 3)}))");  // too many values to unpack
}

TEST(DslPatches, PaletteAndNumcolors) {
  EXPECT_EVAL("palette(((3, 1), (1, 8)))", "frozenset({1, 3, 8})");
  EXPECT_EVAL("palette(frozenset({(6, (0, 0)), (2, (4, 4)), (6, (1, 0))}))", "frozenset({2, 6})");
  EXPECT_EVAL("palette(frozenset({(7, 1), (2, 5)}))", "frozenset({2, 7})");  // rows of indices
  EXPECT_EVAL("palette(((-9, 100000), (20, 3)))", "frozenset({-9, 3, 20, 100000})");
  EXPECT_EVAL("palette(())", "frozenset()");
  EXPECT_EVAL("palette(((),))", "frozenset()");
  EXPECT_EVAL("palette(frozenset())", "frozenset()");
  EXPECT_EVAL("palette(((1, (2, 3)), (4, (5, 6))))", "frozenset({1, 4, (2, 3), (5, 6)})");
  EXPECT_EVAL_ERROR("palette(7)");
  EXPECT_EVAL("numcolors(((3, 1), (1, 8)))", "3");
  EXPECT_EVAL("numcolors(frozenset())", "0");
  EXPECT_EVAL("numcolors(((1, 2), frozenset({7, 8, 9})))", "5");
}

TEST(DslPatches, ColorIsTheFirstCellsColour) {
  EXPECT_EVAL("color(frozenset({(3, (5, 5)), (1, (9, 9))}))", "1");  // canonical first cell
  EXPECT_EVAL("color(frozenset({(4, (0, 0))}))", "4");
  EXPECT_EVAL("color(frozenset({(9, 1), (3, 4)}))", "3");  // on indices: the smallest row
  EXPECT_EVAL("color(((4, 2), (2, 1)))", "4");             // on a grid: its top-left cell
  EXPECT_EVAL_ERROR("color(frozenset())");
  EXPECT_EVAL_ERROR("color(((),))");
  EXPECT_EVAL_ERROR("color(frozenset({5}))");
  EXPECT_EVAL_ERROR("color(5)");
}

TEST(DslPatches, Colorcount) {
  EXPECT_EVAL("colorcount(((1, 1), (1, 2)), 1)", "3");
  EXPECT_EVAL("colorcount(((1, 1), (1, 2)), 5)", "0");
  EXPECT_EVAL("colorcount(((1, 1), (1, 2)), (1, 1))", "0");
  EXPECT_EVAL("colorcount(frozenset({(2, (0, 0)), (2, (3, 3)), (7, (1, 1))}), 2)", "2");
  EXPECT_EVAL("colorcount(frozenset({(1, 2), (1, 3), (2, 3)}), 1)", "2");
  EXPECT_EVAL("colorcount((), 1)", "0");
  EXPECT_EVAL("colorcount(frozenset(), 1)", "0");
  EXPECT_EVAL("colorcount((((1, 2), 3), (1, 2)), (1, 2))", "1");  // tuple.count on each row
  EXPECT_EVAL_ERROR("colorcount(((1, 2), frozenset({1})), 1)");  // frozenset has no .count
  EXPECT_EVAL_ERROR("colorcount(((1, 2), 5), 1)");
  EXPECT_EVAL_ERROR("colorcount(5, 1)");
}

TEST(DslPatches, Colorfilter) {
  const std::string objs = "frozenset({frozenset({(1, (0, 0)), (2, (0, 1))}), frozenset({(2, (5, 5))})})";
  EXPECT_EVAL("colorfilter(" + objs + ", 1)", "frozenset({frozenset({(1, (0, 0)), (2, (0, 1))})})");
  EXPECT_EVAL("colorfilter(" + objs + ", 2)", "frozenset({frozenset({(2, (5, 5))})})");
  EXPECT_EVAL("colorfilter(" + objs + ", 3)", "frozenset()");
  EXPECT_EVAL("colorfilter(frozenset(), 3)", "frozenset()");
  // a tuple of objects gives a frozenset (duplicates merge)
  EXPECT_EVAL("colorfilter((frozenset({(1, (0, 0))}), frozenset({(1, (0, 0))})), 1)",
              "frozenset({frozenset({(1, (0, 0))})})");
  EXPECT_EVAL_ERROR("colorfilter(frozenset({frozenset()}), 1)");  // next() on an empty object
  EXPECT_EVAL_ERROR("colorfilter(((1, 2), (3, 4)), 1)");           // 1[0]
  EXPECT_EVAL_ERROR("colorfilter(5, 1)");
}

TEST(DslPatches, Sizefilter) {
  EXPECT_EVAL("sizefilter(frozenset({frozenset({1}), frozenset({1, 2}), (3, 4)}), 2)",
              "frozenset({(3, 4), frozenset({1, 2})})");
  EXPECT_EVAL("sizefilter(((1, 2), (3, 4)), 2)", "frozenset({(1, 2), (3, 4)})");  // grid rows
  EXPECT_EVAL("sizefilter(((1, 2, 3), (3, 4, 5)), 2)", "frozenset()");
  EXPECT_EVAL("sizefilter((frozenset(), frozenset({1})), 0)", "frozenset({frozenset()})");
  EXPECT_EVAL("sizefilter(frozenset({frozenset({1})}), (1, 2))", "frozenset()");
  EXPECT_EVAL_ERROR("sizefilter(frozenset({1, 2}), 2)");  // len(int)
}

// ------------------------------------------------------------------ shape

TEST(DslPatches, HeightWidthShapeOfGrids) {
  EXPECT_EVAL("height(((1, 2, 3),))", "1");
  EXPECT_EVAL("width(((1, 2, 3),))", "3");
  EXPECT_EVAL("shape(((1, 2, 3), (4, 5, 6)))", "(2, 3)");
  EXPECT_EVAL("shape(())", "(0, 0)");
  EXPECT_EVAL("shape(((),))", "(1, 0)");
  EXPECT_EVAL("portrait(((1,), (2,)))", "True");
  EXPECT_EVAL("portrait(((1, 2),))", "False");
}

TEST(DslPatches, HeightWidthShapeOfPatches) {
  EXPECT_EVAL("shape(frozenset({(5, (3, 7)), (6, (1, 2))}))", "(3, 6)");
  EXPECT_EVAL("shape(frozenset({(-4, -9), (6, 2)}))", "(11, 12)");
  EXPECT_EVAL("shape(frozenset({(0, 0)}))", "(1, 1)");
  EXPECT_EVAL("shape(frozenset())", "(0, 0)");
  EXPECT_EVAL("portrait(frozenset())", "False");
  EXPECT_EVAL_ERROR("height(frozenset({5}))");
  EXPECT_EVAL_ERROR("height(5)");
}

TEST(DslPatches, HeightWidthOfOtherTuples) {
  EXPECT_EVAL("height((1, 2, 3))", "3");
  EXPECT_EVAL_ERROR("width((1, 2, 3))");  // len(1)
  EXPECT_EVAL("width((frozenset({1, 2, 3}), 4))", "3");
  EXPECT_EVAL("height((1, (2, 3)))", "2");
}

TEST(DslPatches, ExtremesOfPatches) {
  const std::string obj = "frozenset({(1, (3, 3)), (2, (-1, 5)), (4, (0, -2))})";
  EXPECT_EVAL("uppermost(" + obj + ")", "-1");
  EXPECT_EVAL("lowermost(" + obj + ")", "3");
  EXPECT_EVAL("leftmost(" + obj + ")", "-2");
  EXPECT_EVAL("rightmost(" + obj + ")", "5");
  EXPECT_EVAL("uppermost(frozenset({(4, 9), (2, 7)}))", "2");
  EXPECT_EVAL("rightmost(frozenset({(4, 9), (2, 7)}))", "9");
  EXPECT_EVAL_ERROR("uppermost(frozenset())");  // min() of nothing
  EXPECT_EVAL_ERROR("uppermost(())");
  EXPECT_EVAL_ERROR("uppermost(5)");
  // a width-2 grid is its own toindices: its columns play rows and columns
  EXPECT_EVAL("uppermost(((1, 2), (0, 5)))", "0");
  EXPECT_EVAL("rightmost(((1, 2), (0, 5)))", "5");
  EXPECT_EVAL_ERROR("uppermost(((1, 2, 3),))");  // too many values to unpack
}

TEST(DslPatches, CornersOfPatches) {
  const std::string obj = "frozenset({(3, (5, 1)), (2, (0, 9)), (1, (2, 4))})";
  EXPECT_EVAL("ulcorner(" + obj + ")", "(0, 1)");
  EXPECT_EVAL("urcorner(" + obj + ")", "(0, 9)");
  EXPECT_EVAL("llcorner(" + obj + ")", "(5, 1)");
  EXPECT_EVAL("lrcorner(" + obj + ")", "(5, 9)");
  EXPECT_EVAL("ulcorner(frozenset({(-5, 1), (2, -9)}))", "(-5, -9)");
}

TEST(DslPatches, CornersOfEmptyPatchesAreEmptyTuples) {
  EXPECT_EVAL("ulcorner(frozenset())", "()");
  EXPECT_EVAL("urcorner(frozenset())", "()");
  EXPECT_EVAL("llcorner(frozenset())", "()");
  EXPECT_EVAL("lrcorner(frozenset())", "()");
  EXPECT_EVAL("ulcorner(())", "()");
}

TEST(DslPatches, CornersOfGridsAreColumnExtremes) {
  EXPECT_EVAL("ulcorner(((1, 2, 3), (0, 5, 1)))", "(0, 2, 1)");
  EXPECT_EVAL("lrcorner(((1, 2, 3), (0, 5, 1)))", "(1, 5, 3)");
  // urcorner and llcorner pick min/max from a two-entry table: a third column is a KeyError
  EXPECT_EVAL_ERROR("urcorner(((1, 2, 3), (0, 5, 1)))");
  EXPECT_EVAL_ERROR("llcorner(((1, 2, 3), (0, 5, 1)))");
  EXPECT_EVAL("urcorner(((1, 2), (0, 5)))", "(0, 5)");
  EXPECT_EVAL_ERROR("ulcorner(((1,), (0,)))");  // row[1] out of range in toindices
  EXPECT_EVAL_ERROR("ulcorner(5)");
}

TEST(DslPatches, SquareVlineHline) {
  EXPECT_EVAL("square(((1, 2), (3, 4)))", "True");
  EXPECT_EVAL("square(((1, 2, 3), (3, 4, 5)))", "False");
  EXPECT_EVAL("square(((),))", "False");
  EXPECT_EVAL_ERROR("square(())");       // piece[0]
  EXPECT_EVAL_ERROR("square((1, 2))");   // len(1)
  EXPECT_EVAL("square(frozenset())", "True");
  EXPECT_EVAL("square(frozenset({(0, 0), (0, 1), (1, 0), (1, 1)}))", "True");
  EXPECT_EVAL("square(frozenset({(0, 0), (1, 1)}))", "False");  // not filled
  // two colours on one index: len counts both cells
  EXPECT_EVAL("square(frozenset({(1, (0, 0)), (2, (0, 0))}))", "False");
  EXPECT_EVAL("vline(frozenset({(0, 0), (1, 0)}))", "True");
  EXPECT_EVAL("vline(frozenset({(0, 0), (2, 0)}))", "False");  // gap
  EXPECT_EVAL("hline(frozenset({(3, 0), (3, 1), (3, 2)}))", "True");
  EXPECT_EVAL("hline(frozenset({(1, (3, 0)), (2, (3, 0))}))", "False");
  EXPECT_EVAL("vline(frozenset())", "False");
  // on grids: height == len always holds, so vline is "one column"; hline needs width == len == 1
  EXPECT_EVAL("vline(((1,), (2,)))", "True");
  EXPECT_EVAL("hline(((1, 2),))", "False");  // width 2 != len 1
  EXPECT_EVAL("hline(((1,),))", "True");
  EXPECT_EVAL("hline(((1, 2), (3, 4)))", "False");
  EXPECT_EVAL("vline(())", "False");
  EXPECT_EVAL_ERROR("vline((1, 2))");
  EXPECT_EVAL_ERROR("vline(5)");
}

// ------------------------------------------------------------------ indices and grids

TEST(DslPatches, AsindicesAndOfcolor) {
  EXPECT_EVAL("asindices(((1, 2, 3),))", "frozenset({(0, 0), (0, 1), (0, 2)})");
  EXPECT_EVAL("asindices(((5,), (6,)))", "frozenset({(0, 0), (1, 0)})");
  EXPECT_EVAL("asindices(())", "frozenset()");
  EXPECT_EVAL("asindices(((),))", "frozenset()");
  EXPECT_EVAL("asindices(frozenset())", "frozenset()");  // len 0: grid[0] is never read
  EXPECT_EVAL_ERROR("asindices(frozenset({1}))");
  EXPECT_EVAL_ERROR("asindices((1, 2))");
  // the width comes from the first row only
  EXPECT_EVAL("asindices(((1, 2), (3, 4, 5)))", "frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})");
  EXPECT_EVAL("ofcolor(((1, 2), (2, 1)), 2)", "frozenset({(0, 1), (1, 0)})");
  EXPECT_EVAL("ofcolor(((1, 2), (2, 1)), 7)", "frozenset()");
  EXPECT_EVAL("ofcolor(((1, 2), (3,)), 3)", "frozenset({(1, 0)})");
  // enumerating an object's cells: component 0 is the colour, component 1 the index
  EXPECT_EVAL("ofcolor(frozenset({(1, (0, 0)), (2, (0, 1))}), (0, 1))", "frozenset({(1, 1)})");
  EXPECT_EVAL_ERROR("ofcolor(((1, 2), 3), 2)");
}

TEST(DslPatches, CropFollowsPythonSlicing) {
  const std::string g = "((1, 2, 3), (4, 5, 6), (7, 8, 9))";
  EXPECT_EVAL("crop(" + g + ", (1, 1), (2, 2))", "((5, 6), (8, 9))");
  EXPECT_EVAL("crop(" + g + ", (1, 1), (5, 5))", "((5, 6), (8, 9))");
  EXPECT_EVAL("crop(" + g + ", (-2, -2), (1, 1))", "((5,),)");
  EXPECT_EVAL("crop(" + g + ", (-1, -2), (1, 1))", "()");  // -1:0 is empty
  EXPECT_EVAL("crop(" + g + ", (-1, -2), (2, 2))", "()");  // -1:1 is empty
  EXPECT_EVAL("crop(" + g + ", (0, 0), (2, 0))", "((), ())");
  EXPECT_EVAL("crop(" + g + ", (0, 5), (2, 2))", "((), ())");
  EXPECT_EVAL("crop(" + g + ", (0, 0), (0, 2))", "()");
  EXPECT_EVAL("crop(" + g + ", (0,), (0,))", "()");  // start[1] is never read
  EXPECT_EVAL_ERROR("crop(" + g + ", (0,), (1,))");
  EXPECT_EVAL("crop(" + g + ", (True, 0), (1, 2))", "((4, 5),)");
  EXPECT_EVAL("crop(" + g + ", (0, 0), (10000000000, 10000000000))", "((1, 2, 3), (4, 5, 6), (7, 8, 9))");
  EXPECT_EVAL_ERROR("crop(" + g + ", ((1,), 1), ((1,), 1))");  // tuple slice bounds
  EXPECT_EVAL_ERROR("crop(" + g + ", frozenset({0, 1}), (1, 1))");
  EXPECT_EVAL_ERROR("crop(5, (0, 0), (1, 1))");
  EXPECT_EVAL("crop((), (0, 0), (1, 1))", "()");
  EXPECT_EVAL("crop(((1, 2), (3, 4, 5)), (0, 1), (2, 2))", "((2,), (4, 5))");
  EXPECT_EVAL_ERROR("crop(((1, 2), frozenset({3})), (0, 1), (2, 2))");
  EXPECT_EVAL_ERROR("crop(frozenset({(1, 2)}), (0, 0), (1, 1))");
}

TEST(DslPatches, ToindicesDispatchesOnTheFirstElement) {
  EXPECT_EVAL("toindices(frozenset({(1, (0, 0)), (2, (0, 0)), (1, (3, 3))}))", "frozenset({(0, 0), (3, 3)})");
  EXPECT_EVAL("toindices(frozenset({(4, 4), (0, 1)}))", "frozenset({(0, 1), (4, 4)})");
  EXPECT_EVAL("toindices(frozenset())", "frozenset()");
  EXPECT_EVAL("toindices(())", "frozenset()");  // an empty tuple becomes an empty frozenset
  EXPECT_EVAL("toindices(((1, 2), (3, 4)))", "((1, 2), (3, 4))");  // row[1] is no tuple: as is
  EXPECT_EVAL("toindices(((1, (2, 3)), (4, (5, 6))))", "frozenset({(2, 3), (5, 6)})");
  EXPECT_EVAL_ERROR("toindices(((1,),))");
  EXPECT_EVAL_ERROR("toindices(frozenset({5}))");
  // only the first element is inspected: (4, 5) then contributes its second component
  EXPECT_EVAL("toindices(((1, (2, 3)), (4, 5)))", "frozenset({5, (2, 3)})");
  EXPECT_EVAL_ERROR("toindices(5)");
  Value idx = val("frozenset({(1, 2)})");
  EXPECT_EQ(cpu::dsl::toindices(idx).node(), idx.node());  // indices come back untouched
}

TEST(DslPatches, Recolor) {
  EXPECT_EVAL("recolor(5, frozenset({(1, 1), (0, 3)}))", "frozenset({(5, (0, 3)), (5, (1, 1))})");
  EXPECT_EVAL("recolor(5, frozenset({(1, (1, 1)), (2, (1, 1)), (3, (0, 0))}))", "frozenset({(5, (0, 0)), (5, (1, 1))})");
  EXPECT_EVAL("recolor(-7, frozenset({(1, 1)}))", "frozenset({(-7, (1, 1))})");
  EXPECT_EVAL("recolor(5, frozenset())", "frozenset()");
  EXPECT_EVAL("recolor(5, ())", "frozenset()");
  EXPECT_EVAL("recolor((1, 2), frozenset({(1, 1)}))", "frozenset({((1, 2), (1, 1))})");
  EXPECT_EVAL("recolor(99999999999, frozenset({(1, 1)}))", "frozenset({(99999999999, (1, 1))})");
  EXPECT_EVAL("recolor(5, ((1, 2), (3, 4)))", "frozenset({(5, (1, 2)), (5, (3, 4))})");
  EXPECT_EVAL_ERROR("recolor(5, 5)");
}

TEST(DslPatches, ShiftAndNormalize) {
  EXPECT_EVAL("shift(frozenset({(1, 1), (2, -5)}), (-10, 10))", "frozenset({(-9, 11), (-8, 5)})");
  EXPECT_EVAL("shift(frozenset({(1, (1, 1)), (0, (2, -5))}), (1, 2))", "frozenset({(0, (3, -3)), (1, (2, 3))})");
  EXPECT_EVAL("shift(frozenset({(1, 1)}), (2147483647, 0))", "frozenset({(2147483648, 1)})");
  EXPECT_EVAL("shift(frozenset({(1, 1)}), frozenset({3, -4}))", "frozenset({(-3, 4)})");  // unpacked ascending
  EXPECT_EVAL("shift(frozenset(), 5)", "frozenset()");  // empty patch: directions never read
  EXPECT_EVAL("shift((), (1, 1))", "()");
  EXPECT_EVAL("shift(((1, 2), (3, 4)), (10, 20))", "frozenset({(11, 22), (13, 24)})");
  EXPECT_EVAL_ERROR("shift(frozenset({(1, 1)}), (1, 2, 3))");
  EXPECT_EVAL_ERROR("shift(frozenset({(1, 1)}), 5)");
  EXPECT_EVAL_ERROR("shift(frozenset({(1, 1)}), ((1,), 2))");
  EXPECT_EVAL_ERROR("shift(((1, 2, 3), (3, 4, 5)), (10, 20))");
  EXPECT_EVAL("normalize(frozenset({(3, 4), (5, 2)}))", "frozenset({(0, 2), (2, 0)})");
  EXPECT_EVAL("normalize(frozenset({(1, (-3, 4)), (2, (5, -2))}))", "frozenset({(1, (0, 6)), (2, (8, 0))})");
  EXPECT_EVAL("normalize(frozenset())", "frozenset()");
  EXPECT_EVAL("normalize(())", "()");
  EXPECT_EVAL("normalize(((1, 2), (3, 4)))", "frozenset({(0, 0), (2, 2)})");
}

TEST(DslPatches, Neighbourhoods) {
  EXPECT_EVAL("dneighbors((0, 0))", "frozenset({(-1, 0), (0, -1), (0, 1), (1, 0)})");
  EXPECT_EVAL("ineighbors((2, 5))", "frozenset({(1, 4), (1, 6), (3, 4), (3, 6)})");
  EXPECT_EVAL("neighbors((1, 1))", "frozenset({(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)})");
  EXPECT_EVAL("dneighbors((5, 5, 5))", "frozenset({(4, 5), (5, 4), (5, 6), (6, 5)})");
  EXPECT_EVAL("dneighbors((-2147483648, 0))", "frozenset({(-2147483649, 0), (-2147483648, -1), (-2147483648, 1), (-2147483647, 0)})");
  EXPECT_EVAL_ERROR("dneighbors((5,))");
  EXPECT_EVAL_ERROR("dneighbors(5)");
  EXPECT_EVAL_ERROR("dneighbors(frozenset({1, 2}))");
  EXPECT_EVAL_ERROR("neighbors((1, (2,)))");
}

TEST(DslPatches, MatchingManhattanAdjacent) {
  EXPECT_EVAL("hmatching(frozenset({(0, 0)}), frozenset({(0, 5)}))", "True");
  EXPECT_EVAL("vmatching(frozenset({(0, 0)}), frozenset({(0, 5)}))", "False");
  EXPECT_EVAL("vmatching(frozenset({(0, 5)}), frozenset({(1, (9, 5))}))", "True");
  EXPECT_EVAL("hmatching(frozenset(), frozenset({(0, 0)}))", "False");
  EXPECT_EVAL_ERROR("hmatching(frozenset(), 5)");  // both sides are always evaluated
  EXPECT_EVAL_ERROR("hmatching(frozenset({(0, 0)}), ((1, 2, 3),))");
  EXPECT_EVAL("manhattan(frozenset({(0, 0), (5, 5)}), frozenset({(5, 7)}))", "2");
  EXPECT_EVAL("manhattan(frozenset({(1, (0, 0)), (2, (-5, 5))}), frozenset({(5, 5)}))", "10");
  EXPECT_EVAL("manhattan(frozenset({(-2147483648, -2147483648)}), frozenset({(2147483647, 2147483647)}))",
              "8589934590");
  EXPECT_EVAL_ERROR("manhattan(frozenset(), frozenset({(0, 0)}))");
  EXPECT_EVAL_ERROR("manhattan(frozenset({(0, 0)}), frozenset())");
  EXPECT_EVAL_ERROR("manhattan(frozenset({((1,), 2)}), frozenset({((1,), 2)}))");
  EXPECT_EVAL("adjacent(frozenset({(0, 0)}), frozenset({(1, (1, 0))}))", "True");
  EXPECT_EVAL("adjacent(frozenset({(0, 0)}), frozenset({(1, 1)}))", "False");
  EXPECT_EVAL("adjacent(frozenset({(0, 0)}), frozenset({(0, 0)}))", "False");
}

TEST(DslPatches, BorderingShortCircuits) {
  const std::string g = "((1, 2, 3), (3, 4, 5), (1, 1, 1))";
  EXPECT_EVAL("bordering(frozenset({(1, 1)}), " + g + ")", "False");
  EXPECT_EVAL("bordering(frozenset({(1, 2)}), " + g + ")", "True");
  EXPECT_EVAL("bordering(frozenset({(2, 1)}), " + g + ")", "True");
  // a patch on the top or left edge never looks at the grid
  EXPECT_EVAL("bordering(frozenset({(0, 5)}), 5)", "True");
  EXPECT_EVAL("bordering(frozenset({(5, 0)}), 5)", "True");
  EXPECT_EVAL_ERROR("bordering(frozenset({(5, 5)}), 5)");
  EXPECT_EVAL("bordering(frozenset({(1, 5)}), ((1, 2), (3, 4)))", "True");  // lowermost == h - 1
  EXPECT_EVAL("bordering(frozenset({(1, 1)}), ((1, 2, 3), 5))", "True");  // len(grid) - 1 == 1
  EXPECT_EVAL_ERROR("bordering(frozenset({(1, 1)}), (5, 1, 2))");              // len(5)
  EXPECT_EVAL_ERROR("bordering(frozenset(), ((1, 2),))");
}

TEST(DslPatches, CenterofmassFloorsAndDividesByLen) {
  EXPECT_EVAL("centerofmass(frozenset({(1, 1), (2, 2)}))", "(1, 1)");
  EXPECT_EVAL("centerofmass(frozenset({(-1, -1), (-2, -4), (0, 0)}))", "(-1, -2)");
  // two colours on (0, 0): toindices merges them but the divisor is len(patch) = 3
  EXPECT_EVAL("centerofmass(frozenset({(1, (0, 0)), (2, (0, 0)), (1, (3, 3))}))", "(1, 1)");
  EXPECT_EVAL("centerofmass(frozenset({(1, (0, 0)), (1, (1, 3)), (1, (3, 3))}))", "(1, 2)");
  EXPECT_EVAL("centerofmass(frozenset())", "()");
  EXPECT_EVAL("centerofmass(((1, 2, 3), (3, 4, 5), (9, 9, 9)))", "(4, 5, 5)");  // column means
  EXPECT_EVAL("centerofmass(frozenset({((1, 2), (3, 4))}))", "(3, 4)");  // toindices keeps (3, 4)
  EXPECT_EVAL_ERROR("centerofmass(((1, 2), ((3,), 4)))");              // 0 + 1 + (3,)
  EXPECT_EVAL_ERROR("centerofmass(5)");
}

TEST(DslPatches, Toobject) {
  EXPECT_EVAL("toobject(frozenset({(0, 0), (5, 5), (-1, 0), (1, 1)}), ((1, 2), (3, 4)))",
              "frozenset({(1, (0, 0)), (4, (1, 1))})");
  EXPECT_EVAL("toobject(frozenset({(9, (0, 0)), (8, (0, 0)), (7, (1, 0))}), ((1, 2), (3, 4)))",
              "frozenset({(1, (0, 0)), (3, (1, 0))})");
  EXPECT_EVAL("toobject(frozenset(), ((1, 2), (3, 4)))", "frozenset()");
  EXPECT_EVAL("toobject(frozenset({(0, 0)}), ((),))", "frozenset()");
  EXPECT_EVAL_ERROR("toobject(frozenset(), ())");  // len(grid[0])
  EXPECT_EVAL_ERROR("toobject(frozenset({(0, 1), (1, 1)}), ((1, 2), (3,)))");  // ragged row
  EXPECT_EVAL("toobject(frozenset({(0, 1), (1, 0)}), ((1, 2), (3,)))", "frozenset({(2, (0, 1)), (3, (1, 0))})");
  EXPECT_EVAL("toobject(frozenset({(0, 0), (1, 1)}), (((1, 1), 2), (3, 4)))", "frozenset({(4, (1, 1)), ((1, 1), (0, 0))})");
  EXPECT_EVAL_ERROR("toobject(frozenset({((0,), 0)}), ((1, 2), (3, 4)))");
  EXPECT_EVAL_ERROR("toobject(frozenset({(0, 0)}), 5)");
  EXPECT_EVAL_ERROR("toobject(5, ((1, 2), (3, 4)))");
}

TEST(DslPatches, Asobject) {
  EXPECT_EVAL("asobject(((3, 1), (1, 3)))", "frozenset({(1, (0, 1)), (1, (1, 0)), (3, (0, 0)), (3, (1, 1))})");
  EXPECT_EVAL("asobject(((-3, 12), (100000, 3)))",
              "frozenset({(-3, (0, 0)), (3, (1, 1)), (12, (0, 1)), (100000, (1, 0))})");
  EXPECT_EVAL("asobject(())", "frozenset()");
  EXPECT_EVAL("asobject(((),))", "frozenset()");
  EXPECT_EVAL("asobject(((1, 2), (3,)))", "frozenset({(1, (0, 0)), (2, (0, 1)), (3, (1, 0))})");
  EXPECT_EVAL_ERROR("asobject(((1, 2), 3))");
  EXPECT_EVAL_ERROR("asobject(5)");
  Value o = val("asobject(((3, 1), (1, 3)))");
  EXPECT_EQ(o.kind(), Kind::Object);
}

TEST(DslPatches, ResultsUseCanonicalRepresentations) {
  EXPECT_EQ(val("ofcolor(((1, 2), (2, 1)), 2)").kind(), Kind::Indices);
  EXPECT_EQ(val("shift(frozenset({(1, (1, 1))}), (1, 1))").kind(), Kind::Object);
  EXPECT_EQ(val("recolor(3, frozenset({(1, 1)}))").kind(), Kind::Object);
  EXPECT_EQ(val("crop(((1, 2), (3, 4)), (0, 0), (1, 2))").kind(), Kind::Grid);
  EXPECT_EQ(val("shape(((1, 2),))").kind(), Kind::Pair);
  // equal values built through different paths compare equal
  EXPECT_TRUE(val("toindices(frozenset({(2, (1, 1)), (5, (0, 0))}))") == val("frozenset({(0, 0), (1, 1)})"));
}

TEST(DslPatches, LargeResultsAreChargedToTheBudget) {
  Budget b;
  b.max_cells = 100;
  Value g = val("((1, 2, 3, 4, 5, 6, 7, 8, 9, 0), (1, 2, 3, 4, 5, 6, 7, 8, 9, 0))");
  std::vector<Value> rows(20, g.item(0));
  Value big = make_tuple(rows);  // 20 x 10
  BudgetScope scope(&b);
  EXPECT_THROW(cpu::dsl::asobject(big), BudgetExceeded);
}

TEST(DslPatches, ObjectsChargesTheGridItLabels) {
  // a 20 x 10 grid of one colour has no objects without its background, but labelling it reads
  // 200 cells: a runaway program's giant grid stops at objects() instead of being scanned
  Grid g(20, 10);
  Value big = make_grid(g);
  Budget b;
  b.max_cells = 100;
  BudgetScope scope(&b);
  EXPECT_THROW(cpu::dsl::objects(big, Value::boolean(true), Value::boolean(false), Value::boolean(true)),
               BudgetExceeded);
  b.max_cells = 1000;
  b.cells_used = 0;
  EXPECT_EQ(cpu::dsl::objects(big, Value::boolean(true), Value::boolean(false), Value::boolean(true)).size(), 0u);
  EXPECT_EQ(b.cells_used, 200);
}

// ------------------------------------------------------------------ objects

TEST(DslObjects, FourConnectedUnivaluedWithoutBackground) {
  EXPECT_EVAL(std::string("objects(") + kRing + ", T, F, T)",
              "frozenset({frozenset({(3, (1, 1)), (3, (1, 2)), (3, (2, 1))}), frozenset({(4, (3, 0))}), "
              "frozenset({(4, (3, 3))})})");
}

TEST(DslObjects, DiagonalJoinsCorners) {
  // 1 is the background (five cells against four)
  EXPECT_EVAL(std::string("objects(") + kCheckers + ", T, T, T)",
              "frozenset({frozenset({(2, (0, 1)), (2, (1, 0)), (2, (1, 2)), (2, (2, 1))})})");
  EXPECT_EVAL(std::string("objects(") + kCheckers + ", T, F, T)",
              "frozenset({frozenset({(2, (0, 1))}), frozenset({(2, (1, 0))}), frozenset({(2, (1, 2))}), "
              "frozenset({(2, (2, 1))})})");
  EXPECT_EVAL(std::string("objects(") + kCheckers + ", T, T, F)",
              "frozenset({frozenset({(1, (0, 0)), (1, (0, 2)), (1, (1, 1)), (1, (2, 0)), (1, (2, 2))}), "
              "frozenset({(2, (0, 1)), (2, (1, 0)), (2, (1, 2)), (2, (2, 1))})})");
}

TEST(DslObjects, MulticolourObjectsSortCellsByColour) {
  EXPECT_EVAL("objects(((1, 1, 0), (0, 2, 0), (3, 0, 2)), F, F, T)",
              "frozenset({frozenset({(1, (0, 0)), (1, (0, 1)), (2, (1, 1))}), frozenset({(2, (2, 2))}), "
              "frozenset({(3, (2, 0))})})");
  EXPECT_EVAL("objects(((1, 1, 0), (0, 2, 0), (3, 0, 2)), F, T, T)",
              "frozenset({frozenset({(1, (0, 0)), (1, (0, 1)), (2, (1, 1)), (2, (2, 2)), (3, (2, 0))})})");
}

TEST(DslObjects, WithBackgroundTheBackgroundFormsObjectsToo) {
  EXPECT_EVAL("objects(((0, 5), (0, 0)), T, F, F)",
              "frozenset({frozenset({(0, (0, 0)), (0, (1, 0)), (0, (1, 1))}), frozenset({(5, (0, 1))})})");
  // not univalued and no background: every cell satisfies `v != None`, one object for the grid
  EXPECT_EVAL("objects(((0, 5), (7, 0)), F, F, F)",
              "frozenset({frozenset({(0, (0, 0)), (0, (1, 1)), (5, (0, 1)), (7, (1, 0))})})");
}

TEST(DslObjects, BackgroundIsTheMostCommonColourSmallestOnTies) {
  // 1 and 2 tie: 1 is the background
  EXPECT_EVAL("objects(((1, 2), (2, 1)), T, F, T)", "frozenset({frozenset({(2, (0, 1))}), frozenset({(2, (1, 0))})})");
  EXPECT_EVAL("objects(((1, 1), (1, 1)), T, F, T)", "frozenset()");
}

TEST(DslObjects, DegenerateGrids) {
  EXPECT_EVAL("objects(((5,),), T, F, F)", "frozenset({frozenset({(5, (0, 0))})})");
  EXPECT_EVAL("objects(((5,),), T, F, T)", "frozenset()");
  EXPECT_EVAL("objects(((),), T, F, F)", "frozenset()");
  EXPECT_EVAL_ERROR("objects(((),), T, F, T)");  // mostcolor of no cells
  EXPECT_EVAL_ERROR("objects((), T, F, F)");     // grid[0]
  EXPECT_EVAL_ERROR("objects(frozenset(), T, F, F)");
  EXPECT_EVAL_ERROR("objects(5, T, F, F)");
  EXPECT_EVAL_ERROR("objects((1, 2), T, F, F)");
}

TEST(DslObjects, FlagsUsePythonTruthiness) {
  EXPECT_EQ(ev("objects(((1, 2), (2, 1)), (1,), (), 5)"), ev("objects(((1, 2), (2, 1)), T, F, T)"));
}

TEST(DslObjects, NonGridTuplesFollowPythonIndexing) {
  // the width is len(grid[0]); longer rows are cut, shorter ones raise
  EXPECT_EVAL("objects(((1,), (3, 4)), T, F, F)", "frozenset({frozenset({(1, (0, 0))}), frozenset({(3, (1, 0))})})");
  EXPECT_EVAL_ERROR("objects(((1, 2), (3,)), T, F, F)");
  // the background counts every cell, including the cut ones
  EXPECT_EVAL("objects(((1,), (3, 1)), F, F, T)", "frozenset({frozenset({(3, (1, 0))})})");
  // cells that are tuples
  EXPECT_EVAL("objects((((1, 2), (1, 2)), ((1, 2), (3, 4))), T, F, T)", "frozenset({frozenset({((3, 4), (1, 1))})})");
  EXPECT_EVAL_ERROR("objects(((1, 2), frozenset({3})), T, F, F)");
}

TEST(DslObjects, PartitionAndFgpartition) {
  EXPECT_EVAL("partition(((1, 2), (2, 2)))",
              "frozenset({frozenset({(1, (0, 0))}), frozenset({(2, (0, 1)), (2, (1, 0)), (2, (1, 1))})})");
  EXPECT_EVAL("fgpartition(((1, 2), (2, 2)))", "frozenset({frozenset({(1, (0, 0))})})");
  EXPECT_EVAL("fgpartition(((1, 2), (2, 1)))", "frozenset({frozenset({(2, (0, 1)), (2, (1, 0))})})");
  EXPECT_EVAL("fgpartition(((7,),))", "frozenset()");
  EXPECT_EVAL("partition(((-5, 20), (20, 100000)))",
              "frozenset({frozenset({(-5, (0, 0))}), frozenset({(20, (0, 1)), (20, (1, 0))}), "
              "frozenset({(100000, (1, 1))})})");
  EXPECT_EVAL("partition(())", "frozenset()");
  EXPECT_EVAL_ERROR("fgpartition(())");
  EXPECT_EVAL_ERROR("fgpartition(((),))");
  // on an object, enumerate() walks its cells: (colour, (k, 0)) for the k-th cell of that colour
  EXPECT_EVAL("partition(frozenset({(1, (0, 0)), (2, (0, 1)), (1, (3, 3))}))",
              "frozenset({frozenset({(1, (0, 0)), (1, (1, 0))}), frozenset({(2, (2, 0))})})");
  EXPECT_EVAL("partition(((1, 2), (3,)))",
              "frozenset({frozenset({(1, (0, 0))}), frozenset({(2, (0, 1))}), frozenset({(3, (1, 0))})})");
  EXPECT_EVAL_ERROR("partition(((1, 2), 3))");
  EXPECT_EVAL_ERROR("partition(5)");
}

// A direct transcription of the flood fill on (i, j) sets, to cross-check the labelling.
Value reference_objects(const Grid& g, bool univalued, bool diagonal, bool without_bg) {
  std::map<Color, int> count;
  for (Color c : g.cells) ++count[c];
  bool has_bg = without_bg;
  Color bg = 0;
  int best = -1;
  for (auto [c, n] : count)
    if (n > best) best = n, bg = c;
  std::set<std::pair<int, int>> occupied;
  std::vector<Value> objs;
  for (int i = 0; i < g.h; ++i)
    for (int j = 0; j < g.w; ++j) {
      if (occupied.count({i, j})) continue;
      Color val = g.at(i, j);
      if (has_bg && val == bg) continue;
      std::vector<CellV> obj{{val, i, j}};
      std::set<std::pair<int, int>> cands{{i, j}};
      while (!cands.empty()) {
        std::set<std::pair<int, int>> next;
        for (auto [ci, cj] : cands) {
          Color v = g.at(ci, cj);
          bool ok = univalued ? v == val : (!has_bg || v != bg);
          if (!ok) continue;
          obj.push_back({v, ci, cj});
          occupied.insert({ci, cj});
          for (int di = -1; di <= 1; ++di)
            for (int dj = -1; dj <= 1; ++dj) {
              if (di == 0 && dj == 0) continue;
              if (!diagonal && di != 0 && dj != 0) continue;
              int ni = ci + di, nj = cj + dj;
              if (ni >= 0 && ni < g.h && nj >= 0 && nj < g.w && !occupied.count({ni, nj})) next.insert({ni, nj});
            }
        }
        cands = std::move(next);
      }
      objs.push_back(make_object(obj));
    }
  return make_set(objs);
}

TEST(DslObjects, MatchesAReferenceFloodFillOnRandomGrids) {
  std::mt19937 rng(12345);
  const std::vector<std::vector<Color>> palettes = {{0, 1}, {0, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {0, 5, -3, 70000}, {4}};
  for (int trial = 0; trial < 400; ++trial) {
    const int side = trial % 4 == 0 ? 30 : 9;  // every fourth grid up to ARC's full size
    const int h = 1 + static_cast<int>(rng() % side), w = 1 + static_cast<int>(rng() % side);
    const auto& pal = palettes[rng() % palettes.size()];
    Grid g(h, w);
    for (Color& c : g.cells) c = pal[rng() % pal.size()];
    Value grid = make_grid(g);
    for (int flags = 0; flags < 8; ++flags) {
      const bool uni = flags & 1, diag = flags & 2, nobg = flags & 4;
      Value got = cpu::dsl::objects(grid, Value::boolean(uni), Value::boolean(diag), Value::boolean(nobg));
      Value want = reference_objects(g, uni, diag, nobg);
      ASSERT_EQ(repr(got), repr(want)) << "grid " << repr(grid) << " flags " << flags;
    }
    // partition is objects-by-colour regardless of connectivity
    Value part = cpu::dsl::partition(grid);
    std::int64_t cells = 0;
    for (const Value& o : part.items()) cells += static_cast<std::int64_t>(o.size());
    ASSERT_EQ(cells, static_cast<std::int64_t>(h) * w);
    ASSERT_EQ(part.size(), cpu::dsl::palette(grid).size());
  }
}

TEST(DslObjects, ObjectsOfAGridCoverEveryNonBackgroundCellOnce) {
  Value g = val(kRing);
  Value objs = cpu::dsl::objects(g, Value::boolean(false), Value::boolean(true), Value::boolean(true));
  std::int64_t cells = 0;
  for (const Value& o : objs.items()) {
    EXPECT_EQ(o.kind(), Kind::Object);
    cells += static_cast<std::int64_t>(o.size());
  }
  EXPECT_EQ(cells, 5);
}

}  // namespace
}  // namespace megabatch
