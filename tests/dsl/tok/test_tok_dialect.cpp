// tokpidjin's dialect as a whole: its vocabulary (every public name of its dsl.py and constants.py),
// safe_dsl's rule (a failing call returns the default of its return annotation, and a budget stop
// is still a budget stop), its type hints, and the builtins both dialects share.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cpu/dsl/evaluate.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {
namespace {

std::string tok(const std::string& text) { return repr(evaluate(parse_expression(text), Dialect::Tokpidjin)); }

std::set<std::string> own_names(Dialect d) {
  std::set<std::string> out;
  for (int id : dialect_primitives(d))
    if (!primitives()[id].builtin) out.insert(primitives()[id].name);
  return out;
}

TEST(TokpidjinDialect, HasEveryPublicNameOfItsDslAndItsAliases) {
  const auto names = own_names(Dialect::Tokpidjin);
  EXPECT_EQ(names.size(), 292u);  // 289 functions (a name defined twice counts once) and 3 aliases
  for (const char* n : {"o_g", "o_g_t", "o_g_tuple", "objects_g", "difference_t", "f_ofcolor", "get_nth_f",
                        "mir_rot_t", "get_arg_rank_f", "c_iz_n", "a_mr", "is_no_grid", "celltuple"})
    EXPECT_TRUE(names.count(n)) << n;
  // arc-dsl's names that tokpidjin split into typed variants are not its own.
  for (const char* n : {"mostcolor", "height", "ofcolor", "recolor", "hmirror", "upscale", "palette"})
    EXPECT_FALSE(names.count(n)) << n;
  const auto shared = own_names(Dialect::ArcDsl);
  std::size_t both = 0;
  for (const auto& n : names) both += shared.count(n);
  EXPECT_EQ(both, 141u);
}

TEST(TokpidjinDialect, ConstantsAreArcDslsAndItsSixtyFourOwn) {
  EXPECT_EQ(constants(Dialect::Tokpidjin).size(), constants(Dialect::ArcDsl).size() + 64);
  EXPECT_EQ(*find_constant("F0", Dialect::Tokpidjin), Value::integer(0));
  EXPECT_EQ(*find_constant("L10", Dialect::Tokpidjin), Value::integer(-10));
  EXPECT_EQ(*find_constant("R9", Dialect::Tokpidjin), Value::integer(9));
  EXPECT_EQ(*find_constant("CYAN", Dialect::Tokpidjin), Value::integer(8));
  EXPECT_EQ(*find_constant("SD3", Dialect::Tokpidjin), Value::integer(-3));
  EXPECT_EQ(*find_constant("THOUSAND", Dialect::Tokpidjin), Value::integer(1000));
  EXPECT_FALSE(find_constant("F0", Dialect::ArcDsl).has_value());
}

TEST(TokpidjinDialect, AFailingCallReturnsTheDefaultOfItsReturnAnnotation) {
  // Called with no arguments, every primitive fails inside its wrapper: what comes back is its default.
  EXPECT_EQ(tok("mfilter()"), "frozenset()");          // FrozenSet
  EXPECT_EQ(tok("color()"), "0");                      // Integer
  EXPECT_EQ(tok("even()"), "False");                   // Boolean
  EXPECT_EQ(tok("add()"), "()");                       // Numerical, a Union with a Tuple: () first
  EXPECT_EQ(tok("identity()"), "()");                  // Any
  EXPECT_EQ(tok("is_no_grid()"), "()");                // no annotation
  EXPECT_EQ(tok("o_g()"), "()");                       // 'R8' is not in arc_types: no hints, ()
  EXPECT_EQ(tok("mir_rot_t()"), "()");                 // 'A8' likewise
  EXPECT_EQ(tok("rbind()"), "<function _get_safe_default.<locals>.safe_callable>");
  // The callable default takes any arguments and returns ().
  EXPECT_EQ(tok("rbind()(1, 2, 3)"), "()");
  // A failure deep inside returns that primitive's default to its caller, which goes on with it.
  EXPECT_EQ(tok("size(o_g(5, 1))"), "0");
  EXPECT_EQ(tok("mapply(rot90, (5, 6))"), "()");  // rot90(5) -> (), merge of ((), ()) -> ()
}

TEST(TokpidjinDialect, TheRuleFollowsTheAnnotations) {
  const auto d = [](std::vector<Param> params, const std::string& ret) { return safe_default_for(params, ret); };
  EXPECT_EQ(d({{"g", "Grid", ""}}, "Objects"), SafeDefault::EmptyFrozenset);
  EXPECT_EQ(d({{"g", "Grid", ""}, {"t", "R8", ""}}, "Objects"), SafeDefault::EmptyTuple);
  EXPECT_EQ(d({{"x", "", ""}}, ""), SafeDefault::EmptyTuple);
  EXPECT_EQ(d({{"n", "Integer", ""}}, "C_"), SafeDefault::Zero);
  EXPECT_EQ(d({{"b", "Boolean", ""}}, "Boolean"), SafeDefault::False);
  EXPECT_EQ(d({{"f", "F_", ""}}, "F_"), SafeDefault::SafeCallable);  // arc_types rebinds F_ to Callable
  EXPECT_EQ(d({{"p", "Patch", ""}}, "IJ"), SafeDefault::EmptyTuple);
}

TEST(TokpidjinDialect, ABudgetStopIsNotSwallowed) {
  Budget b;
  b.max_cells = 1000;
  BudgetScope scope(&b);
  EXPECT_THROW(evaluate(parse_expression("canvas(1, (100, 100))"), Dialect::Tokpidjin), BudgetExceeded);
}

// dsl.py's upscale_f and backdrop build every cell before the frozenset that holds them (and is
// charged for them): a result too big for the cell budget stops before its cells exist. Found by a
// mutant, upscale_f(x, THOUSAND), that took 13 GB over 400 tasks.
TEST(TokpidjinDialect, AResultTooBigForTheBudgetStopsBeforeItIsBuilt) {
  const auto stops_early = [](const char* expression) {
    Budget b;  // 4M cells
    BudgetScope scope(&b);
    EXPECT_THROW(evaluate(parse_expression(expression), Dialect::Tokpidjin), BudgetExceeded) << expression;
    EXPECT_LT(b.cells_used, 1'100'000) << expression << ": built before it stopped";
  };
  stops_early("upscale_f(frozenset({(0, 0, 1), (0, 1, 2), (1, 0, 3), (5, 5, 4), (2, 2, 5)}), THOUSAND)");
  {  // members that are not cells of ints are counted a row at a time (these tuples charge as made)
    Budget b;
    BudgetScope scope(&b);
    EXPECT_THROW(evaluate(parse_expression("upscale_f(frozenset({(0, 0, (1, 2)), (0, 1, 2), (1, 0, 3), (5, 5, 4), "
                                           "(2, 2, 5)}), THOUSAND)"),
                          Dialect::Tokpidjin),
                 BudgetExceeded);
  }
  stops_early("backdrop(frozenset({(0, 0), (100000, 100000)}))");
  // within the budget both are built as before
  EXPECT_EQ(tok("size_f(upscale_f(frozenset({(0, 0, 1), (0, 1, 2)}), HUNDRED))"), "20000");
  EXPECT_EQ(tok("size_f(backdrop(frozenset({(0, 0), (999, 999)})))"), "1000000");
}

TEST(TokpidjinDialect, AWrongArgumentCountReturnsTheDefaultAndDefaultsFillIn) {
  EXPECT_EQ(tok("size((1, 2), 3)"), "0");
  EXPECT_EQ(tok("get_nth_by_key_t((3, 1, 2), 0)"), "1");           // key defaults to identity
  EXPECT_EQ(tok("get_nth_by_key_t((3, 1, 2), 0, invert)"), "3");
  const PrimitiveInfo* p = find_primitive("get_nth_by_key_t", Dialect::Tokpidjin);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->min_arity, 2);
  EXPECT_EQ(p->arity, 3);  // rbind reads co_argcount, which counts the defaulted parameter
}

