// Colour witnesses (cpu/prune.hpp) against the real primitives: a random chain of fill, underfill,
// replace, switch, cellwise, cover, mirrors and rotations on a random grid, run many times with random
// patches and second grids; may_equal must accept every output any of those runs produced (it may
// only refuse grids no choice of the unknown arguments can produce), and it must refuse often enough
// on altered outputs to be worth having.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "cpu/prune.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {
namespace {

using Op = ColourStep::Op;

struct Link {
  std::string name;
  Op op;
  std::optional<Value> a, b;  // colour arguments, where the op has them
};

class ChainTest : public ::testing::Test {
 protected:
  std::mt19937_64 rng{1129};
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

  Value colour() {
    switch (between(0, 9)) {
      case 0: return Value::integer(between(10, 12));
      case 1: return Value::boolean(between(0, 1) == 1);
      case 2: return Value::pair(1, 2);
      default: return Value::integer(between(0, 4));
    }
  }
  Grid grid(int h, int w) {
    Grid g(h, w);
    for (auto& c : g.cells) c = between(0, 4);
    return g;
  }
  // What fill and underfill get to cover: indices (some outside the grid) or an object's cells.
  Value patch(int h, int w) {
    if (between(0, 3) == 0) {
      std::vector<CellV> cells;
      for (int k = between(1, h * w); k > 0; --k) cells.push_back({between(0, 9), between(-1, h), between(-1, w)});
      return make_object(std::move(cells));
    }
    std::vector<Point> pts;
    for (int k = between(0, h * w); k > 0; --k) pts.push_back({between(-1, h), between(-1, w)});
    return pts.empty() ? empty_set() : make_indices(std::move(pts));
  }

  std::vector<Link> random_chain() {
    static const char* kNames[] = {"fill", "underfill", "replace", "switch", "cellwise", "hmirror", "vmirror",
                                   "rot180", "rot90", "rot270", "dmirror", "cmirror", "cover"};
    std::vector<Link> chain;  // base first
    for (int k = between(1, 4); k > 0; --k) {
      Link l{kNames[between(0, 12)], Op::Fill, std::nullopt, std::nullopt};
      l.op = find_primitive(l.name)->colour;
      if (l.op == Op::Fill || l.op == Op::Cellwise || l.op == Op::Replace || l.op == Op::Switch) l.a = colour();
      if (l.op == Op::Replace || l.op == Op::Switch) l.b = colour();
      chain.push_back(l);
    }
    return chain;
  }

  // One run of the chain from `base`, with fresh unknown arguments; nullopt when it raised.
  std::optional<Value> run_once(const std::vector<Link>& chain, const Value& base) {
    Value x = base;
    try {
      for (const Link& l : chain) {
        const int id = primitive_id(l.name);
        const int h = static_cast<int>(x.size()), w = h ? static_cast<int>(x.item(0).size()) : 0;
        std::vector<Value> args{x};
        switch (l.op) {
          case Op::Fill: args.push_back(*l.a), args.push_back(patch(h, w)); break;
          case Op::Cover: args.push_back(patch(h, w)); break;
          case Op::Replace: case Op::Switch: args.push_back(*l.a), args.push_back(*l.b); break;
          case Op::Cellwise: {
            // mostly the current grid with some cells changed, so both branches of cellwise happen
            Value other = x;
            if (x.kind() == Kind::Grid) {
              const Grid& g = x.grid();
              Grid o(g.h + (between(0, 3) == 0), g.w + (between(0, 3) == 0));  // sometimes larger: still fine
              for (int i = 0; i < o.h; ++i)
                for (int j = 0; j < o.w; ++j)
                  o.at(i, j) = i < g.h && j < g.w && between(0, 2) != 0 ? g.at(i, j) : between(0, 4);
              other = make_grid(std::move(o));
            }
            args.push_back(other), args.push_back(*l.a);
            break;
          }
          default: break;
        }
        x = invoke(id, args);
      }
    } catch (const EvalError&) {
      return std::nullopt;
    }
    return x;
  }

