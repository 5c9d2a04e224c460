// The registry holds exactly arc-dsl's 160 primitives, with their arities, constants and descriptions.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cpu/dsl/evaluate.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"

namespace megabatch::cpu {
namespace {

// arc-dsl's dsl.py vocabulary: every function name with its number of parameters.
const std::vector<std::pair<std::string, int>> kArcDsl = {
    {"identity", 1}, {"add", 2}, {"subtract", 2}, {"multiply", 2}, {"divide", 2}, {"invert", 1},
    {"even", 1}, {"double", 1}, {"halve", 1}, {"flip", 1}, {"equality", 2}, {"contained", 2},
    {"combine", 2}, {"intersection", 2}, {"difference", 2}, {"dedupe", 1}, {"order", 2}, {"repeat", 2},
    {"greater", 2}, {"size", 1}, {"merge", 1}, {"maximum", 1}, {"minimum", 1}, {"valmax", 2},
    {"valmin", 2}, {"argmax", 2}, {"argmin", 2}, {"mostcommon", 1}, {"leastcommon", 1}, {"initset", 1},
    {"both", 2}, {"either", 2}, {"increment", 1}, {"decrement", 1}, {"crement", 1}, {"sign", 1},
    {"positive", 1}, {"toivec", 1}, {"tojvec", 1}, {"sfilter", 2}, {"mfilter", 2}, {"extract", 2},
    {"totuple", 1}, {"first", 1}, {"last", 1}, {"insert", 2}, {"remove", 2}, {"other", 2},
    {"interval", 3}, {"astuple", 2}, {"product", 2}, {"pair", 2}, {"branch", 3}, {"compose", 2},
    {"chain", 3}, {"matcher", 2}, {"rbind", 2}, {"lbind", 2}, {"power", 2}, {"fork", 3},
    {"apply", 2}, {"rapply", 2}, {"mapply", 2}, {"papply", 3}, {"mpapply", 3}, {"prapply", 3},
    {"mostcolor", 1}, {"leastcolor", 1}, {"height", 1}, {"width", 1}, {"shape", 1}, {"portrait", 1},
    {"colorcount", 2}, {"colorfilter", 2}, {"sizefilter", 2}, {"asindices", 1}, {"ofcolor", 2}, {"ulcorner", 1},
    {"urcorner", 1}, {"llcorner", 1}, {"lrcorner", 1}, {"crop", 3}, {"toindices", 1}, {"recolor", 2},
    {"shift", 2}, {"normalize", 1}, {"dneighbors", 1}, {"ineighbors", 1}, {"neighbors", 1}, {"objects", 4},
    {"partition", 1}, {"fgpartition", 1}, {"uppermost", 1}, {"lowermost", 1}, {"leftmost", 1}, {"rightmost", 1},
    {"square", 1}, {"vline", 1}, {"hline", 1}, {"hmatching", 2}, {"vmatching", 2}, {"manhattan", 2},
    {"adjacent", 2}, {"bordering", 2}, {"centerofmass", 1}, {"palette", 1}, {"numcolors", 1}, {"color", 1},
    {"toobject", 2}, {"asobject", 1}, {"rot90", 1}, {"rot180", 1}, {"rot270", 1}, {"hmirror", 1},
    {"vmirror", 1}, {"dmirror", 1}, {"cmirror", 1}, {"fill", 3}, {"paint", 2}, {"underfill", 3},
    {"underpaint", 2}, {"hupscale", 2}, {"vupscale", 2}, {"upscale", 2}, {"downscale", 2}, {"hconcat", 2},
    {"vconcat", 2}, {"subgrid", 2}, {"hsplit", 2}, {"vsplit", 2}, {"cellwise", 3}, {"replace", 3},
    {"switch", 3}, {"center", 1}, {"position", 2}, {"index", 2}, {"canvas", 2}, {"corners", 1},
    {"connect", 2}, {"cover", 2}, {"trim", 1}, {"move", 3}, {"tophalf", 1}, {"bottomhalf", 1},
    {"lefthalf", 1}, {"righthalf", 1}, {"vfrontier", 1}, {"hfrontier", 1}, {"backdrop", 1}, {"delta", 1},
    {"gravitate", 2}, {"inbox", 1}, {"outbox", 1}, {"box", 1}, {"shoot", 2}, {"occurrences", 2},
    {"frontiers", 1}, {"compress", 1}, {"hperiod", 1}, {"vperiod", 1},
};

TEST(Registry, HoldsAllOneHundredSixtyArcDslPrimitivesWithTheirArities) {
  ASSERT_EQ(kArcDsl.size(), 160u);
  std::vector<std::string> missing;
  for (const auto& [name, arity] : kArcDsl) {
    const PrimitiveInfo* p = find_primitive(name);
    if (!p) {
      missing.push_back(name);
      continue;
    }
    EXPECT_EQ(p->arity, arity) << name;
    EXPECT_FALSE(p->description.empty()) << name;
  }
  EXPECT_TRUE(missing.empty()) << "missing primitives: " << ::testing::PrintToString(missing);
  std::size_t own = 0;
  for (int id : dialect_primitives(Dialect::ArcDsl)) own += !primitives()[id].builtin;
  EXPECT_EQ(own, kArcDsl.size()) << "the registry holds names arc-dsl does not have";
}

TEST(Registry, NamesAreUniquePerDialectAndIdsAreTablePositions) {
  for (Dialect d : {Dialect::ArcDsl, Dialect::Tokpidjin}) {
    std::set<std::string> seen;
    for (int id : dialect_primitives(d)) {
      EXPECT_TRUE(seen.insert(primitives()[id].name).second) << primitives()[id].name;
      EXPECT_EQ(primitive_id(primitives()[id].name, d), id);
    }
    EXPECT_EQ(primitive_id("no_such_primitive", d), -1);
  }
}

TEST(Registry, BuiltinsAreNamesOfEveryDialectAndRaise) {
  for (const char* name : {"len", "abs", "max", "min", "sum"}) {
    const PrimitiveInfo* a = find_primitive(name, Dialect::ArcDsl);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_TRUE(a->builtin);
    EXPECT_EQ(a, find_primitive(name, Dialect::Tokpidjin));
    EXPECT_EQ(a->safe, SafeDefault::None) << name;
  }
  const Value len = Value::primitive(primitive_id("len"));
  EXPECT_EQ(repr(len), "<built-in function len>");
  EXPECT_THROW(call1(len, Value::integer(3)), EvalError);
  EXPECT_EQ(call1(len, make_tuple({Value::integer(1), Value::integer(2)})), Value::integer(2));
  // rbind(len, x) reads len.__code__, which a builtin lacks
  EXPECT_THROW(argcount(len), EvalError);
}

TEST(Registry, SignaturesGiveArityDefaultsAndHints) {
  const PrimitiveInfo* fill = find_primitive("fill");
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->signature(), "fill(grid: Grid, value: Integer, patch: Patch) -> Grid");
  EXPECT_EQ(fill->min_arity, 3);
  ASSERT_EQ(fill->params.size(), 3u);
  EXPECT_EQ(fill->params[2].hint, "Patch");
  EXPECT_EQ(fill->shape, ShapeRule::SameAsFirst);
  EXPECT_EQ(fill->colour, ColourOp::Fill);
}

TEST(Registry, ConstantsOfConstantsPyResolve) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"ZERO", "0"}, {"TEN", "10"}, {"T", "True"}, {"F", "False"}, {"NEG_ONE", "-1"}, {"NEG_TWO", "-2"},
      {"ORIGIN", "(0, 0)"}, {"UNITY", "(1, 1)"}, {"DOWN", "(1, 0)"}, {"RIGHT", "(0, 1)"}, {"UP", "(-1, 0)"},
      {"LEFT", "(0, -1)"}, {"NEG_UNITY", "(-1, -1)"}, {"UP_RIGHT", "(-1, 1)"}, {"DOWN_LEFT", "(1, -1)"},
      {"ZERO_BY_TWO", "(0, 2)"}, {"TWO_BY_ZERO", "(2, 0)"}, {"TWO_BY_TWO", "(2, 2)"}, {"THREE_BY_THREE", "(3, 3)"}};
  for (const auto& [name, text] : expected) {
    auto v = find_constant(name);
    ASSERT_TRUE(v.has_value()) << name;
    EXPECT_EQ(repr(*v), text) << name;
  }
  EXPECT_FALSE(find_constant("ELEVEN").has_value());
}

