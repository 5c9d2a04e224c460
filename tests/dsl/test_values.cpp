// DslValues: the basics family (identity .. tojvec) against arc-dsl's dsl.py semantics, with
// frozensets iterating in canonical ascending order.
#include <gtest/gtest.h>

#include <string>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"

#include "dsl_support.hpp"

namespace megabatch {
namespace {

TEST(DslValues, Identity) {
  EXPECT_EVAL("identity(1)", "1");
  EXPECT_EVAL("identity(frozenset({2, 1}))", "frozenset({1, 2})");
  EXPECT_EVAL("identity(identity)", "<function identity>");
  Value grid = val("((1, 2), (3, 4))");
  EXPECT_EQ(cpu::dsl::identity(grid).node(), grid.node());  // the same object comes back
}

TEST(DslValues, AddOnIntsAndPairs) {
  EXPECT_EVAL("add(1, 2)", "3");
  EXPECT_EVAL("add(4, 6)", "10");
  EXPECT_EVAL("add(-3, 1)", "-2");
  EXPECT_EVAL("add((1, 2), (3, 4))", "(4, 6)");
  EXPECT_EVAL("add(1, (3, 4))", "(4, 5)");
  EXPECT_EVAL("add((1, 2), 3)", "(4, 5)");
  EXPECT_EVAL("add(True, True)", "2");  // bools are ints; the sum is a plain int
  EXPECT_EQ(val("add(True, True)").is_bool(), false);
}

TEST(DslValues, AddUsesOnlyTheFirstTwoComponents) {
  EXPECT_EVAL("add((1, 2, 3), (4, 5, 6))", "(5, 7)");
  // components are added with Python's +, which concatenates tuples
  EXPECT_EVAL("add(((1, 2), (3, 4)), ((5, 6), (7, 8)))", "((1, 2, 5, 6), (3, 4, 7, 8))");
  EXPECT_EVAL_ERROR("add((1,), (2, 3))");       // index out of range
  EXPECT_EVAL_ERROR("add(frozenset({1}), 1)");  // frozensets are not subscriptable
  EXPECT_EVAL_ERROR("add(1, frozenset({1}))");
  EXPECT_EVAL_ERROR("add(identity, 1)");
  EXPECT_EVAL_ERROR("add(((1, 2),), 1)");  // (1, 2) + 1
}

TEST(DslValues, AddBeyondInt32StaysExact) {
  EXPECT_EVAL("add(2147483647, 1)", "2147483648");
  EXPECT_EVAL("add((2147483647, 0), (1, 0))", "(2147483648, 0)");
  EXPECT_EVAL_ERROR("add(9223372036854775807, 1)");  // megabatch ints are 64-bit and say so
}

TEST(DslValues, Subtract) {
  EXPECT_EVAL("subtract(1, 2)", "-1");
  EXPECT_EVAL("subtract(4, 6)", "-2");
  EXPECT_EVAL("subtract((1, 2), (3, 4))", "(-2, -2)");
  EXPECT_EVAL("subtract(5, (1, 2))", "(4, 3)");
  EXPECT_EVAL("subtract((5, 6), 1)", "(4, 5)");
  // component-wise `-` on frozensets is a set difference
  EXPECT_EVAL("subtract((frozenset({1, 2}), frozenset({3})), (frozenset({1}), frozenset({3})))",
              "(frozenset({2}), frozenset())");
  EXPECT_EVAL_ERROR("subtract(frozenset({1, 2}), frozenset({1}))");  // not subscriptable
}

TEST(DslValues, Multiply) {
  EXPECT_EVAL("multiply(2, 3)", "6");
  EXPECT_EVAL("multiply(4, 3)", "12");
  EXPECT_EVAL("multiply((2, 3), (4, 5))", "(8, 15)");
  EXPECT_EVAL("multiply(2, (3, 4))", "(6, 8)");
  EXPECT_EVAL("multiply((3, 4), -2)", "(-6, -8)");
  // int * tuple repeats the tuple, component by component
  EXPECT_EVAL("multiply(2, ((1, 2), (3, 4)))", "((1, 2, 1, 2), (3, 4, 3, 4))");
  EXPECT_EVAL("multiply(((1, 2), (3, 4)), (2, 0))", "((1, 2, 1, 2), ())");
  EXPECT_EVAL("multiply(True, (1, 2))", "(1, 2)");
  EXPECT_EVAL("multiply((1, 2), (3, (4, 5)))", "(3, (4, 5, 4, 5))");
  EXPECT_EVAL_ERROR("multiply((1, 2), (frozenset(), 5))");
}

TEST(DslValues, DivideFloors) {
  EXPECT_EVAL("divide(4, 2)", "2");
  EXPECT_EVAL("divide(9, 2)", "4");
  EXPECT_EVAL("divide(-7, 2)", "-4");
  EXPECT_EVAL("divide(7, -2)", "-4");
  EXPECT_EVAL("divide((7, 9), (2, 4))", "(3, 2)");
  EXPECT_EVAL("divide((7, 9), 2)", "(3, 4)");
  EXPECT_EVAL("divide(9, (2, 4))", "(4, 2)");
  EXPECT_EVAL_ERROR("divide(1, 0)");
  EXPECT_EVAL_ERROR("divide((1, 2), (0, 1))");
}

TEST(DslValues, Invert) {
  EXPECT_EVAL("invert(1)", "-1");
  EXPECT_EVAL("invert(-4)", "4");
  EXPECT_EVAL("invert(0)", "0");
  EXPECT_EVAL("invert((1, -2))", "(-1, 2)");
  EXPECT_EVAL("invert(True)", "-1");
  EXPECT_EVAL_ERROR("invert(((1, 2), (3, 4)))");  // unary minus on a tuple
  EXPECT_EVAL_ERROR("invert(frozenset({1}))");
}

TEST(DslValues, Even) {
  EXPECT_EVAL("even(1)", "False");
  EXPECT_EVAL("even(2)", "True");
  EXPECT_EVAL("even(0)", "True");
  EXPECT_EVAL("even(-3)", "False");
  EXPECT_EVAL("even(-4)", "True");
  EXPECT_EVAL("even(True)", "False");
  EXPECT_EVAL_ERROR("even((1, 2))");  // no component-wise branch
}

TEST(DslValues, DoubleAndHalve) {
  EXPECT_EVAL("double(1)", "2");
  EXPECT_EVAL("double(-5)", "-10");
  EXPECT_EVAL("double((1, 2))", "(2, 4)");
  EXPECT_EVAL_ERROR("double(((1, 2),))");  // second component missing
  EXPECT_EVAL("halve(2)", "1");
  EXPECT_EVAL("halve(5)", "2");
  EXPECT_EVAL("halve(-5)", "-3");
  EXPECT_EVAL("halve((5, -5))", "(2, -3)");
  EXPECT_EVAL_ERROR("halve((1,))");
}

TEST(DslValues, FlipIsPythonNot) {
  EXPECT_EVAL("flip(False)", "True");
  EXPECT_EVAL("flip(True)", "False");
  EXPECT_EVAL("flip(0)", "True");
  EXPECT_EVAL("flip(5)", "False");
  EXPECT_EVAL("flip(())", "True");
  EXPECT_EVAL("flip((0,))", "False");
  EXPECT_EVAL("flip(frozenset())", "True");
  EXPECT_EVAL("flip(identity)", "False");
}

TEST(DslValues, Equality) {
  EXPECT_EVAL("equality(((1, 0), (0, 1), (1, 0)), ((1, 0), (0, 1), (1, 0)))", "True");
  EXPECT_EVAL("equality(((1, 0), (0, 1), (1, 0)), ((2, 1), (0, 1), (2, 1)))", "False");
  EXPECT_EVAL("equality(1, True)", "True");
  EXPECT_EVAL("equality(0, False)", "True");
  EXPECT_EVAL("equality((), frozenset())", "False");
  EXPECT_EVAL("equality((1, 2), (1, 2, 3))", "False");
  EXPECT_EVAL("equality(identity, identity)", "True");
  // two lambdas made by two calls are distinct objects; power(f, 1) is f itself
  EXPECT_EVAL("equality(compose(identity, identity), compose(identity, identity))", "False");
  EXPECT_EVAL("equality(power(identity, 1), identity)", "True");
}

TEST(DslValues, Contained) {
  EXPECT_EVAL("contained(1, (1, 3))", "True");
  EXPECT_EVAL("contained(2, frozenset({3, 4}))", "False");
  EXPECT_EVAL("contained((1, 2), ((1, 2), (3, 4)))", "True");  // rows of a grid
  EXPECT_EVAL("contained(1, ((1, 2), (3, 4)))", "False");
  EXPECT_EVAL("contained((0, 0), frozenset({(0, 0), (1, 1)}))", "True");
  EXPECT_EVAL("contained((1, (0, 0)), frozenset({(1, (0, 0))}))", "True");
  EXPECT_EVAL("contained((0, 0), frozenset({(1, (0, 0))}))", "False");
  EXPECT_EVAL("contained(True, (1, 2))", "True");
  EXPECT_EVAL("contained(0, ())", "False");
  EXPECT_EVAL("contained(frozenset(), frozenset({frozenset()}))", "True");
  EXPECT_EVAL_ERROR("contained(1, 5)");
}

TEST(DslValues, CombineKeepsTheFirstType) {
  EXPECT_EVAL("combine(frozenset({1, 2}), frozenset({3, 4}))", "frozenset({1, 2, 3, 4})");
  EXPECT_EVAL("combine((1, 2), (3, 4))", "(1, 2, 3, 4)");
  EXPECT_EVAL("combine((1, 2), frozenset({4, 3}))", "(1, 2, 3, 4)");
  EXPECT_EVAL("combine(frozenset({3, 4}), (1, 2))", "frozenset({1, 2, 3, 4})");
  EXPECT_EVAL("combine((), ())", "()");
  EXPECT_EVAL("combine(frozenset(), frozenset())", "frozenset()");
  EXPECT_EVAL("combine(frozenset(), (1,))", "frozenset({1})");
  EXPECT_EVAL("combine((1,), (1,))", "(1, 1)");
  EXPECT_EVAL_ERROR("combine(1, (1,))");
  EXPECT_EVAL_ERROR("combine((1,), 1)");
}

TEST(DslValues, CombineOfGridsAndPatches) {
  EXPECT_EVAL("combine(((1, 2), (3, 4)), ((5, 6),))", "((1, 2), (3, 4), (5, 6))");
  EXPECT_EQ(val("combine(((1, 2), (3, 4)), ((5, 6),))").kind(), Kind::Grid);
  EXPECT_EVAL("combine(((1, 2), (3, 4)), ((5, 6, 7),))", "((1, 2), (3, 4), (5, 6, 7))");
  EXPECT_EQ(val("combine(((1, 2), (3, 4)), ((5, 6, 7),))").kind(), Kind::Tuple);
  EXPECT_EVAL("combine(((1, 2),), (5,))", "((1, 2), 5)");
  EXPECT_EVAL("combine(frozenset({(0, 0)}), frozenset({(0, 1), (0, 0)}))", "frozenset({(0, 0), (0, 1)})");
  EXPECT_EQ(val("combine(frozenset({(0, 0)}), frozenset({(0, 1)}))").kind(), Kind::Indices);
  EXPECT_EVAL("combine(frozenset({(1, (0, 0))}), frozenset({(2, (0, 0)), (1, (0, 0))}))",
              "frozenset({(1, (0, 0)), (2, (0, 0))})");
  // indices and cells together make a generic set
  EXPECT_EVAL("combine(frozenset({(0, 0)}), frozenset({(1, (0, 0))}))", "frozenset({(0, 0), (1, (0, 0))})");
  EXPECT_EQ(val("combine(frozenset({(0, 0)}), frozenset({(1, (0, 0))}))").kind(), Kind::Set);
}

TEST(DslValues, IntersectionIsPythonAmpersand) {
  EXPECT_EVAL("intersection(frozenset({1, 2}), frozenset({2, 3}))", "frozenset({2})");
  EXPECT_EVAL("intersection(frozenset(), frozenset({1}))", "frozenset()");
  EXPECT_EVAL("intersection(frozenset({(0, 0), (1, 1)}), frozenset({(1, 1), (2, 2)}))", "frozenset({(1, 1)})");
  EXPECT_EVAL("intersection(frozenset({(1, (0, 0)), (2, (1, 1))}), frozenset({(2, (1, 1))}))",
              "frozenset({(2, (1, 1))})");
  EXPECT_EVAL("intersection(frozenset({(0, 0)}), frozenset({(1, (0, 0))}))", "frozenset()");
  EXPECT_EVAL("intersection(frozenset({1, (1, 2), frozenset({3})}), frozenset({frozenset({3}), 1}))",
              "frozenset({1, frozenset({3})})");
  // on ints & is the bitwise and; two bools stay a bool
  EXPECT_EVAL("intersection(6, 3)", "2");
  EXPECT_EVAL("intersection(True, True)", "True");
  EXPECT_EVAL("intersection(False, True)", "False");
  EXPECT_EVAL("intersection(True, 3)", "1");
  EXPECT_EVAL_ERROR("intersection((1, 2), (2, 3))");
  EXPECT_EVAL_ERROR("intersection((1, 2), frozenset({2}))");
  EXPECT_EVAL_ERROR("intersection(frozenset({2}), (1, 2))");
}

TEST(DslValues, Difference) {
  EXPECT_EVAL("difference(frozenset({1, 2, 3}), frozenset({1, 2}))", "frozenset({3})");
  EXPECT_EVAL("difference(frozenset({1, 2}), frozenset({1, 2}))", "frozenset()");
  // a tuple keeps its order and its repeats
  EXPECT_EVAL("difference((1, 2, 3, 2), (2,))", "(1, 3)");
  EXPECT_EVAL("difference((3, 1, 3, 2), frozenset({2}))", "(3, 1, 3)");
  EXPECT_EVAL("difference(frozenset({1, 2}), (2, 5))", "frozenset({1})");
  EXPECT_EVAL("difference(frozenset({(0, 0), (1, 1)}), frozenset({(1, 1), (2, 2)}))", "frozenset({(0, 0)})");
  EXPECT_EVAL("difference(frozenset({(1, (0, 0)), (2, (1, 1))}), frozenset({(2, (1, 1))}))",
              "frozenset({(1, (0, 0))})");
  EXPECT_EVAL("difference(((1, 2), (3, 4), (1, 2)), ((1, 2),))", "((3, 4),)");
  EXPECT_EVAL("difference(((1, 2), (3, 4)), (1, 2))", "((1, 2), (3, 4))");
  // membership in b is only asked for members of a
  EXPECT_EVAL("difference((), 5)", "()");
  EXPECT_EVAL_ERROR("difference((1,), 5)");
  EXPECT_EVAL_ERROR("difference(5, ())");
}

TEST(DslValues, Dedupe) {
  EXPECT_EVAL("dedupe((1, 2, 3, 3, 2, 4, 1))", "(1, 2, 3, 4)");
  EXPECT_EVAL("dedupe(())", "()");
  EXPECT_EVAL("dedupe(((1, 2), (1, 2), (3, 4)))", "((1, 2), (3, 4))");
  EXPECT_EVAL("dedupe((1, True, 0, False))", "(1, 0)");  // True == 1, False == 0
  EXPECT_EVAL("dedupe((frozenset(), (), 0, frozenset(), ()))", "(frozenset(), (), 0)");
  // only tuples have .index; an empty frozenset never needs it
  EXPECT_EVAL("dedupe(frozenset())", "()");
  EXPECT_EVAL_ERROR("dedupe(frozenset({1}))");
  EXPECT_EVAL_ERROR("dedupe(5)");
}

TEST(DslValues, OrderIsAStableSortByKey) {
  EXPECT_EVAL("order(((1,), (1, 2, 3), (1, 2)), size)", "((1,), (1, 2), (1, 2, 3))");
  EXPECT_EVAL("order((3, 1, 2), identity)", "(1, 2, 3)");
  EXPECT_EVAL("order((3, 1, 2), invert)", "(3, 2, 1)");
  EXPECT_EVAL("order(frozenset({3, 1, 2}), invert)", "(3, 2, 1)");
  // equal keys keep iteration order: canonical order for a frozenset
  EXPECT_EVAL("order(frozenset({(0, 1), (1, 0), (0, 0)}), last)", "((0, 0), (1, 0), (0, 1))");
  EXPECT_EVAL("order(((1, 2), (0, 5), (1, 0), (0, 1)), first)", "((0, 5), (0, 1), (1, 2), (1, 0))");
  EXPECT_EVAL("order((1, 4, -3), sign)", "(-3, 1, 4)");
  // frozensets compare by the subset order, as CPython's sort sees it: here no member is a proper
  // subset of its predecessor, so the input is already one ascending run
  EXPECT_EVAL("order((frozenset({1, 2}), frozenset({3}), frozenset({1})), identity)",
              "(frozenset({1, 2}), frozenset({3}), frozenset({1}))");
  EXPECT_EVAL("order((frozenset({1, 2}), frozenset({1})), identity)", "(frozenset({1}), frozenset({1, 2}))");
  EXPECT_EVAL("order((), 5)", "()");
  EXPECT_EVAL_ERROR("order((1,), 5)");      // the key is called even for one member
  EXPECT_EVAL_ERROR("order((5,), first)");  // ... and its errors surface
  EXPECT_EVAL_ERROR("order((2, 1, (1,)), identity)");
  EXPECT_EVAL_ERROR("order(5, identity)");
}

TEST(DslValues, Repeat) {
  EXPECT_EVAL("repeat(((3, 4), (5, 5)), 3)", "(((3, 4), (5, 5)), ((3, 4), (5, 5)), ((3, 4), (5, 5)))");
  EXPECT_EVAL("repeat(1, 3)", "(1, 1, 1)");
  EXPECT_EVAL("repeat(1, 0)", "()");
  EXPECT_EVAL("repeat(1, -2)", "()");
  EXPECT_EVAL("repeat(1, True)", "(1,)");
  EXPECT_EVAL("repeat((1, 2, 3), 2)", "((1, 2, 3), (1, 2, 3))");
  EXPECT_EQ(val("repeat((1, 2, 3), 2)").kind(), Kind::Grid);
  EXPECT_EVAL("repeat((), 3)", "((), (), ())");
  EXPECT_EVAL("repeat(frozenset({1}), 2)", "(frozenset({1}), frozenset({1}))");
  EXPECT_EVAL("repeat(identity, 2)", "(<function identity>, <function identity>)");
  EXPECT_EVAL_ERROR("repeat(1, (1,))");
}

TEST(DslValues, RepeatIsBoundedByTheCellBudget) {
  for (const char* huge : {"repeat(1, 1000000000000)", "repeat((1, 2), 100000000000)", "repeat((), 9223372036854775807)"}) {
    Budget b;  // budgets accumulate, so each evaluation gets a fresh one
    b.max_cells = 1000;
    BudgetScope scope(&b);
    EXPECT_THROW(ev(huge), BudgetExceeded) << huge;
  }
}

TEST(DslValues, Greater) {
  EXPECT_EVAL("greater(2, 1)", "True");
  EXPECT_EVAL("greater(4, 10)", "False");
  EXPECT_EVAL("greater(1, 1)", "False");
  EXPECT_EVAL("greater(True, 0)", "True");
  EXPECT_EVAL("greater((1, 2), (1, 1))", "True");
  EXPECT_EVAL("greater((1, 2), (1, 2, 0))", "False");
  EXPECT_EVAL("greater((1, (2, 3)), (1, (2, 2)))", "True");
  EXPECT_EVAL("greater((0, 2), (1, (2, 3)))", "False");
  // frozenset > is a proper superset test
  EXPECT_EVAL("greater(frozenset({1, 2}), frozenset({1}))", "True");
  EXPECT_EVAL("greater(frozenset({1, 2}), frozenset({3}))", "False");
  EXPECT_EVAL("greater(frozenset({1}), frozenset({1}))", "False");
  EXPECT_EVAL_ERROR("greater(1, (1,))");
  EXPECT_EVAL_ERROR("greater((1, 2), (1, (2, 3)))");  // 2 > (2, 3)
}

TEST(DslValues, Size) {
  EXPECT_EVAL("size((1, 2, 3))", "3");
  EXPECT_EVAL("size(frozenset({2, 5}))", "2");
  EXPECT_EVAL("size(())", "0");
  EXPECT_EVAL("size(frozenset())", "0");
  EXPECT_EVAL("size(((1, 2), (3, 4), (5, 6)))", "3");  // a grid's height
  EXPECT_EVAL("size((1, (2, 3)))", "2");
  EXPECT_EVAL("size(frozenset({(1, (0, 0)), (2, (0, 0))}))", "2");
  EXPECT_EVAL_ERROR("size(5)");
  EXPECT_EVAL_ERROR("size(identity)");
}

TEST(DslValues, MergeFlattensOneLevelIntoTheOuterType) {
  EXPECT_EVAL("merge(frozenset({frozenset({(1, (0, 0))}), frozenset({(1, (1, 1)), (1, (0, 1))})}))",
              "frozenset({(1, (0, 0)), (1, (0, 1)), (1, (1, 1))})");
  EXPECT_EQ(val("merge(frozenset({frozenset({(1, (0, 0))}), frozenset({(1, (1, 1))})}))").kind(), Kind::Object);
  EXPECT_EVAL("merge(((1, 2), (3, 4, 5)))", "(1, 2, 3, 4, 5)");
  EXPECT_EVAL("merge(((4, 5), (7,)))", "(4, 5, 7)");
  EXPECT_EVAL("merge(())", "()");
  EXPECT_EVAL("merge(frozenset())", "frozenset()");
  EXPECT_EVAL("merge(((), ()))", "()");
  EXPECT_EVAL("merge(frozenset({frozenset({(0, 0)}), frozenset({(1, 1), (0, 0)})}))", "frozenset({(0, 0), (1, 1)})");
  EXPECT_EVAL("merge(frozenset({frozenset({(0, 0)}), frozenset({(1, (1, 1))})}))",
              "frozenset({(0, 0), (1, (1, 1))})");
  EXPECT_EVAL("merge(frozenset({(1, 2), (3, 4)}))", "frozenset({1, 2, 3, 4})");
  EXPECT_EVAL("merge(((1, 2), frozenset({4, 3})))", "(1, 2, 3, 4)");
  EXPECT_EVAL("merge((frozenset({3, 4}), (1, 2)))", "(3, 4, 1, 2)");
  EXPECT_EVAL("merge(frozenset({frozenset({1}), (2, 3)}))", "frozenset({1, 2, 3})");
  EXPECT_EVAL_ERROR("merge((1, 2))");
  EXPECT_EVAL_ERROR("merge(5)");
}

TEST(DslValues, MergeOfGridsStacksThem) {
  EXPECT_EVAL("merge((((1, 2), (3, 4)), ((5, 6),)))", "((1, 2), (3, 4), (5, 6))");
  EXPECT_EQ(val("merge((((1, 2), (3, 4)), ((5, 6),)))").kind(), Kind::Grid);
  EXPECT_EVAL("merge((((1, 2), (3, 4)), ((5, 6, 7),)))", "((1, 2), (3, 4), (5, 6, 7))");
  EXPECT_EVAL("merge((((1, 2),), ()))", "((1, 2),)");
  // a grid's members are rows of ints: merging it flattens to its cells
  EXPECT_EVAL("merge(((1, 2), (3, 4)))", "(1, 2, 3, 4)");
}

TEST(DslValues, MaximumAndMinimumDefaultToZero) {
  EXPECT_EVAL("maximum(frozenset({1, 2, 5, 3}))", "5");
  EXPECT_EVAL("maximum((4, 2, 6))", "6");
  EXPECT_EVAL("minimum(frozenset({1, 2, 5, 3}))", "1");
  EXPECT_EVAL("minimum((4, 2, 6))", "2");
  EXPECT_EVAL("minimum((5, -3, 2))", "-3");
  EXPECT_EVAL("maximum(())", "0");
  EXPECT_EVAL("maximum(frozenset())", "0");
  EXPECT_EVAL("minimum(())", "0");
  EXPECT_EVAL("maximum((1, True, 0))", "1");
  EXPECT_EVAL("maximum(((1, 2), (3, 0)))", "(3, 0)");
  EXPECT_EVAL("maximum(frozenset({(1, 2), (0, 5)}))", "(1, 2)");
  EXPECT_EVAL("minimum(frozenset({(1, 2), (0, 5)}))", "(0, 5)");
  EXPECT_EVAL("maximum(((1, 2), (1, 2, 3)))", "(1, 2, 3)");
  // frozensets compare by inclusion: incomparable members keep the first in canonical order
  EXPECT_EVAL("maximum(frozenset({frozenset({2}), frozenset({1})}))", "frozenset({1})");
  EXPECT_EVAL("minimum(frozenset({frozenset({2}), frozenset({1})}))", "frozenset({1})");
  EXPECT_EVAL("maximum(frozenset({frozenset({1}), frozenset({1, 2})}))", "frozenset({1, 2})");
  EXPECT_EVAL_ERROR("maximum((1, (1, 2)))");
  EXPECT_EVAL_ERROR("maximum(5)");
}

TEST(DslValues, ValmaxAndValmin) {
  EXPECT_EVAL("valmax(((1,), (1, 2)), size)", "2");
  EXPECT_EVAL("valmin(((1,), (1, 2)), size)", "1");
  EXPECT_EVAL("valmax((1, -5, 3), invert)", "5");
  EXPECT_EVAL("valmin((1, -5, 3), invert)", "-3");
  EXPECT_EVAL("valmax(frozenset({(0, 1), (2, 0)}), first)", "2");
  // an empty container applies the key to the default 0
  EXPECT_EVAL("valmax((), identity)", "0");
  EXPECT_EVAL("valmin((), increment)", "1");
  EXPECT_EVAL("valmax(frozenset(), double)", "0");
  EXPECT_EVAL_ERROR("valmax((), size)");  // size(0)
  EXPECT_EVAL_ERROR("valmax((1, 2), 5)");
}

TEST(DslValues, ArgmaxAndArgminKeepTheFirstExtreme) {
  EXPECT_EVAL("argmax(((1,), (1, 2)), size)", "(1, 2)");
  EXPECT_EVAL("argmin(((1,), (1, 2)), size)", "(1,)");
  EXPECT_EVAL("argmax((1, -5, 3), invert)", "-5");
  EXPECT_EVAL("argmin((1, -5, 3), invert)", "3");
  EXPECT_EVAL("argmax(((1, 2), (3, 4), (5,)), size)", "(1, 2)");
  EXPECT_EVAL("argmin(((1, 2), (3, 4), (5,)), size)", "(5,)");
  // ties in a frozenset go to the canonically smallest member
  EXPECT_EVAL("argmax(frozenset({(3, 4), (1, 2), (5, 0)}), size)", "(1, 2)");
  EXPECT_EVAL("argmin(frozenset({(1, 2), (3, 4), (5, 0)}), last)", "(5, 0)");
  EXPECT_EVAL("argmax(frozenset({frozenset({3, 4}), frozenset({1, 2}), frozenset({5})}), size)",
              "frozenset({1, 2})");
  EXPECT_EVAL_ERROR("argmax((), identity)");
  EXPECT_EVAL_ERROR("argmin(frozenset(), identity)");
  EXPECT_EVAL_ERROR("argmax((1, 2), first)");
  EXPECT_EVAL_ERROR("argmax((1,), 5)");
  // keys that are not ints compare as Python compares them; unorderable keys raise TypeError
  EXPECT_EVAL("argmax(((1, 2), (3,)), identity)", "(3,)");
  EXPECT_EVAL("argmin(((1, 2), (1, 2, 0)), identity)", "(1, 2)");
  EXPECT_EVAL("argmax((True, 0, 1, 0), identity)", "True");
  EXPECT_EVAL_ERROR("argmax((1, (2, 3)), identity)");
  EXPECT_EVAL_ERROR("argmin(((2, 3), 1), identity)");
  // a grid iterates its rows
  EXPECT_EVAL("argmax(((1, 5), (2, 5)), last)", "(1, 5)");
  EXPECT_EVAL("valmin(((3, 4), (1, 2)), first)", "1");
  EXPECT_EVAL("argmax(((1,), (0, 0)), identity)", "(1,)");
  EXPECT_EVAL_ERROR("argmax((1, (1,)), identity)");  // int and tuple keys do not compare
}

TEST(DslValues, MostcommonAndLeastcommon) {
  EXPECT_EVAL("mostcommon((1, 2, 2, 3, 3, 3))", "3");
  EXPECT_EVAL("leastcommon((1, 2, 3, 4, 2, 3, 4))", "1");
  // ties go to the smallest member in canonical order
  EXPECT_EVAL("mostcommon((3, 1, 3, 1, 2))", "1");
  EXPECT_EVAL("mostcommon((3, 3, 1, 1))", "1");
  EXPECT_EVAL("leastcommon((3, 3, 1, 1, 2, 5))", "2");
  EXPECT_EVAL("mostcommon((1, 2))", "1");
  EXPECT_EVAL("mostcommon((1, (2, 3)))", "1");  // ints before tuples
  EXPECT_EVAL("leastcommon((1, (2, 3)))", "1");
  EXPECT_EVAL("mostcommon(((2,), 1, (2,), frozenset(), frozenset()))", "(2,)");
  EXPECT_EVAL("mostcommon((True, 1, 2, 2))", "True");  // True and 1 count together
  // a grid's members are its rows
  EXPECT_EVAL("mostcommon(((1, 2), (3, 4), (1, 2)))", "(1, 2)");
  EXPECT_EVAL("mostcommon(((3, 4), (1, 2)))", "(1, 2)");
  EXPECT_EVAL("leastcommon(((1, 2), (3, 4), (1, 2)))", "(3, 4)");
  EXPECT_EVAL_ERROR("mostcommon(())");
  EXPECT_EVAL_ERROR("mostcommon(frozenset({1, 2}))");  // frozensets have no .count
  EXPECT_EVAL_ERROR("mostcommon(frozenset())");
  EXPECT_EVAL_ERROR("leastcommon(5)");
}

TEST(DslValues, Initset) {
  EXPECT_EVAL("initset(2)", "frozenset({2})");
  EXPECT_EVAL("initset((1, 2))", "frozenset({(1, 2)})");
  EXPECT_EQ(val("initset((1, 2))").kind(), Kind::Indices);
  EXPECT_EQ(val("initset((1, (2, 3)))").kind(), Kind::Object);
  EXPECT_EVAL("initset(frozenset())", "frozenset({frozenset()})");
  EXPECT_EVAL("initset(())", "frozenset({()})");
  EXPECT_EVAL("initset(identity)", "frozenset({<function identity>})");
}

TEST(DslValues, BothAndEitherReturnTheDecidingOperand) {
  EXPECT_EVAL("both(True, False)", "False");
  EXPECT_EVAL("both(True, True)", "True");
  EXPECT_EVAL("both(False, False)", "False");
  EXPECT_EVAL("either(True, False)", "True");
  EXPECT_EVAL("either(True, True)", "True");
  EXPECT_EVAL("either(False, False)", "False");
  EXPECT_EVAL("both(0, 5)", "0");
  EXPECT_EVAL("both(5, 0)", "0");
  EXPECT_EVAL("both(3, 5)", "5");
  EXPECT_EVAL("both((), 5)", "()");
  EXPECT_EVAL("both((1,), frozenset())", "frozenset()");
  EXPECT_EVAL("both(identity, 2)", "2");
  EXPECT_EVAL("either(0, 5)", "5");
  EXPECT_EVAL("either(3, 5)", "3");
  EXPECT_EVAL("either(0, ())", "()");
  EXPECT_EVAL("either(frozenset(), 0)", "0");
}

TEST(DslValues, IncrementAndDecrement) {
  EXPECT_EVAL("increment(1)", "2");
  EXPECT_EVAL("increment((1, 2))", "(2, 3)");
  EXPECT_EVAL("increment(True)", "2");
  EXPECT_EVAL("decrement(1)", "0");
  EXPECT_EVAL("decrement((0, 0))", "(-1, -1)");
  EXPECT_EVAL("decrement(-9223372036854775807)", "-9223372036854775808");
  EXPECT_EVAL_ERROR("increment(((1, 2), 3))");
  EXPECT_EVAL_ERROR("increment((1,))");
  EXPECT_EVAL_ERROR("increment(frozenset())");
  EXPECT_EVAL_ERROR("decrement(-9223372036854775808)");  // 64-bit overflow
}

TEST(DslValues, CrementMovesAwayFromZero) {
  EXPECT_EVAL("crement(1)", "2");
  EXPECT_EVAL("crement(-2)", "-3");
  EXPECT_EVAL("crement(0)", "0");
  EXPECT_EVAL("crement(False)", "0");
  EXPECT_EVAL("crement(True)", "2");
  EXPECT_EVAL("crement((0, -3))", "(0, -4)");
  EXPECT_EVAL("crement((5, 0))", "(6, 0)");
  EXPECT_EVAL_ERROR("crement(((1, 2), 0))");
  EXPECT_EVAL_ERROR("crement((0, (1, 2)))");
}

TEST(DslValues, Sign) {
  EXPECT_EVAL("sign(2)", "1");
  EXPECT_EVAL("sign(0)", "0");
  EXPECT_EVAL("sign(-1)", "-1");
  EXPECT_EVAL("sign(False)", "0");
  EXPECT_EVAL("sign((-4, 7))", "(-1, 1)");
  EXPECT_EVAL("sign((0, 0))", "(0, 0)");
  EXPECT_EVAL_ERROR("sign(((1,), 0))");
}

TEST(DslValues, Positive) {
  EXPECT_EVAL("positive(1)", "True");
  EXPECT_EVAL("positive(-2)", "False");
  EXPECT_EVAL("positive(0)", "False");
  EXPECT_EVAL("positive(True)", "True");
  EXPECT_EVAL_ERROR("positive((1, 2))");
  EXPECT_EVAL_ERROR("positive(frozenset())");
}

TEST(DslValues, ToivecAndTojvec) {
  EXPECT_EVAL("toivec(2)", "(2, 0)");
  EXPECT_EVAL("tojvec(3)", "(0, 3)");
  EXPECT_EVAL("toivec(-1)", "(-1, 0)");
  EXPECT_EVAL("tojvec(-1)", "(0, -1)");
  // any value is accepted; (0, (1, 2)) is a cell
  EXPECT_EVAL("toivec((1, 2))", "((1, 2), 0)");
  EXPECT_EVAL("tojvec((1, 2))", "(0, (1, 2))");
  EXPECT_EQ(val("tojvec((1, 2))").kind(), Kind::Cell);
  EXPECT_EVAL("toivec(frozenset())", "(frozenset(), 0)");
}

TEST(DslValues, RegisteredInDslOrderWithArities) {
  const char* names[] = {"identity", "add", "subtract", "multiply", "divide", "invert", "even", "double",
                         "halve", "flip", "equality", "contained", "combine", "intersection", "difference",
                         "dedupe", "order", "repeat", "greater", "size", "merge", "maximum", "minimum",
                         "valmax", "valmin", "argmax", "argmin", "mostcommon", "leastcommon", "initset",
                         "both", "either", "increment", "decrement", "crement", "sign", "positive", "toivec",
                         "tojvec"};
  const int arities[] = {1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1,
                         1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1};
  const auto& prims = cpu::primitives();
  ASSERT_GE(prims.size(), 39u);
  for (int k = 0; k < 39; ++k) {
    EXPECT_EQ(prims[k].name, names[k]);
    EXPECT_EQ(prims[k].arity, arities[k]) << names[k];
    EXPECT_EQ(prims[k].family, "basics");
    EXPECT_FALSE(prims[k].description.empty());
  }
}

}  // namespace
}  // namespace megabatch
