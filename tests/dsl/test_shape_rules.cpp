// Every primitive with a ShapeRule keeps its promise: whenever its first argument is h rows of w
// items each (a grid, or any tuple of equally long tuples or sets) and the call succeeds, the
// result is h rows of w items (w rows of h when transposed). The executor prunes candidates on this
// rule, so a primitive that broke it would silently lose matching programs.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {
namespace {

// (len(x), len(x[0])) when x is a non-empty tuple whose items are sized and equally long.
std::optional<std::pair<std::size_t, std::size_t>> row_shape(const Value& x) {
  if (x.kind() == Kind::Grid) return std::pair<std::size_t, std::size_t>(x.grid().h, x.grid().w);
  if (!x.is_tuple() || x.size() == 0 || x.kind() != Kind::Tuple) return std::nullopt;
  std::optional<std::size_t> width;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const Value row = x.item(k);
    if (!row.is_container()) return std::nullopt;
    if (width && *width != row.size()) return std::nullopt;
    width = row.size();
  }
  return std::pair(x.size(), *width);
}

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(int percent) { return between(0, 99) < percent; }

  Value colour() { return coin(90) ? Value::integer(between(0, 9)) : Value::integer(between(-2, 12)); }

  Value grid(int h, int w) {
    Grid g(h, w);
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) g.at(i, j) = static_cast<Color>(between(0, coin(50) ? 2 : 9));
    return make_grid(std::move(g));
  }

  // A first argument with a row shape: mostly grids, sometimes rows that are not rows of colours.
  Value shaped(int h, int w) {
    switch (between(0, 5)) {
      case 0: {  // rows of mixed items
        std::vector<Value> rows;
        for (int i = 0; i < h; ++i) {
          std::vector<Value> row;
          for (int j = 0; j < w; ++j) row.push_back(coin(70) ? colour() : Value::pair(between(0, 3), between(0, 3)));
          rows.push_back(tuple_of(std::move(row)));
        }
        return tuple_of(std::move(rows));
      }
      case 1: {  // rows that are sets of w distinct ints
        std::vector<Value> rows;
        for (int i = 0; i < h; ++i) {
          std::vector<Value> row;
          for (int j = 0; j < w; ++j) row.push_back(Value::integer(j * 3 + between(0, 2)));
          rows.push_back(make_set(std::move(row)));
        }
        return tuple_of(std::move(rows));
      }
      default: return grid(h, w);
    }
  }

  // Any argument a program might pass in the other positions.
  Value any(int h, int w) {
    switch (between(0, 9)) {
      case 0: case 1: return colour();
      case 2: {  // indices, some outside the grid
        std::vector<Point> pts;
        for (int k = between(1, 6); k > 0; --k) pts.push_back({between(-1, h), between(-1, w)});
        return make_indices(std::move(pts));
      }
      case 3: {  // an arc-dsl object, some cells outside the grid
        std::vector<CellV> cells;
        for (int k = between(1, 6); k > 0; --k) cells.push_back({between(0, 9), between(-1, h), between(-1, w)});
        return make_object(std::move(cells));
      }
      case 4: {  // a tokpidjin object (cells (i, j, c)), some cells outside the grid
        std::vector<TripleV> cells;
        for (int k = between(1, 6); k > 0; --k) cells.push_back({between(-1, h), between(-1, w), between(0, 9)});
        return make_triples(std::move(cells));
      }
      case 5: return grid(coin(70) ? h : between(1, 4), coin(70) ? w : between(1, 4));
      case 6: return Value::pair(between(0, 3), between(0, 3));
      case 7: {  // a set of odd members: cells whose colour is not an int
        std::vector<Value> members;
        for (int k = between(1, 3); k > 0; --k)
          members.push_back(make_tuple({Value::pair(between(0, 2), 1), Value::pair(between(0, h), between(0, w))}));
        return make_set(std::move(members));
      }
      case 8: return empty_set();
      default: return shaped(h, w);
    }
  }

 private:
  static Value tuple_of(std::vector<Value> items) { return make_tuple(std::move(items)); }
  std::mt19937_64 rng_;
};

