// ValueModel: canonical representations, the canonical total order, hashing and Python repr of
// engine/value.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"
#include "engine/expression.hpp"
#include "engine/value.hpp"

#include "dsl_support.hpp"

namespace megabatch {
namespace {

Value I(std::int64_t v) { return Value::integer(v); }
Value P(std::int64_t i, std::int64_t j) { return Value::pair(i, j); }
Value C(std::int64_t c, std::int64_t i, std::int64_t j) { return Value::cell(c, i, j); }
Value T(std::vector<Value> v) { return make_tuple(std::move(v)); }
Value S(std::vector<Value> v) { return make_set(std::move(v)); }

// ---------------------------------------------------------------- canonicalisation

// Closures capturing equal parts that print apart (1 and True, 1 and 1.0) order by that text, never by
// address: whichever is built first, the same one sorts first.
TEST(ValueModel, ClosuresOfEqualButDifferentPartsOrderTheSameInEveryRun) {
  const Value add = Value::primitive(cpu::primitive_id("add", Dialect::ArcDsl));
  for (int round = 0; round < 2; ++round) {
    Value one, yes, real;
    if (round == 0) {
      one = make_func(FuncKind::Lbind, 1, {add, I(1)});
      yes = make_func(FuncKind::Lbind, 1, {add, Value::boolean(true)});
      real = make_func(FuncKind::Lbind, 1, {add, Value::floating(1.0)});
    } else {
      real = make_func(FuncKind::Lbind, 1, {add, Value::floating(1.0)});
      yes = make_func(FuncKind::Lbind, 1, {add, Value::boolean(true)});
      one = make_func(FuncKind::Lbind, 1, {add, I(1)});
    }
    EXPECT_LT(compare(one, real), 0);  // "1" < "1.0" < "True"
    EXPECT_LT(compare(real, yes), 0);
    EXPECT_GT(compare(yes, one), 0);
  }
}

// Found by tests/fuzz/fuzz_values: (0, 0) and (0.0, 0) are equal, as in Python, but hashed apart, so
// dedupe kept both. Every representation of one value hashes alike.
TEST(ValueModel, EqualValuesHashAlikeWhateverTheirRepresentation) {
  const Value f0 = Value::floating(0.0), f1 = Value::floating(1.0), f2 = Value::floating(2.0);
  const std::vector<std::pair<Value, Value>> same = {
      {P(0, 0), T({f0, I(0)})},                                  // a pair, a generic tuple
      {C(1, 0, 2), T({f1, T({I(0), f2})})},                      // a cell
      {Value::triple(0, 1, 2), T({f0, f1, I(2)})},               // tokpidjin's (i, j, c)
      {T({T({I(1), I(2), I(3)})}), T({T({f1, I(2), I(3)})})},    // a grid, a tuple of rows
      {S({P(0, 1), P(2, 2)}), S({T({f0, f1}), T({f2, f2})})},    // indices, a generic frozenset
      {S({C(1, 0, 0)}), S({T({f1, P(0, 0)})})},                  // an object
      {S({Value::triple(0, 0, 5)}), S({T({f0, f0, I(5)})})},     // a cell set
  };
  for (const auto& [a, b] : same) {
    EXPECT_EQ(compare(a, b), 0) << repr(a) << " vs " << repr(b);
    EXPECT_EQ(a.hash(), b.hash()) << repr(a) << " vs " << repr(b);
  }
  EXPECT_EQ(repr(cpu::dsl::dedupe(T({P(0, 0), T({f0, I(0)})}))), "((0, 0),)");
}

TEST(ValueModel, TwoIntsMakeAPairAndIntPairMakesACell) {
  EXPECT_EQ(T({I(1), I(2)}).kind(), Kind::Pair);
  EXPECT_EQ(T({I(1), P(2, 3)}).kind(), Kind::Cell);
  EXPECT_EQ(T({I(1), P(2, 3)}), C(1, 2, 3));
  EXPECT_EQ(T({P(2, 3), I(1)}).kind(), Kind::Tuple);
  // three ints are tokpidjin's cell (i, j, c), kept inline
  EXPECT_EQ(T({I(1), I(2), I(3)}).kind(), Kind::Triple);
  EXPECT_EQ(T({I(1), I(2), I(3)}).triplev(), (TripleV{1, 2, 3}));
  EXPECT_EQ(T({I(1), I(2), I(3), I(4)}).kind(), Kind::Tuple);
  EXPECT_EQ(T({I(1)}).kind(), Kind::Tuple);
  // beyond int32 the generic tuple holds the value exactly
  Value big = P(3'000'000'000LL, 1);
  EXPECT_EQ(big.kind(), Kind::Tuple);
  EXPECT_EQ(repr(big), "(3000000000, 1)");
  EXPECT_EQ(T({I(3'000'000'000LL), I(1)}), big);
  Value bigcell = C(1, 3'000'000'000LL, 0);
  EXPECT_EQ(bigcell.kind(), Kind::Tuple);
  EXPECT_EQ(repr(bigcell), "(1, (3000000000, 0))");
}

TEST(ValueModel, TupleOfEqualLengthIntRowsIsAGrid) {
  Value g = T({T({I(1), I(2), I(3)}), T({I(4), I(5), I(6)})});
  EXPECT_EQ(g.kind(), Kind::Grid);
  EXPECT_EQ(g.grid().h, 2);
  EXPECT_EQ(g.grid().w, 3);
  EXPECT_EQ(g, make_grid(grid_from_rows({{1, 2, 3}, {4, 5, 6}})));
  // a tuple of pairs is a width-2 grid, exactly as Python sees ((1, 2), (3, 4))
  Value pairs = T({P(1, 2), P(3, 4)});
  EXPECT_EQ(pairs.kind(), Kind::Grid);
  EXPECT_EQ(pairs, make_grid(grid_from_rows({{1, 2}, {3, 4}})));
  EXPECT_EQ(pairs.item(1), P(3, 4));
  EXPECT_EQ(pairs.item(1).kind(), Kind::Pair);
  // ragged rows or non-int members stay a generic tuple
  EXPECT_EQ(T({T({I(1), I(2), I(3)}), P(4, 5)}).kind(), Kind::Tuple);
  EXPECT_EQ(T({P(1, 2), C(1, 2, 3)}).kind(), Kind::Tuple);
  EXPECT_EQ(T({T({I(1), I(3'000'000'000LL), I(2)})}).kind(), Kind::Tuple);
  // rows of empty tuples make a zero-width grid
  Value empties = T({empty_tuple(), empty_tuple()});
  EXPECT_EQ(empties.kind(), Kind::Grid);
  EXPECT_EQ(repr(empties), "((), ())");
  EXPECT_EQ(empties.size(), 2u);
}

TEST(ValueModel, EmptyContainersAreCanonical) {
  EXPECT_EQ(make_tuple({}).kind(), Kind::Tuple);
  EXPECT_EQ(make_grid(Grid(0, 3)), empty_tuple());
  EXPECT_EQ(make_grid(Grid(0, 3)).kind(), Kind::Tuple);
  // one empty frozenset, whatever builder made it
  Value e = empty_set();
  EXPECT_EQ(make_set({}).kind(), Kind::Set);
  EXPECT_EQ(make_indices({}).kind(), Kind::Set);
  EXPECT_EQ(make_object({}).kind(), Kind::Set);
  EXPECT_EQ(make_sorted_indices({}).kind(), Kind::Set);
  EXPECT_EQ(make_sorted_object({}).kind(), Kind::Set);
  EXPECT_EQ(make_indices({}), e);
  EXPECT_EQ(make_object({}), e);
  EXPECT_EQ(make_indices({}).hash(), make_object({}).hash());
  EXPECT_NE(empty_tuple(), e);
  EXPECT_FALSE(e.truthy());
  EXPECT_FALSE(empty_tuple().truthy());
}

TEST(ValueModel, FrozensetsOfPairsAndCellsSpecialise) {
  Value idx = S({P(1, 1), P(0, 0), P(1, 1)});
  EXPECT_EQ(idx.kind(), Kind::Indices);
  EXPECT_EQ(idx.size(), 2u);
  EXPECT_EQ(idx, make_indices({{1, 1}, {0, 0}}));
  Value obj = S({C(2, 0, 0), C(1, 5, 5), C(1, 0, 3)});
  EXPECT_EQ(obj.kind(), Kind::Object);
  EXPECT_EQ(obj, make_object({{2, 0, 0}, {1, 5, 5}, {1, 0, 3}}));
  EXPECT_EQ(obj.item(0), C(1, 0, 3));
  // mixed members, or anything else, make a generic set
  EXPECT_EQ(S({P(0, 0), C(1, 0, 0)}).kind(), Kind::Set);
  EXPECT_EQ(S({I(1), I(2)}).kind(), Kind::Set);
  EXPECT_EQ(S({T({I(1), I(2), I(3), I(4)})}).kind(), Kind::Set);
  // tokpidjin's objects: frozensets of (i, j, c), ordered as tuples (row, column, colour)
  Value tobj = S({T({I(2), I(0), I(5)}), T({I(0), I(3), I(1)}), T({I(0), I(3), I(0)})});
  EXPECT_EQ(tobj.kind(), Kind::TripleSet);
  EXPECT_EQ(tobj, make_triples({{0, 3, 1}, {2, 0, 5}, {0, 3, 0}}));
  EXPECT_EQ(repr(tobj), "frozenset({(0, 3, 0), (0, 3, 1), (2, 0, 5)})");
  // the eval language builds the same representations
  EXPECT_EQ(val("frozenset({(1, (0, 0)), (2, (1, 1))})").kind(), Kind::Object);
  EXPECT_EQ(val("frozenset({(0, 0)})").kind(), Kind::Indices);
  EXPECT_EQ(val("((1, 2), (3, 4))").kind(), Kind::Grid);
}

TEST(ValueModel, SortedSetBuilderGivesWhatMakeSetGivesForAscendingMembers) {
  // the builder product() and sfilter() use when they know their members are ascending and unique
  const std::vector<std::vector<Value>> inputs = {
      {P(0, 0), P(1, 1)}, {C(1, 0, 3), C(2, 0, 0)}, {I(1), I(2)}, {P(0, 0), C(1, 0, 0)},
      {T({C(1, 0, 0), C(1, 0, 1)}), T({C(1, 0, 1), C(2, 0, 0)})}, {}};
  for (const auto& members : inputs) {
    Value sorted = make_sorted_set(members);
    Value general = make_set(members);
    EXPECT_EQ(sorted.kind(), general.kind()) << repr(general);
    EXPECT_EQ(sorted, general) << repr(general);
    EXPECT_EQ(repr(sorted), repr(general));
  }
}

TEST(ValueModel, SetsDeduplicateByEquality) {
  EXPECT_EQ(S({I(3), I(1), I(3), I(2)}).size(), 3u);
  EXPECT_EQ(S({I(1), Value::boolean(true)}).size(), 1u);  // True == 1
  EXPECT_EQ(S({empty_set(), make_indices({}), empty_set()}).size(), 1u);
  EXPECT_EQ(S({T({P(1, 2)}), make_grid(grid_from_rows({{1, 2}}))}).size(), 1u);
}

// Reference canonicalisation: a plain comparison sort and unique, whatever the builders do inside.
template <class T>
std::vector<T> sorted_unique(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

TEST(ValueModel, PointAndCellBuildersAgreeWithAPlainSortOnDenseSparseAndNegativeInputs) {
  std::mt19937 rng(7);
  // (span of coordinates, members): dense boxes with many duplicates, sparse ones, negatives, huge
  const std::vector<std::pair<int, int>> shapes = {{3, 50}, {30, 2000}, {30, 5}, {1000, 300}, {2'000'000'000, 100}};
  for (auto [span, n] : shapes) {
    for (int round = 0; round < 20; ++round) {
      std::uniform_int_distribution<int> coord(-span / 2, span / 2), colour(0, round % 2 ? 9 : 1000);
      std::vector<Point> points;
      std::vector<CellV> cells;
      for (int k = 0; k < n; ++k) {
        points.push_back({coord(rng), coord(rng)});
        cells.push_back({colour(rng), coord(rng), coord(rng)});
      }
      Value idx = make_indices(points), obj = make_object(cells);
      const auto want_points = sorted_unique(points);
      const auto want_cells = sorted_unique(cells);
      ASSERT_EQ(std::vector<Point>(idx.points().begin(), idx.points().end()), want_points) << span << " " << n;
      ASSERT_EQ(std::vector<CellV>(obj.cells().begin(), obj.cells().end()), want_cells) << span << " " << n;
    }
  }
  // already ascending input is kept as it is; a single member too
  EXPECT_EQ(make_indices({{0, 0}, {0, 1}, {5, -3}}).points().size(), 3u);
  EXPECT_EQ(make_object({{4, 2, 2}}).cells()[0], (CellV{4, 2, 2}));
}

TEST(ValueModel, SetsOfPatchesSortLikeTheGenericOrderWithEmptiesAndDuplicates) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    std::uniform_int_distribution<int> coord(-2, 3), length(0, 4), colour(0, 2);
    const bool cells = round % 2;
    std::vector<Value> patches;
    const int n = 1 + round % 40;
    for (int k = 0; k < n; ++k) {
      const int len = length(rng);
      if (cells) {
        std::vector<CellV> cs;
        for (int m = 0; m < len; ++m) cs.push_back({colour(rng), coord(rng), coord(rng)});
        patches.push_back(make_object(cs));
      } else {
        std::vector<Point> ps;
        for (int m = 0; m < len; ++m) ps.push_back({coord(rng), coord(rng)});
        patches.push_back(make_indices(ps));
      }
      if (k % 3 == 0) patches.push_back(patches.back());  // exact duplicates
    }
    std::vector<Value> want = patches;
    std::sort(want.begin(), want.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
    want.erase(std::unique(want.begin(), want.end()), want.end());
    Value got = make_set(patches);
    ASSERT_EQ(got.size(), want.size()) << round;
    for (std::size_t k = 0; k < want.size(); ++k) ASSERT_EQ(compare(got.item(k), want[k]), 0) << round << " at " << k;
  }
  // a mix of points and cells is not a set of one patch kind: the generic path orders it
  Value mixed = S({make_object({{1, 0, 0}}), make_indices({{0, 0}}), empty_set()});
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_TRUE(mixed.item(0).kind() == Kind::Set);
  EXPECT_LT(compare(mixed.item(1), mixed.item(2)), 0);
}

// ---------------------------------------------------------------- order

TEST(ValueModel, OrderAcrossTypesIsIntsTuplesSetsCallables) {
  Value f = Value::primitive(0);
  std::vector<Value> v = {f, empty_set(), T({I(0)}), I(5), S({I(1)}), I(-2), empty_tuple()};
  std::sort(v.begin(), v.end());
  std::vector<std::string> got;
  for (const Value& x : v) got.push_back(repr(x));
  cpu::primitives();  // installs the primitive-name hook
  EXPECT_EQ(got[0], "-2");
  EXPECT_EQ(got[1], "5");
  EXPECT_EQ(got[2], "()");
  EXPECT_EQ(got[3], "(0,)");
  EXPECT_EQ(got[4], "frozenset()");
  EXPECT_EQ(got[5], "frozenset({1})");
  EXPECT_EQ(v[6].kind(), Kind::Func);
}

TEST(ValueModel, TuplesCompareLexicographically) {
  EXPECT_LT(compare(P(0, 5), P(1, 0)), 0);
  EXPECT_LT(compare(P(1, 0), P(1, 1)), 0);
  EXPECT_LT(compare(T({I(1)}), P(1, 0)), 0);  // a prefix sorts first
  EXPECT_LT(compare(P(1, 2), T({I(1), I(2), I(0)})), 0);
  EXPECT_LT(compare(P(1, 2), C(1, 0, 0)), 0);  // 2 < (0, 0): ints before tuples
  EXPECT_LT(compare(C(1, 9, 9), C(2, 0, 0)), 0);  // cells: colour, then row, then column
  EXPECT_LT(compare(C(1, 0, 9), C(1, 1, 0)), 0);
  EXPECT_LT(compare(C(1, 1, 0), C(1, 1, 1)), 0);
  EXPECT_EQ(compare(P(3'000'000'000LL, 0), P(3'000'000'000LL, 0)), 0);
  EXPECT_LT(compare(P(2, 0), P(3'000'000'000LL, 0)), 0);  // Pair vs generic tuple
}

TEST(ValueModel, GridsCompareAsTuplesOfRows) {
  auto g = [](std::vector<std::vector<Color>> rows) { return make_grid(grid_from_rows(rows)); };
  EXPECT_LT(compare(g({{1, 2}}), g({{1, 2}, {0, 0}})), 0);
  EXPECT_LT(compare(g({{1, 2}}), g({{1, 2, 0}})), 0);
  EXPECT_LT(compare(g({{1, 2, 9}}), g({{1, 3}})), 0);
  EXPECT_LT(compare(g({{5}, {9}}), g({{5, 1}})), 0);  // (5,) < (5, 1)
  EXPECT_LT(compare(g({{0, 9}, {9, 9}}), g({{1, 0}})), 0);
  // grid vs generic tuple: element-wise, with (3, 4) > 5 because ints come first
  Value mixed = T({P(1, 2), I(5)});
  EXPECT_EQ(mixed.kind(), Kind::Tuple);
  EXPECT_LT(compare(mixed, g({{1, 2}, {3, 4}})), 0);
  EXPECT_GT(compare(g({{1, 2}, {3, 4}}), mixed), 0);
}

TEST(ValueModel, SetsCompareByTheirAscendingMembers) {
  Value a = S({I(1), I(3)}), b = S({I(2)}), c = S({I(1)});
  EXPECT_LT(compare(c, a), 0);  // (1,) is a prefix of (1, 3)
  EXPECT_LT(compare(a, b), 0);  // 1 < 2
  EXPECT_LT(compare(empty_set(), c), 0);
  Value idx = make_indices({{0, 0}, {5, 5}}), idx2 = make_indices({{0, 1}});
  EXPECT_LT(compare(idx, idx2), 0);
  // across representations the member sequences decide
  Value generic = S({P(0, 0), C(1, 0, 0)});  // iterates (0, 0) then (1, (0, 0))
  EXPECT_LT(compare(make_indices({{0, 0}}), generic), 0);
  EXPECT_GT(compare(make_indices({{0, 1}}), generic), 0);
  // a set of sets iterates in that order
  Value nested = S({b, a, c});
  EXPECT_EQ(repr(nested), "frozenset({frozenset({1}), frozenset({1, 3}), frozenset({2})})");
}

TEST(ValueModel, CompareIsConsistentWithEquality) {
  std::vector<Value> vs = {I(0),  Value::boolean(false), I(1), Value::boolean(true), P(0, 1), T({I(0), I(1)}),
                           C(1, 0, 0), T({I(1), P(0, 0)}), empty_tuple(), empty_set(), make_indices({}),
                           S({I(1)}), S({Value::boolean(true)}), val("((1, 2), (3, 4))"), T({P(1, 2), P(3, 4)})};
  for (const Value& a : vs)
    for (const Value& b : vs) {
      int ab = compare(a, b), ba = compare(b, a);
      EXPECT_EQ(ab, -ba) << repr(a) << " vs " << repr(b);
      if (ab == 0) {
        EXPECT_EQ(a.hash(), b.hash()) << repr(a) << " vs " << repr(b);
      }
    }
}

// ---------------------------------------------------------------- hashing

TEST(ValueModel, EqualValuesHashAlikeWhateverTheirConstruction) {
  EXPECT_EQ(I(1).hash(), Value::boolean(true).hash());
  EXPECT_EQ(I(0).hash(), Value::boolean(false).hash());
  EXPECT_EQ(T({I(1), I(2)}).hash(), P(1, 2).hash());
  EXPECT_EQ(T({P(1, 2), P(3, 4)}).hash(), make_grid(grid_from_rows({{1, 2}, {3, 4}})).hash());
  EXPECT_EQ(S({P(1, 1), P(0, 0)}).hash(), make_indices({{0, 0}, {1, 1}}).hash());
  EXPECT_EQ(S({C(1, 1, 1), C(0, 0, 0)}).hash(), make_sorted_object({{0, 0, 0}, {1, 1, 1}}).hash());
  EXPECT_EQ(S({I(1), I(2)}).hash(), S({I(2), Value::boolean(true)}).hash());
  EXPECT_EQ(val("frozenset({(1, 2), frozenset({3})})").hash(), val("frozenset({frozenset({3}), (1, 2)})").hash());
  EXPECT_EQ(T({I(1), Value::boolean(true), P(0, 0)}).hash(), T({Value::boolean(true), I(1), P(0, 0)}).hash());
  EXPECT_EQ(Value::primitive(3).hash(), Value::primitive(3).hash());
  // cached hashes stay stable
  Value g = val("((1, 2, 3), (4, 5, 6))");
  std::size_t h = g.hash();
  EXPECT_EQ(g.hash(), h);
  EXPECT_EQ(Value(g).hash(), h);
}

TEST(ValueModel, HashesUsuallyDifferForDifferentValues) {
  EXPECT_NE(P(1, 2).hash(), P(2, 1).hash());
  EXPECT_NE(make_indices({{0, 0}}).hash(), make_object({{0, 0, 0}}).hash());
  EXPECT_NE(val("((1, 2), (3, 4))").hash(), val("((1, 2, 3, 4),)").hash());
}

// ---------------------------------------------------------------- repr and protocol

TEST(ValueModel, ReprIsPythonsWithSetsInCanonicalOrder) {
  cpu::primitives();
  EXPECT_EQ(repr(I(-7)), "-7");
  EXPECT_EQ(repr(Value::boolean(true)), "True");
  EXPECT_EQ(repr(Value::boolean(false)), "False");
  EXPECT_EQ(repr(empty_tuple()), "()");
  EXPECT_EQ(repr(T({I(7)})), "(7,)");
  EXPECT_EQ(repr(T({P(1, 2)})), "((1, 2),)");
  EXPECT_EQ(repr(C(3, -1, 2)), "(3, (-1, 2))");
  EXPECT_EQ(repr(val("((1, 2, 3), (4, 5, 6))")), "((1, 2, 3), (4, 5, 6))");
  EXPECT_EQ(repr(empty_set()), "frozenset()");
  EXPECT_EQ(repr(S({I(3), I(-1), I(2)})), "frozenset({-1, 2, 3})");
  EXPECT_EQ(repr(S({C(2, 0, 0), C(1, 5, 5), C(1, 0, 3)})), "frozenset({(1, (0, 3)), (1, (5, 5)), (2, (0, 0))})");
  EXPECT_EQ(repr(S({empty_tuple(), I(4), empty_set()})), "frozenset({4, (), frozenset()})");
  EXPECT_EQ(repr(T({Value::boolean(true), empty_set(), I(2)})), "(True, frozenset(), 2)");
  EXPECT_EQ(repr(Value::primitive(cpu::primitive_id("identity"))), "<function identity>");
  EXPECT_EQ(repr(val("compose(identity, identity)")), "<function compose.<locals>.<lambda>>");
  EXPECT_EQ(repr(val("lbind(fork, add)")), "<function lbind.<locals>.<lambda>>");
}

TEST(ValueModel, ContainerProtocol) {
  Value g = val("((1, 2, 3), (4, 5, 6))");
  EXPECT_EQ(g.size(), 2u);
  EXPECT_EQ(repr(g.item(1)), "(4, 5, 6)");
  EXPECT_EQ(C(1, 2, 3).size(), 2u);
  EXPECT_EQ(C(1, 2, 3).item(1), P(2, 3));
  EXPECT_EQ(P(1, 2).item(0), I(1));
  EXPECT_THROW(I(1).size(), EvalError);
  EXPECT_THROW(Value::primitive(0).size(), EvalError);
  EXPECT_THROW(I(1).item(0), EvalError);
  EXPECT_TRUE(Value::primitive(0).truthy());
  EXPECT_FALSE(I(0).truthy());
  EXPECT_TRUE(T({I(0)}).truthy());
  EXPECT_STREQ(I(1).type_name(), "int");
  EXPECT_STREQ(Value::boolean(true).type_name(), "bool");
  EXPECT_STREQ(g.type_name(), "tuple");
  EXPECT_STREQ(C(1, 2, 3).type_name(), "tuple");
  EXPECT_STREQ(make_indices({{0, 0}}).type_name(), "frozenset");
  EXPECT_STREQ(Value::primitive(0).type_name(), "function");
  EXPECT_EQ(I(5).as_int(), 5);
  EXPECT_EQ(Value::boolean(true).as_int(), 1);
  EXPECT_THROW(P(1, 2).as_int(), EvalError);
}

TEST(ValueModel, BorrowedHandlesTakeNoReferenceButCopiesAndMovesOfThemDo) {
  Value owner = val("((1, 2, 3), (4, 5, 6))");
  const std::uint32_t before = owner.node()->refs.load();
  std::vector<Value> kept;
  {
    Value args[2];
    args[0].set_borrowed(owner);
    const Value b = Value::borrow(owner);
    EXPECT_EQ(owner.node()->refs.load(), before);  // borrowing is free
    EXPECT_EQ(args[0], owner);
    EXPECT_EQ(repr(b), repr(owner));
    kept.push_back(args[0]);             // a copy owns a reference
    kept.push_back(std::move(args[0]));  // so does a move out of a borrowed handle
    Value assigned;
    assigned = b;
    kept.push_back(assigned);
    EXPECT_EQ(owner.node()->refs.load(), before + 4);
  }
  EXPECT_EQ(owner.node()->refs.load(), before + 3);  // the borrowed handles released nothing
  owner = I(0);                                      // the kept copies alone hold the payload now
  for (const Value& v : kept) EXPECT_EQ(repr(v), "((1, 2, 3), (4, 5, 6))");
  EXPECT_EQ(kept[0].node()->refs.load(), 3u);
  // inline values borrow as themselves
  EXPECT_EQ(Value::borrow(P(1, 2)), P(1, 2));
}

TEST(ValueModel, HandlesShareAndReleasePayloads) {
  Value a = val("((1, 2, 3), (4, 5, 6))");
  Value b = a;
  EXPECT_EQ(a.node(), b.node());
  Value c = std::move(b);
  EXPECT_EQ(c.node(), a.node());
  EXPECT_TRUE(b.is_int());  // a moved-from handle is the int 0
  b = c;
  a = I(3);
  EXPECT_EQ(repr(b), "((1, 2, 3), (4, 5, 6))");
  static_assert(sizeof(Value) == 16);
}

// The inline builders (make_tuple2, one-member patches, the shared empty containers) are only
// cheaper forms: every value they build is the one the generic builders make.
TEST(ValueModel, TwoItemBuilderCanonicalisesLikeMakeTuple) {
  const std::vector<std::pair<Value, Value>> cases = {
      {I(1), I(2)},                              // a pair
      {I(7), P(2, 3)},                           // a cell
      {P(1, 2), P(3, 4)},                        // two int rows of one width: a grid
      {T({I(1), I(2), I(3)}), T({I(4), I(5), I(6)})},
      {P(1, 2), T({I(1), I(2), I(3)})},          // ragged rows: a plain tuple
      {P(2, 3), I(1)},
      {S({P(0, 0)}), val("((1, 2), (3, 4))")},
      {I(3'000'000'000LL), I(1)},                // beyond int32
  };
  for (const auto& [a, b] : cases) {
    Value fast = make_tuple2(a, b), slow = make_tuple({a, b});
    EXPECT_EQ(fast.kind(), slow.kind()) << repr(slow);
    EXPECT_EQ(compare(fast, slow), 0) << repr(slow);
    EXPECT_EQ(fast.hash(), slow.hash()) << repr(slow);
    EXPECT_EQ(repr(fast), repr(slow));
    ASSERT_EQ(fast.size(), 2u);
    EXPECT_EQ(fast.item(0), a);
    EXPECT_EQ(fast.item(1), b);
  }
}

TEST(ValueModel, OneMemberPatchesEqualTheGenericOnes) {
  Value p = make_single_indices({2, 3}), q = make_indices({{2, 3}, {2, 3}});
  EXPECT_EQ(p.kind(), Kind::Indices);
  EXPECT_EQ(compare(p, q), 0);
  EXPECT_EQ(p.hash(), q.hash());
  EXPECT_EQ(repr(p), "frozenset({(2, 3)})");
  ASSERT_EQ(p.points().size(), 1u);
  EXPECT_EQ(p.item(0), P(2, 3));
  Value o = make_single_object({5, 0, 1}), r = S({C(5, 0, 1)});
  EXPECT_EQ(o.kind(), Kind::Object);
  EXPECT_EQ(compare(o, r), 0);
  EXPECT_EQ(o.hash(), r.hash());
  EXPECT_EQ(o.cells().size(), 1u);
  // ordered among larger patches by their member sequences, as any patch
  EXPECT_LT(compare(p, make_indices({{2, 3}, {2, 4}})), 0);
  EXPECT_GT(compare(p, make_indices({{1, 9}, {5, 5}})), 0);
  EXPECT_EQ(ev("initset((2, 3))"), "frozenset({(2, 3)})");
  EXPECT_EQ(val("initset((5, (0, 1)))"), o);
  EXPECT_EQ(val("combine(initset((2, 3)), initset((2, 3)))"), p);
}

TEST(ValueModel, EmptyContainersAreSharedAndEqual) {
  Value a = empty_set(), b = make_set({}), c = make_indices({});
  EXPECT_EQ(a.node(), b.node());  // one per thread: no allocation per empty result
  EXPECT_EQ(compare(a, c), 0);
  EXPECT_EQ(repr(c), "frozenset()");
  EXPECT_EQ(a.size(), 0u);
  EXPECT_FALSE(a.truthy());
  Value t = empty_tuple(), u = make_tuple({});
  EXPECT_EQ(compare(t, u), 0);
  EXPECT_EQ(repr(t), "()");
  EXPECT_LT(compare(t, a), 0);  // tuples before frozensets
}

TEST(ValueModel, ClosuresHoldAtMostThreeParts) {
  Value f = make_func(FuncKind::Fork, 1, {Value::primitive(0), Value::primitive(1), Value::primitive(2)});
  EXPECT_EQ(f.func().nparts, 3);
  EXPECT_EQ(f.func().parts[2].primitive_id(), 2);
  EXPECT_THROW(make_func(FuncKind::Fork, 1, {I(1), I(2), I(3), I(4)}), std::logic_error);
}

}  // namespace
}  // namespace megabatch