  // The witness of the chain, its values indexed as node ids: 0 = base, then the colour arguments.
  static ColourWitness witness(const std::vector<Link>& chain, const Value& base, std::vector<Value>& values) {
    ColourWitness w;
    values = {base};
    w.base = 0;
    w.needs.push_back(0);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {  // the output's step first
      ColourStep s{it->op};
      if (it->a) s.a = static_cast<program::NodeId>(values.size()), values.push_back(*it->a);
      if (it->b) s.b = static_cast<program::NodeId>(values.size()), values.push_back(*it->b);
      w.steps.push_back(s);
    }
    return w;
  }
};

TEST_F(ChainTest, EveryReachableOutputIsAcceptedAndAlteredOnesAreOftenRefused) {
  int outputs = 0, altered = 0, refused = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::vector<Link> chain = random_chain();
    const Value base = make_grid(grid(between(1, 4), between(1, 4)));
    std::vector<Value> values;
    const ColourWitness w = witness(chain, base, values);
    for (int again = 0; again < 8; ++again) {
      const auto out = run_once(chain, base);
      if (!out || out->kind() != Kind::Grid) continue;
      ++outputs;
      const Grid& y = out->grid();
      std::string context = "chain";
      for (const Link& l : chain)
        context += " " + l.name + "(" + (l.a ? repr(*l.a) : "") + ", " + (l.b ? repr(*l.b) : "") + ")";
      ASSERT_TRUE(may_equal(w, values, y)) << context << " on " << repr(base) << " gave " << repr(*out);
      Grid changed = y;
      auto& cell = changed.cells[static_cast<std::size_t>(between(0, static_cast<int>(y.cells.size()) - 1))];
      const Color was = cell;
      cell = between(0, 9);
      if (cell == was) continue;
      ++altered;
      refused += !may_equal(w, values, changed);
    }
  }
  EXPECT_GT(outputs, 5000);
  // a changed cell is often one that no fill, fallback or colour map could explain
  EXPECT_GT(refused, altered / 5) << refused << " of " << altered;
}

TEST(ColourWitness, AFillCanOnlyExplainCellsOfItsOwnColour) {
  // O = fill(I, 2, patch) on I = [[1, 0], [0, 1]]
  Grid in(2, 2);
  in.cells = {1, 0, 0, 1};
  std::vector<Value> values{make_grid(in), Value::integer(2)};
  ColourWitness w;
  w.base = 0;
  w.steps = {ColourStep{Op::Fill, 1}};
  w.needs = {0, 1};
  Grid e = in;
  EXPECT_TRUE(may_equal(w, values, e));  // an empty patch
  e.cells = {2, 2, 2, 2};
  EXPECT_TRUE(may_equal(w, values, e));  // every cell filled
  e.cells = {1, 2, 0, 3};
  EXPECT_FALSE(may_equal(w, values, e));  // 3 is neither I's colour there nor the fill's
  e.cells = {0, 0, 0, 1};
  EXPECT_FALSE(may_equal(w, values, e));  // a 1 became 0: fill only writes 2
  // a fill value that is no colour writes nothing an expected grid could hold
  values[1] = Value::integer(12);
  e.cells = {1, 0, 0, 1};
  EXPECT_TRUE(may_equal(w, values, e));
  e.cells = {1, 0, 0, 2};
  EXPECT_FALSE(may_equal(w, values, e));
}

TEST(ColourWitness, ReplaceWithSomethingOtherThanAColourProvesNothing) {
  Grid in(1, 2);
  in.cells = {1, 12};
  std::vector<Value> values{make_grid(in), Value::integer(12), Value::integer(3)};
  ColourWitness w;
  w.base = 0;
  w.steps = {ColourStep{Op::Replace, 1, 2}};  // replace(I, 12, 3): [[1, 3]]
  w.needs = {0, 1, 2};
  Grid e(1, 2);
  e.cells = {1, 3};
  EXPECT_TRUE(may_equal(w, values, e));
  e.cells = {4, 3};
  EXPECT_TRUE(may_equal(w, values, e));  // no proof is attempted (12 is not a colour)
}

}  // namespace
}  // namespace megabatch::cpu
