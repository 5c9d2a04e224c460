// The parity suite of the device grid ops (in the manner of ggml's test-backend-ops): every op against
// the CPU reference (cpu/dsl, arc-dsl's semantics) on edge and random grids and arguments, under every
// launcher present. Case names read `rot90_3x7`, `upscale_2x5_a3`, `hconcat_3x7_5x2`: filter with
// --gtest_filter='*rot90_*'. Host cases run everywhere; the GpuParity cases need a CUDA device and are
// skipped at run time without one.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "engine/value.hpp"
#include "gpu/device.hpp"
#include "gpu/grid_ops.hpp"

namespace megabatch::gpu {
namespace {

struct Case {
  GridOp op;
  std::int32_t h0, w0, h1 = 0, w1 = 0;
  std::int64_t a = 0, b = 0;
  int colours = 10;  // cell values drawn from 0..colours-1 (a few cases from a wider range)
  Dialect dialect = Dialect::ArcDsl;  // whose primitive the op stands for
};

// The primitive of the case's dialect whose descriptor names the op as its device body, or null.
const cpu::PrimitiveInfo* device_primitive(GridOp op, Dialect dialect) {
  for (int id : cpu::dialect_primitives(dialect)) {
    const cpu::PrimitiveInfo& p = cpu::primitives()[static_cast<std::size_t>(id)];
    if (!p.builtin && p.device == op) return &p;
  }
  return nullptr;
}
const cpu::PrimitiveInfo& primitive_of(const Case& c) {
  const cpu::PrimitiveInfo* p = device_primitive(c.op, c.dialect);
  if (!p) throw std::logic_error(std::string("no primitive with the device body ") + std::string(op_name(c.op)));
  return *p;
}

std::string case_name(const Case& c) {
  std::string n = (c.dialect == Dialect::Tokpidjin ? "tok_" : "") + primitive_of(c).name + "_" + std::to_string(c.h0) +
                  "x" + std::to_string(c.w0);
  if (grid_inputs(c.op) == 2) n += "_" + std::to_string(c.h1) + "x" + std::to_string(c.w1);
  auto num = [](std::int64_t v) { return v < 0 ? "m" + std::to_string(-v) : std::to_string(v); };
  if (int_inputs(c.op) >= 1) n += "_a" + num(c.a);
  if (int_inputs(c.op) >= 2) n += "_b" + num(c.b);
  if (c.colours != 10) n += "_wide";
  return n;
}

void PrintTo(const Case& c, std::ostream* os) { *os << case_name(c); }

Grid random_grid(std::int32_t h, std::int32_t w, int colours, std::mt19937& rng) {
  Grid g(h, w);
  std::uniform_int_distribution<int> d(0, colours - 1);
  for (auto& c : g.cells) c = d(rng) - (colours > 10 ? colours / 3 : 0);
  return g;
}

// Edge shapes (1x1, one row, one column, odd and even sides, 30x30) for every op, with arguments at and
// around their edges; then random shapes.
std::vector<Case> cases() {
  const std::vector<std::pair<int, int>> shapes = {{1, 1}, {1, 5}, {5, 1}, {2, 2}, {3, 7}, {7, 3}, {4, 6}, {30, 30}};
  std::vector<Case> out;
  for (int k = 0; k < kGridOpCount; ++k) {
    const GridOp op = static_cast<GridOp>(k);
    for (auto [h, w] : shapes) {
      if (grid_inputs(op) == 2) {
        for (auto [h1, w1] : std::vector<std::pair<int, int>>{{h, w}, {h + 1, w}, {h, w + 2}, {2, 2}})
          for (std::int64_t a : int_inputs(op) ? std::vector<std::int64_t>{0, 7, -1} : std::vector<std::int64_t>{0})
            out.push_back({op, h, w, h1, w1, a});
      } else if (int_inputs(op) == 1) {
        for (std::int64_t a : {-3, -1, 0, 1, 2, 3, 31})
          if (!(h == 30 && a == 31)) out.push_back({op, h, w, 0, 0, a});
      } else if (int_inputs(op) == 2) {
        for (auto [a, b] : std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 5}, {3, 3}, {1, 2}, {9, 0}, {4, 11}, {2, 4'000'000'000}})
          out.push_back({op, h, w, 0, 0, a, b});
      } else {
        out.push_back({op, h, w});
      }
    }
  }
  // values beyond ARC's colours: replace/switch/cellwise compare them as ints
  for (GridOp op : {GridOp::Replace, GridOp::Switch, GridOp::Rot90})
    out.push_back({op, 6, 5, 0, 0, -4, 12, 30});
  out.push_back({GridOp::Cellwise, 6, 5, 6, 5, -4, 0, 30});
  std::mt19937 rng(2026);
  std::uniform_int_distribution<int> side(1, 30), small(-2, 4), kind(0, kGridOpCount - 1);
  for (int n = 0; n < 60; ++n) {
    const GridOp op = static_cast<GridOp>(kind(rng));
    Case c{op, side(rng), side(rng)};
    if (grid_inputs(op) == 2) c.h1 = side(rng), c.w1 = rng() % 2 ? c.w0 : side(rng);
    c.a = small(rng);
    c.b = small(rng) + 3;
    out.push_back(c);
  }
  // The same cases for every tokpidjin primitive with a device body: its own body (safe_dsl's defaults,
  // its charges) must give what the device gives wherever out_shape takes the shapes.
  const std::size_t arc = out.size();
  for (std::size_t k = 0; k < arc; ++k)
    if (device_primitive(out[k].op, Dialect::Tokpidjin)) {
      Case c = out[k];
      c.dialect = Dialect::Tokpidjin;
      out.push_back(c);
    }
  return out;
}

// The CPU reference's value for a case: the primitive's body on the grids and integers, as a call
// makes it (a tokpidjin primitive through its safe_dsl net).
Value reference(const Case& c, const Grid& g0, const Grid& g1) {
  const cpu::PrimitiveInfo& p = primitive_of(c);
  std::vector<Value> args = {make_grid(g0)};
  if (grid_inputs(c.op) == 2) args.push_back(make_grid(g1));
  if (int_inputs(c.op) >= 1) args.push_back(Value::integer(c.a));
  if (int_inputs(c.op) >= 2) args.push_back(Value::integer(c.b));
  return cpu::call(Value::primitive(cpu::primitive_id(p.name, c.dialect)), args);
}

using Launcher = PackedBatch<std::int32_t> (*)(const GridOpCall&, const PackedBatch<std::int32_t>&,
                                               const PackedBatch<std::int32_t>*);

// Runs one case on a launcher and compares with the reference. A case out_shape does not take must be
// one whose reference is not a grid of that size (a tuple, an error): a shape rule never refuses what the
// device could have done silently wrong, and never accepts what it cannot.
void check(const Case& c, Launcher launch) {
  std::mt19937 rng(static_cast<std::uint32_t>(std::hash<std::string>{}(case_name(c))));
  const Grid g0 = random_grid(c.h0, c.w0, c.colours, rng);
  const Grid g1 = grid_inputs(c.op) == 2 ? random_grid(c.h1, c.w1, c.colours, rng) : Grid(1, 1);
  const GridShape shape = out_shape(c.op, c.h0, c.w0, c.h1, c.w1, c.a, c.b);
  std::optional<Value> expected;
  std::string error;
  try {
    expected = reference(c, g0, g1);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!shape.supported()) {
    // out of the device's cases: the reference must not be a non-empty grid the device could have made
    // (an error, an empty tuple or a tuple of empty rows), except where it was refused for size or for a
    // colour past int32 (which the CPU keeps as a grid only when that colour never occurs)
    // (A refusal is always safe: the CPU runs the case. This holds the shape rules to arc-dsl's bodies, for
    // which they were written; tokpidjin's cellwise takes a smaller second grid, which the device refuses.)
    const bool int32_args = c.a >= kMinCell && c.a <= kMaxCell && c.b >= kMinCell && c.b <= kMaxCell;
    if (expected && expected->kind() == Kind::Grid && int32_args && c.dialect == Dialect::ArcDsl) {
      EXPECT_TRUE(expected->grid().w == 0 || std::int64_t{expected->grid().h} * expected->grid().w > kMaxDeviceCells)
          << case_name(c) << ": the CPU makes a " << expected->grid().h << "x" << expected->grid().w
          << " grid, the device refuses";
    }
    return;
  }
  ASSERT_TRUE(expected.has_value()) << case_name(c) << ": the device takes a case the CPU raises on: " << error;
  ASSERT_EQ(expected->kind(), Kind::Grid) << case_name(c) << ": the CPU result is " << repr(*expected);
  // The work units: one call, and the cells charged_cells says, as the reference charges its budget.
  {
    Budget budget;
    BudgetScope scope(&budget);
    std::vector<Value> args = {make_grid(g0)};
    if (grid_inputs(c.op) == 2) args.push_back(make_grid(g1));
    if (int_inputs(c.op) >= 1) args.push_back(Value::integer(c.a));
    if (int_inputs(c.op) >= 2) args.push_back(Value::integer(c.b));
    const std::int64_t cells0 = budget.cells_used, calls0 = budget.calls_used;
    cpu::call(Value::primitive(cpu::primitive_id(primitive_of(c).name, c.dialect)), args);
    const bool present = std::find(g0.cells.begin(), g0.cells.end(), c.a) != g0.cells.end();
    EXPECT_EQ(budget.cells_used - cells0, charged_cells(primitive_of(c).device_charge, c.op, c.a, shape, present))
        << case_name(c) << ": cells";
    EXPECT_EQ(budget.calls_used - calls0, 1) << case_name(c) << ": calls";
  }
  const auto in0 = PackedBatch<std::int32_t>::pack({g0});
  const auto in1 = PackedBatch<std::int32_t>::pack({g1});
  const auto out = launch(GridOpCall{c.op, c.a, c.b}, in0, grid_inputs(c.op) == 2 ? &in1 : nullptr);
  ASSERT_EQ(out.count(), 1);
  EXPECT_EQ(out.unpack(0), expected->grid()) << case_name(c);
}

class HostParity : public ::testing::TestWithParam<Case> {};
TEST_P(HostParity, MatchesTheCpuReference) { check(GetParam(), run_grid_op_host); }
INSTANTIATE_TEST_SUITE_P(GridOps, HostParity, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return case_name(i.param) + "_" + std::to_string(i.index); });

class GpuParity : public ::testing::TestWithParam<Case> {};
TEST_P(GpuParity, MatchesTheCpuReference) {
#ifdef MEGABATCH_HAS_CUDA
  if (device_count() == 0) GTEST_SKIP() << "no CUDA device";
  check(GetParam(), run_grid_op_device);
#else
  GTEST_SKIP() << "built without CUDA";
#endif
}
INSTANTIATE_TEST_SUITE_P(GridOps, GpuParity, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& i) { return case_name(i.param) + "_" + std::to_string(i.index); });

// Every op has device cases in the suite (none is only ever refused), and many grids at once give each
// its own answer (the launchers index grids by offset).
TEST(GridOpsSuite, EveryOpHasCasesTheDeviceTakes) {
  std::vector<int> taken(kGridOpCount, 0);
  for (const Case& c : cases()) taken[static_cast<int>(c.op)] += c.dialect == Dialect::ArcDsl && out_shape(c.op, c.h0, c.w0, c.h1, c.w1, c.a, c.b).supported();
  for (int k = 0; k < kGridOpCount; ++k) EXPECT_GE(taken[k], 5) << op_name(static_cast<GridOp>(k));
  for (int k = 0; k < kGridOpCount; ++k) {
    const auto p = cpu::find_primitive(op_name(static_cast<GridOp>(k)), Dialect::ArcDsl);
    EXPECT_NE(p, nullptr) << op_name(static_cast<GridOp>(k));
  }
  // The descriptors name the device bodies: each op is the body of exactly the arc-dsl primitive of its name.
  for (int k = 0; k < kGridOpCount; ++k)
    EXPECT_EQ(cpu::find_primitive(op_name(static_cast<GridOp>(k)), Dialect::ArcDsl)->device, static_cast<GridOp>(k))
        << op_name(static_cast<GridOp>(k));
  int with_body = 0;
  for (const cpu::PrimitiveInfo& p : cpu::primitives()) with_body += p.dialect == Dialect::ArcDsl && p.device.has_value();
  EXPECT_EQ(with_body, kGridOpCount);
  // tokpidjin's primitives with a device body have cases of their own, which the device takes too.
  std::map<std::string, int> tok_taken;
  for (const Case& c : cases())
    if (c.dialect == Dialect::Tokpidjin)
      tok_taken[primitive_of(c).name] += out_shape(c.op, c.h0, c.w0, c.h1, c.w1, c.a, c.b).supported();
  for (const cpu::PrimitiveInfo& p : cpu::primitives())
    if (p.dialect == Dialect::Tokpidjin && p.device) {
      EXPECT_GE(tok_taken[p.name], 5) << p.name;
    }
  EXPECT_EQ(cpu::find_primitive("objects", Dialect::ArcDsl)->device, std::nullopt);
}

// A body chosen by an integer (tokpidjin's mir_rot_t by angle): for every angle and edge shapes, the CPU's
// value, calls and cells are the selected op's on the device (or the grid itself, one call, no cells).
TEST(GridOpsSuite, MirRotTIsTheDeviceOpItsAngleSelects) {
  const cpu::PrimitiveInfo* p = cpu::find_primitive("mir_rot_t", Dialect::Tokpidjin);
  ASSERT_NE(p, nullptr);
  ASSERT_NE(p->device_select, nullptr);
  int with_select = 0;
  for (const cpu::PrimitiveInfo& q : cpu::primitives()) with_select += q.device_select != nullptr;
  EXPECT_EQ(with_select, 1);
  const Value f = Value::primitive(cpu::primitive_id("mir_rot_t", Dialect::Tokpidjin));
  std::mt19937 rng(11);
  for (auto [h, w] : std::vector<std::pair<int, int>>{{1, 1}, {1, 5}, {3, 7}, {4, 4}, {30, 30}, {29, 2}})
    for (std::int64_t angle = -2; angle <= 10; ++angle) {
      const std::string what = "mir_rot_t(" + std::to_string(h) + "x" + std::to_string(w) + ", " + std::to_string(angle) + ")";
      const Grid g = random_grid(h, w, 10, rng);
      const std::vector<Value> args = {make_grid(g), Value::integer(angle)};
      Budget budget;
      BudgetScope scope(&budget);
      const Value cpu_value = cpu::call(f, args);
      const DeviceSelection pick = p->device_select(angle);
      ASSERT_EQ(cpu_value.kind(), Kind::Grid) << what;
      EXPECT_EQ(budget.calls_used, pick.calls) << what;
      if (pick.identity) {
        EXPECT_EQ(cpu_value.grid(), g) << what;
        EXPECT_EQ(budget.cells_used, 0) << what;
        continue;
      }
      const GridShape shape = out_shape(pick.op, h, w, 0, 0, 0, 0);
      ASSERT_TRUE(shape.supported()) << what;
      EXPECT_EQ(budget.cells_used, charged_cells(pick.op, 0, shape, false)) << what;
      const auto out = run_grid_op_host({pick.op}, PackedBatch<std::int32_t>::pack({g}));
      EXPECT_EQ(out.unpack(0), cpu_value.grid()) << what;
    }
}

TEST(GridOpsSuite, ABatchOfManyGridsGivesEachItsOwnResult) {
  std::mt19937 rng(7);
  std::vector<Grid> grids;
  for (int n = 0; n < 200; ++n) grids.push_back(random_grid(1 + n % 30, 1 + (n * 7) % 30, 10, rng));
  const auto in = PackedBatch<std::int32_t>::pack(grids);
  const auto out = run_grid_op_host({GridOp::Upscale, 2}, in);
  for (int n = 0; n < 200; ++n)
    EXPECT_EQ(out.unpack(n), reference({GridOp::Upscale, grids[n].h, grids[n].w, 0, 0, 2}, grids[n], grids[n]).grid()) << n;
  EXPECT_THROW(run_grid_op_host({GridOp::Tophalf}, PackedBatch<std::int32_t>::pack({grids[0]})), std::invalid_argument);
  EXPECT_THROW(run_grid_op_host({GridOp::Hconcat}, in), std::invalid_argument);  // no second batch
}

}  // namespace
}  // namespace megabatch::gpu