TEST(ShapeRules, TheGridToGridPrimitivesCarryARule) {
  std::set<std::string> same, transposed;
  for (int id : dialect_primitives(Dialect::ArcDsl)) {
    const PrimitiveInfo& p = primitives()[id];
    if (p.shape == ShapeRule::SameAsFirst) same.insert(p.name);
    if (p.shape == ShapeRule::TransposedOfFirst) transposed.insert(p.name);
  }
  for (const char* name : {"paint", "fill", "underfill", "underpaint", "replace", "switch", "cellwise", "hmirror"})
    EXPECT_TRUE(same.count(name)) << name;
  EXPECT_EQ(transposed, (std::set<std::string>{"cmirror", "dmirror", "rot270", "rot90"}));
  std::set<std::string> tok_transposed;
  for (int id : dialect_primitives(Dialect::Tokpidjin))
    if (primitives()[id].shape == ShapeRule::TransposedOfFirst) tok_transposed.insert(primitives()[id].name);
  EXPECT_EQ(tok_transposed, (std::set<std::string>{"cmirror_t", "dmirror_t", "rot270", "rot90"}));
  // primitives whose result shape depends on more than the first argument's shape have none
  for (const char* name : {"upscale", "crop", "hconcat", "trim", "canvas", "subgrid", "compress"}) {
    const PrimitiveInfo* p = find_primitive(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->shape, ShapeRule::None) << name;
  }
  for (const char* name : {"upscale_t", "crop", "hconcat", "trim", "canvas", "subgrid", "compress", "mir_rot_t"}) {
    const PrimitiveInfo* p = find_primitive(name, Dialect::Tokpidjin);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->shape, ShapeRule::None) << name;
  }
}

TEST(ShapeRules, ASuccessfulCallHasTheShapeItsRulePromises) {
  Gen gen(20261129);
  for (std::size_t id = 0; id < primitives().size(); ++id) {
    const PrimitiveInfo& p = primitives()[id];
    if (p.shape == ShapeRule::None) continue;
    int successes = 0, odd_rows = 0;
    for (int trial = 0; trial < 1500; ++trial) {
      const int h = gen.between(1, 5), w = gen.between(1, 5);
      std::vector<Value> args{gen.shaped(h, w)};
      // a second grid (cellwise) as often as anything else
      while (static_cast<int>(args.size()) < p.arity)
        args.push_back(args.size() == 1 && gen.coin(40) ? gen.shaped(h + gen.between(0, 1), w + gen.between(0, 1))
                                                        : gen.any(h, w));
      Value result;
      try {
        result = invoke(static_cast<int>(id), args);
      } catch (const EvalError&) {
        continue;  // a failed call produces no output at all
      }
      // A tokpidjin primitive that failed returns its default, which is no grid: it equals no output.
      if (p.safe != SafeDefault::None && result == safe_default_value(p.safe)) continue;
      ++successes;
      odd_rows += args[0].kind() != Kind::Grid;
      const auto want = p.shape == ShapeRule::SameAsFirst ? std::pair<std::size_t, std::size_t>(h, w)
                                                          : std::pair<std::size_t, std::size_t>(w, h);
      const auto got = row_shape(result);
      ASSERT_TRUE(got.has_value()) << p.name << " on " << repr(args[0]) << " gave " << repr(result);
      ASSERT_EQ(*got, want) << p.name << " on " << repr(args[0]) << " gave " << repr(result);
    }
    // the property was really exercised, on grids and on rows that are not rows of colours
    EXPECT_GT(successes, 250) << p.name;
    EXPECT_GT(odd_rows, 20) << p.name;
  }
}

}  // namespace
}  // namespace megabatch::cpu
