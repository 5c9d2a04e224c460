// tokpidjin's primitives against CPython tokpidjin: each expression's value as CPython prints it
// with every set in canonical order (bench/tokpidjin_reference.py's crepr; megabatch prints a bare
// bool as True/False), or an error where CPython raises (a closure calling something that is not
// callable: no safe_dsl wrapper is in between). The cases are the kinds of argument
// bench/fuzz_tokpidjin.py draws, and the ones it found differing while the dialect was written.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "cpu/dsl/evaluate.hpp"
#include "engine/expression.hpp"
#include "engine/value.hpp"

namespace megabatch {
namespace {

std::string tok(const std::string& text) { return repr(cpu::evaluate(parse_expression(text), Dialect::Tokpidjin)); }

struct Case {
  const char* expression;
  const char* cpython;  // null: CPython raises
};

void expect_all(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    if (c.cpython) EXPECT_EQ(tok(c.expression), c.cpython) << "for " << c.expression;
    else EXPECT_THROW(tok(c.expression), EvalError) << "for " << c.expression;
  }
}

// numbers, pairs, containers and the functions of S: () counts as 0 (1 for products), a failure returns the default
TEST(TokpidjinPrimitives, Basics) {
  expect_all({
      {"first((3, 1))", "3"},
      {"first(frozenset())", "None"},
      {"first(5)", "()"},
      {"second((1,))", "None"},
      {"second(())", "()"},
      {"difference_tuple((1, 2, 3), (2,))", "(1, 3)"},
      {"difference_tuple(frozenset({1, 2}), (1,))", "frozenset({2})"},
      {"difference_tuple((), 5)", "()"},
      {"p_g(((1, 0), (0, 2)))", "(0, 1, 2)"},
      {"p_o(frozenset({(0, 0, 3), (1, 1, 3)}))", "(3,)"},
      {"p_f(frozenset({(0, 0)}))", "frozenset()"},
      {"dedupe_pair_tuple((((1,), (1,)), ((1,), (2,))))", "(((1,), (2,)),)"},
      {"add((), 2)", "2"},
      {"add((1, 2), (3, 4, 5))", "(4, 6)"},
      {"add(1, (2, 3))", "(3, 4)"},
      {"multiply((), ())", "1"},
      {"divide(7, ())", "7"},
      {"divide(1, 0)", "()"},
      {"divide((0, 5), index(((0,),), ()))", "(-0.0, -1.0)"},  // 0 // -inf keeps the sign of zero
      {"even(())", "False"},
      {"crement((2, -3))", "(3, -4)"},
      {"sign((0, -5))", "(0, -1)"},
      {"intersection(6, 3)", "2"},
      {"combine_f(frozenset({1}), frozenset({2}))", "frozenset({1, 2})"},
      {"combine_t((1,), (2,))", "(1, 2)"},
      {"combine(frozenset({1}), (2, 3))", "frozenset({1, 2, 3})"},
      {"mostcommon_f(frozenset({3, 1}))", "1"},
      {"mostcommon(frozenset({3, 1}))", "()"},
      {"leastcommon((1, 1, 2))", "2"},
      {"repeat(7, -1)", "()"},
      {"order(frozenset({3, 1, 2}), None)", "(1, 2, 3)"},
      {"valmax((), size)", "0"},
      {"argmax((), size)", "()"},
      {"maximum(())", "0"},
      {"minimum(frozenset({-1, 4}))", "-1"},
      {"dedupe(frozenset())", "()"},
      {"dedupe(frozenset({1}))", "()"},
      {"c_branch(False, 1, 2)", "2"},
      {"a_mr(((((1, 2),), ((2, 1),)),))", "2"},
      {"a_mr(((((1, 2),), ((3, 4),)),))", "None"},
      {"a_mr(())", "0"},
      {"c_iz(((((1, 2),), ((1, 1),)),), palette_t)", "(2,)"},
      {"c_zo_n(((((1, 2),), ((1, 3),)),), palette_t, first)", "3"},
      {"c_iz_n(5, palette_t, first)", "None"},
      {"size(5)", "0"},
      {"size_f(frozenset({1, 2}))", "2"},
      {"initset(())", "frozenset({()})"},
  });
}

// members, colours and keys by rank: nan, (), frozenset(), 0 or None past the ends
TEST(TokpidjinPrimitives, Ranks) {
  expect_all({
      {"get_nth_t((5, 6, 7), -1)", "7"},
      {"get_nth_t((5, 6), 2)", "nan"},
      {"get_nth_t(frozenset({1}), 0)", "nan"},
      {"get_nth_f(frozenset({(0, 1), (0, 0)}), 1)", "(0, 1)"},
      {"get_nth_f((1, 2, 3), -4)", "frozenset()"},
      {"get_nth_f((1, 2, 3), -1)", "3"},
      {"get_nth_f(5, 0)", "()"},
      {"get_nth_by_key_t((3, 1, 2), 0)", "1"},
      {"get_nth_by_key_t((3, 1, 2), 5)", "()"},
      {"get_nth_by_key_t((), 0)", "None"},
      {"get_nth_by_key_f((3, 1, 2), 1, invert)", "2"},
      {"get_nth_by_key_f((3, 1, 2), -3)", "1"},
      {"get_color_rank_t(((1, 1), (2, 3)), 0)", "1"},
      {"get_color_rank_t(((1, 1), (2, 3)), -1)", "3"},
      {"get_color_rank_t(((3, 2), (2, 3)), 0)", "3"},
      {"get_color_rank_t(((1,),), 3)", "()"},
      {"get_color_rank_f(frozenset({(0, 0, 5)}), 1)", "frozenset()"},
      {"get_rank(frozenset({1, 5, 3}), 0)", "5"},
      {"get_rank((), 0)", "0"},
      {"get_arg_rank_f(frozenset({frozenset({(0, 0, 1)}), frozenset({(1, 1, 2), (1, 2, 2)})}), size, 0)",
       "frozenset({(1, 1, 2), (1, 2, 2)})"},
      {"get_arg_rank_f(frozenset({frozenset({(0, 0, 1)}), frozenset({(1, 1, 2)})}), size, 0)",
       "frozenset({(0, 0, 1)})"},
      {"get_arg_rank_t((), size, 0)", "()"},
      {"get_arg_rank((1, 2), identity, 5)", "()"},
      {"get_arg_rank(frozenset({1, 2}), identity, 5)", "frozenset()"},
      {"get_val_rank((3, 1), identity, 0)", "1"},
      {"get_val_rank((), identity, 0)", "0"},
      {"get_common_rank((1, 1, 2), 0)", "2"},
      {"get_common_rank(frozenset({1}), 0)", "()"},
      {"get_common_rank(frozenset(), 0)", "()"},
      {"get_common_rank_f(frozenset({1, 2}), 1)", "2"},
      {"get_nth_f(o_g(((1, 0), (0, 2)), 7), 0)", "frozenset({(0, 0, 1)})"},
      {"get_arg_rank_f(o_g(((1, 0, 3), (0, 2, 3)), 5), size, -1)", "frozenset({(1, 1, 2)})"},
  });
}

// objects as (i, j, c) frozensets; o_g's type picks the flags, objects_t keeps discovery order
TEST(TokpidjinPrimitives, Objects) {
  expect_all({
      {"o_g(((1, 1, 0), (0, 1, 2)), 5)",
       "frozenset({frozenset({(0, 2, 0)}), frozenset({(1, 0, 0)}), frozenset({(1, 2, 2)})})"},
      {"o_g(((1, 0), (0, 1)), 7)", "frozenset({frozenset({(0, 0, 1), (1, 1, 1)})})"},
      {"o_g(((1,),), 9)", "None"},
      {"o_g((), 1)", "frozenset()"},
      {"o_g_t(((1, 1, 0), (0, 1, 1)), 4)",
       "(((0, 0, 1), (0, 1, 1), (1, 1, 1), (1, 2, 1)), ((0, 2, 0),), ((1, 0, 0),))"},
      {"objects_t(((1, 0, 1), (1, 1, 1)), True, False, False)",
       "(((0, 0, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1), (0, 2, 1)), ((0, 1, 0),))"},
      {"objects_t(((2, 2), (2, 1)), False, True, True)", "(((1, 1, 1),),)"},
      {"color(frozenset())", "-inf"},
      {"color(frozenset({(0, 0, 7)}))", "7"},
      {"color(frozenset({(1, 2)}))", "0"},
      {"color(frozenset({5}))", "-inf"},
      {"colorfilter(frozenset({frozenset({(0, 0, 1)}), frozenset({(1, 1, 2)})}), 2)",
       "frozenset({frozenset({(1, 1, 2)})})"},
      {"colorfilter_t(((((0, 0, 1),)), (((1, 1, 2),))), 2)", "(((1, 1, 2),),)"},
      {"toindices(((1, 2, 3),))", "frozenset({(1, 2)})"},
      {"toindices(frozenset({1}))", "frozenset()"},
      {"toindices(((1, 2),))", "((1, 2),)"},
      {"toobject(frozenset({(0, 0), (5, 5)}), ((7,),))", "frozenset({(0, 0, 7)})"},
      {"asobject(((1, 2),))", "frozenset({(0, 0, 1), (0, 1, 2)})"},
      {"asobject((1, 2))", "frozenset()"},
      {"is_no_grid(((1,), (2,)))", "False"},
      {"is_no_grid(((1,), 2))", "True"},
      {"partition(((1, 2),))", "frozenset({frozenset({(0, 0, 1)}), frozenset({(0, 1, 2)})})"},
      {"fgpartition(((1, 1, 2),))", "frozenset({frozenset({(0, 2, 2)})})"},
      {"o_g(((0, 0), (0, 1)), 1)", "frozenset({frozenset({(1, 1, 1)})})"},
  });
}

// corners, extents, lines, painting, cutting and scaling, on good and bad arguments
TEST(TokpidjinPrimitives, Geometry) {
  expect_all({
      {"mir_rot_t(((1, 2), (3, 4)), 4)", "((3, 1), (4, 2))"},
      {"mir_rot_t(((1, 2),), 9)", "((1, 2),)"},
      {"mir_rot_f(frozenset({(0, 0), (1, 2)}), 1)", "frozenset({(0, 0), (2, 1)})"},
      {"mir_rot_f(frozenset({(0, 0, 5), (1, 2, 6)}), 3)", "frozenset({(0, 0, 6), (2, 1, 5)})"},
      {"hmirror_f(frozenset())", "frozenset()"},
      {"vmirror_f(frozenset())", "frozenset()"},
      {"cmirror_i(frozenset({(0, 1), (2, 2)}))", "frozenset({(0, 1), (1, 3)})"},
      {"hmirror_t(frozenset({1}))", "()"},
      {"dmirror_t(((1, 2, 3), (4, 5, 6)))", "((1, 4), (2, 5), (3, 6))"},
      {"mostcolor_t(())", "nan"},
      {"mostcolor_f(frozenset())", "nan"},
      {"leastcolor_t(((1, 2), (2, 1)))", "1"},
      {"f_ofcolor(((1, 0), (0, 1)), 1)", "frozenset({(0, 0), (1, 1)})"},
      {"palette_t(((1, 2), (2, 3)))", "frozenset({1, 2, 3})"},
      {"numcolors_f(frozenset({(0, 0, 1), (0, 1, 2)}))", "2"},
      {"colorcount_t(((1, 2), (2, 2)), 2)", "3"},
      {"colorcount_f(frozenset({(0, 0, 1), (0, 1, 2)}), 2)", "1"},
      {"lowermost(frozenset())", "nan"},
      {"rightmost_i(frozenset())", "0"},
      {"rightmost(frozenset())", "nan"},
      {"height_f(frozenset({(0, 0), (3, 1)}))", "4"},
      {"width_t(())", "0"},
      {"shape_f(frozenset({(0, 0, 1), (2, 3, 1)}))", "(3, 4)"},
      {"shape_t(((1, 2, 3),))", "(1, 3)"},
      {"col_row(frozenset({(1, 2)}), 5)", "None"},
      {"corner(frozenset({(1, 1), (2, 3)}), 2)", "(2, 1)"},
      {"corner(frozenset({(1, 1)}), 7)", "(1, 1)"},
      {"urcorner(frozenset({(1, 2, 3)}))", "(1, 2)"},
      {"ulcorner(frozenset())", "()"},
      {"llcorner(frozenset({(1, 2, 3, 4)}))", "()"},
      {"center(frozenset())", "()"},
      {"center(frozenset({(1, 1), (3, 5)}))", "(2, 3)"},
      {"position(frozenset({(0, 0)}), frozenset({(0, 3)}))", "(0, 1)"},
      {"position(frozenset(), frozenset({(0, 3)}))", "()"},
      {"index(((1, 2),), (0, 5))", "-inf"},
      {"index(((1, 2),), ())", "-inf"},
      {"index(5, (0, 0))", "0"},
      {"manhattan(frozenset(), frozenset({(1, 1)}))", "inf"},
      {"manhattan(frozenset({(0, 0)}), frozenset({(2, 3)}))", "5"},
      {"manhattan(5, frozenset({(2, 3)}))", "inf"},
      {"adjacent(frozenset({(0, 0)}), frozenset({(0, 1)}))", "True"},
      {"bordering(frozenset({(1, 1)}), ((0, 0), (0, 0)))", "True"},
      {"connect((0, 0), (2, 2))", "frozenset({(0, 0), (1, 1), (2, 2)})"},
      {"connect((0, 0), (1, 3))", "frozenset()"},
      {"connect((2, 0), (0, 2))", "frozenset({(0, 2), (1, 1), (2, 0)})"},
      {"connect((), (1, 1))", "frozenset()"},
      {"shoot((0, 0), ())", "frozenset()"},
      {"shoot((0, 0), (1, 0))",
       "frozenset({(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), "
       "(11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 0), (20, 0), (21, 0), ("
       "22, 0), (23, 0), (24, 0), (25, 0), (26, 0), (27, 0), (28, 0), (29, 0), (30, 0), (31, 0), (32, 0), (3"
       "3, 0), (34, 0), (35, 0), (36, 0), (37, 0), (38, 0), (39, 0), (40, 0), (41, 0), (42, 0)})"},
      {"box(frozenset({(1, 1), (3, 4)}))",
       "frozenset({(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 4), (3, 1), (3, 2), (3, 3), (3, 4)})"},
      {"inbox(())", "frozenset()"},
      {"outbox(frozenset({(1, 1)}))", "frozenset({(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)})"},
      {"backdrop(5)", "frozenset()"},
      {"delta(frozenset({(0, 0), (2, 2)}))", "frozenset({(0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)})"},
      {"gravitate(frozenset({(0, 0)}), frozenset({(0, 5)}))", "(0, 4)"},
      {"gravitate(frozenset({(0, 0)}), frozenset())", "frozenset({(0, 0)})"},
      {"crop(((1, 2, 3), (4, 5, 6)), (0, 1), (2, 2))", "((2, 3), (5, 6))"},
      {"crop(((1, 2),), (0, 0), (2, 1))", "()"},
      {"crop(((1, 2),), (0, 1), (1, -1))", "((),)"},
      {"subgrid(frozenset({(0, 1, 5)}), ((1, 2), (3, 4)))", "((2,),)"},
      {"subgrid((), ((1, 2), (3, 4)))", "()"},
      {"fill(((0, 0), (0, 0)), 5, frozenset({(0, 1), (9, 9)}))", "((0, 5), (0, 0))"},
      {"fill(((0, 0),), 3, 7)", "((0, 0),)"},
      {"fill(((0, 0),), (1, 2), frozenset({(0, 0)}))", "(((1, 2), 0),)"},
      {"paint(((0, 0),), frozenset({(0, 1, 4)}))", "((0, 4),)"},
      {"paint(((0, 0),), frozenset({(0, 1)}))", "()"},
      {"underfill(((1, 1, 0),), 7, frozenset({(0, 0), (0, 2)}))", "((7, 1, 0),)"},
      {"underpaint(((1, 1, 0),), frozenset({(0, 0, 4), (0, 2, 4)}))", "((4, 1, 0),)"},
      {"cellwise(((1, 2), (3, 4)), ((1, 0),), 9)", "((1, 9), (9, 9))"},
      {"cellwise(((1, 2),), 5, 0)", "((0, 0),)"},
      {"switch(((1, 2, 3),), 1, 1)", "((1, 2, 3),)"},
      {"switch(((1, 2, 3),), 1, 2)", "((2, 1, 3),)"},
      {"replace(((1, 2),), 1, 9)", "((9, 2),)"},
      {"canvas(3, (2, 0))", "((), ())"},
      {"canvas(3, (0, ()))", "()"},
      {"canvas(3, (1, ()))", "()"},
      {"upscale_t(((1, 2),), 2)", "((1, 1, 2, 2), (1, 1, 2, 2))"},
      {"upscale_t(((1, 2),), 0)", "()"},
      {"upscale_f(frozenset({(0, 0, 1), (0, 1, 2)}), 2)",
       "frozenset({(0, 0, 1), (0, 1, 1), (0, 2, 2), (0, 3, 2), (1, 0, 1), (1, 1, 1), (1, 2, 2), (1, 3, 2)})"},
      {"downscale(((1, 2, 3), (4, 5, 6)), 2)", "((1, 3),)"},
      {"downscale(((1, 2, 3), (4, 5, 6)), -2)", "((1, 3),)"},
      {"downscale(((1, 2),), 0)", "()"},
      {"hsplit(((1, 2, 3, 4, 5),), 2)", "(((1, 2),), ((4, 5),))"},
      {"vsplit(((1,), (2,), (3,)), 2)", "(((1,),), ((3,),))"},
      {"frontiers(((1, 1), (1, 2)))",
       "frozenset({frozenset({(0, 0, 1), (0, 1, 1)}), frozenset({(0, 0, 1), (1, 0, 1)})})"},
      {"compress(((0, 0, 0), (0, 1, 0)))", "((1,),)"},
      {"hperiod(frozenset({(0, 0, 1), (0, 2, 1)}))", "2"},
      {"vperiod(frozenset())", "0"},
      {"occurrences(((1, 0, 1),), frozenset({(0, 0, 1)}))", "frozenset({(0, 0), (0, 2)})"},
      {"occurrences(((1,),), frozenset())", "frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})"},
      {"neighbors((0, 0))", "frozenset({(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)})"},
      {"dneighbors(())", "frozenset()"},
      {"dneighbors(5)", "frozenset()"},
      {"ineighbors((1, 2, 3))", "frozenset({(0, 1), (0, 3), (2, 1), (2, 3)})"},
      {"hfrontier(())", "frozenset()"},
      {"lefthalf(((1, 2, 3, 4),))", "((1, 2),)"},
      {"bottomhalf(((1,), (2,), (3,)))", "((3,),)"},
      {"mostcolor_t(((1, 2), (2, 1)))", "1"},
  });
}

// element access, filters, maps and combinators (power, rbind of a builtin, closures of non-callables)
TEST(TokpidjinPrimitives, Functional) {
  expect_all({
      {"extract((1, 2), flip)", "frozenset()"},
      {"extract((0, 2), flip)", "0"},
      {"first_t(frozenset({1}))", "()"},
      {"first_f(5)", "()"},
      {"first_f(frozenset())", "frozenset()"},
      {"last(())", "()"},
      {"last_f(frozenset({1, 2}))", "2"},
      {"last_t((1, 2))", "2"},
      {"other_f(frozenset({1, 2}), 1)", "2"},
      {"other_t((1, 1), 1)", "()"},
      {"other((1,), 1)", "None"},
      {"remove_f(1, (1, 2))", "(2,)"},
      {"sfilter_f((1, 2, 3), even)", "frozenset({2})"},
      {"sfilter_t(frozenset({1, 2}), even)", "(2,)"},
      {"mfilter_t(((1,), (2,)), identity)", "frozenset({(1,), (2,)})"},
      {"mfilter_f(frozenset({frozenset({1}), frozenset({2, 3})}), identity)", "frozenset({1, 2, 3})"},
      {"apply_t(invert, frozenset({1}))", "(-1,)"},
      {"mapply_t(identity, ((1,), (2, 3)))", "(1, 2, 3)"},
      {"mapply(identity, frozenset({(1, 2)}))", "frozenset({1, 2})"},
      {"mpapply(astuple, (1, 2), (3, 4))", "(1, 3, 2, 4)"},
      {"prapply(add, (1, 2), (10,))", "frozenset({11, 12})"},
      {"power(increment, 3)(0)", "3"},
      {"power(increment, 0)(0)", nullptr},
      {"power(increment, ())(0)", "()"},
      {"power(5, 1)", "5"},
      {"rbind(add, 1)(2)", "3"},
      {"rbind(len, 1)(5)", "()"},
      {"lbind(5, 1)(2)", "()"},
      {"compose(size, 5)(1)", nullptr},
      {"ascell((1, 2), 3)", "(1, 2, 3)"},
      {"toij((4, 5, 6))", "(4, 5)"},
      {"astriple(1, 2, 3)", "(1, 2, 3)"},
      {"celltuple(((1, 2), (3, 4)), (5, 6))", "((1, 2, 5), (3, 4, 6))"},
  });
}

// nan, inf and -inf where tokpidjin returns them, and how they compare and propagate
TEST(TokpidjinPrimitives, Floats) {
  expect_all({
      {"add(get_nth_t((), 0), 1)", "()"},
      {"equality(get_nth_t((), 0), get_nth_t((), 0))", "False"},
      {"greater(manhattan(frozenset(), frozenset()), 5)", "True"},
      {"invert(index(((1,),), ()))", "()"},
      {"contained(get_nth_t((), 0), (get_nth_t((), 0),))", "True"},
      {"astuple(lowermost(frozenset()), 1)", "(nan, 1)"},
  });
}

}  // namespace
}  // namespace megabatch