TEST(Registry, WrongArityIsAnEvalErrorNamingThePrimitive) {
  Value one = Value::integer(1);
  try {
    invoke(primitive_id("add"), std::span<const Value>(&one, 1));
    FAIL() << "expected an arity error";
  } catch (const EvalError& e) {
    EXPECT_NE(std::string(e.what()).find("add"), std::string::npos) << e.what();
  }
}

// The message an eval expression fails with, or "" when it succeeds.
std::string error_of(const std::string& text) {
  try {
    evaluate(parse_expression(text));
  } catch (const EvalError& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, ErrorsNameTheInnermostPrimitiveTheyLeft) {
  // Raised inside first, called by apply: first is named, with its argument's type.
  EXPECT_EQ(error_of("apply(first, ((1, 2), ()))"), "in first(tuple): StopIteration: the container is empty");
  // Raised by apply itself (calling add with one argument): apply is named.
  EXPECT_EQ(error_of("apply(add, (1, 2))"),
            "in apply(function, tuple): add() takes 2 positional arguments but 1 was given");
  // Three closures deep: still the innermost primitive.
  EXPECT_EQ(error_of("apply(fork(add, first, compose(rot90, last)), ((1, 2), (3, 4)))"),
            "in rot90(int): 'int' object is not subscriptable");
  // Outside any primitive there is nothing to name.
  EXPECT_EQ(error_of("1(2)"), "'int' object is not callable");
  // invoke() is an entry point too.
  Value one = Value::integer(1);
  try {
    invoke(primitive_id("rot90"), std::span<const Value>(&one, 1));
    ADD_FAILURE() << "expected an error";
  } catch (const EvalError& e) {
    EXPECT_EQ(std::string(e.what()), "in rot90(int): 'int' object is not subscriptable");
  }
}

TEST(Registry, WhenTwoOperandsCanFailTheOneCPythonEvaluatesFirstRaises) {
  // each message is what CPython arc-dsl raises for the same call
  EXPECT_EQ(error_of("shoot(1, 2)"), "in shoot(int, int): 'int' object is not subscriptable");
  EXPECT_EQ(error_of("shoot((1,), frozenset())"), "in shoot(tuple, frozenset): 'frozenset' object is not subscriptable");
  EXPECT_EQ(error_of("ineighbors(((1, 1, 9),))"),
            "in ineighbors(tuple): unsupported operand type(s) for -: 'tuple' and 'int'");
  EXPECT_EQ(error_of("dneighbors((1,))"), "in dneighbors(tuple): tuple index out of range");
  EXPECT_EQ(error_of("compress(frozenset({1}))"), "in compress(frozenset): 'int' object is not iterable");
  EXPECT_EQ(error_of("crop(((1, 2),), (0,), 5)"), "in crop(tuple, tuple, int): 'int' object is not subscriptable");
}

TEST(Registry, PythonOperatorErrorsUseCPythonsWords) {
  EXPECT_EQ(error_of("interval((5, 1), 1, 1)"), "in interval(tuple, int, int): 'tuple' object cannot be interpreted as an integer");
  EXPECT_EQ(error_of("repeat(1, frozenset())"), "in repeat(int, frozenset): 'frozenset' object cannot be interpreted as an integer");
  EXPECT_EQ(error_of("vconcat((3, 2), frozenset({1}))"),
            "in vconcat(tuple, frozenset): can only concatenate tuple (not \"frozenset\") to tuple");
  EXPECT_EQ(error_of("multiply(((1, 2),), frozenset())"),
            "in multiply(tuple, frozenset): can't multiply sequence by non-int of type 'frozenset'");
  EXPECT_EQ(error_of("combine((1, 2), 3)"), "in combine(tuple, int): Value after * must be an iterable, not int");
  EXPECT_EQ(error_of("add(1, frozenset())"), "in add(int, frozenset): 'int' object is not subscriptable");
}

TEST(Registry, CallsWithTheWrongNumberOfArgumentsSayWhatCPythonSays) {
  // a closure is the lambda of the combinator that built it, with that lambda's parameters
  EXPECT_EQ(error_of("papply(first, ((1,),), ((2,),))"),
            "in papply(function, tuple, tuple): first() takes 1 positional argument but 2 were given");
  EXPECT_EQ(error_of("papply(fork(add, identity, identity), (1,), (2,))"),
            "in papply(function, tuple, tuple): fork.<locals>.<lambda>() takes 1 positional argument but 2 were given");
  EXPECT_EQ(error_of("papply(power(first, 2), (1,), (2,))"),
            "in papply(function, tuple, tuple): compose.<locals>.<lambda>() takes 1 positional argument but 2 were "
            "given");
  EXPECT_EQ(error_of("apply(rbind(fork, identity), (1,))"),
            "in apply(function, tuple): rbind.<locals>.<lambda>() missing 1 required positional argument: 'y'");
  EXPECT_EQ(error_of("apply(lbind(fork, add), (1,))"),
            "in apply(function, tuple): lbind.<locals>.<lambda>() missing 1 required positional argument: 'z'");
}

TEST(Registry, AnErrorCaughtOutsideAnEntryPointDoesNotNameTheNextOne) {
  // call() is not an entry point: its error leaves unnamed and leaves first recorded...
  const Value empty = empty_tuple();
  EXPECT_THROW(call1(Value::primitive(primitive_id("first")), empty), EvalError);
  // ...which the next entry point forgets: this error was raised outside any primitive.
  EXPECT_EQ(error_of("1(2)"), "'int' object is not callable");
  EXPECT_THROW(call1(Value::primitive(primitive_id("first")), empty), EvalError);
  EXPECT_EQ(error_of("apply(rot90, (1, 2))"), "in rot90(int): 'int' object is not subscriptable");
}

}  // namespace
}  // namespace megabatch::cpu