TEST(TokpidjinDialect, TypeHintsAreKeptPerPrimitive) {
  const PrimitiveInfo* o_g = find_primitive("o_g", Dialect::Tokpidjin);
  ASSERT_NE(o_g, nullptr);
  EXPECT_EQ(o_g->signature(), "o_g(grid: Grid, type: R8) -> Objects");
  const PrimitiveInfo* rank = find_primitive("get_nth_f", Dialect::Tokpidjin);
  EXPECT_EQ(rank->params[1].hint, "FL");
  EXPECT_EQ(find_primitive("prapply", Dialect::Tokpidjin)->params[0].hint, "");  // tokpidjin left it bare
}

TEST(TokpidjinDialect, BuiltinsRaiseEvenHere) {
  EXPECT_THROW(tok("len(5)"), EvalError);                    // not wrapped by safe_dsl
  EXPECT_EQ(tok("apply(len, ((1, 2), (3,)))"), "(2, 1)");
  EXPECT_EQ(tok("apply(len, (5,))"), "()");                  // apply's wrapper catches it
  EXPECT_EQ(tok("order((1, 4, -3), abs)"), "(1, -3, 4)");
  EXPECT_EQ(tok("valmax(((1,), (1, 2)), len)"), "2");
}

TEST(TokpidjinDialect, NoneAndFloatsAreValues) {
  EXPECT_EQ(tok("first(())"), "None");
  EXPECT_EQ(tok("get_nth_t((), 0)"), "nan");
  EXPECT_EQ(tok("manhattan(frozenset(), frozenset())"), "inf");
  EXPECT_EQ(tok("index(((1,),), (5, 5))"), "-inf");
  EXPECT_EQ(tok("equality(first(()), None)"), "True");
  EXPECT_EQ(tok("greater(get_nth_t((), 0), 0)"), "False");  // nan compares false
  EXPECT_EQ(tok("maximum((1, manhattan(frozenset(), frozenset())))"), "inf");
  EXPECT_EQ(tok("divide(5, manhattan(frozenset(), frozenset()))"), "()");  // not an int: the pair branch fails
  EXPECT_EQ(tok("astuple(get_nth_t((), 0), None)"), "(nan, None)");
}

}  // namespace
}  // namespace megabatch::cpu
