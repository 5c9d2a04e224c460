// Slice plans (gpu/slice.hpp): a batch's device rows laid out in one arena and run step by step in place.
// Random plans (chains of every op over several inputs, rows sharing their inputs, two-grid ops reading
// grids from different steps) against the CPU reference applied one call at a time; the replace flags
// against the input grids; the plan's refusals. The GpuSlice cases run the same plans on a CUDA device
// and compare with the host launcher; they are labelled `gpu` and skip without a device.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "engine/value.hpp"
#include "gpu/device.hpp"
#include "gpu/grid_ops.hpp"
#include "gpu/slice.hpp"

namespace megabatch::gpu {
namespace {

Grid random_grid(std::int32_t h, std::int32_t w, std::mt19937& rng) {
  Grid g(h, w);
  std::uniform_int_distribution<int> d(0, 9);
  for (auto& c : g.cells) c = d(rng);
  return g;
}

// The arc-dsl primitive of `op` on grids and integers, as the CPU evaluator calls it.
Grid reference(GridOp op, std::int64_t a, std::int64_t b, const Grid& x, const Grid* y) {
  const cpu::PrimitiveInfo* p = cpu::find_primitive(op_name(op), Dialect::ArcDsl);
  std::vector<Value> args = {make_grid(x)};
  if (y) args.push_back(make_grid(*y));
  if (int_inputs(op) >= 1) args.push_back(Value::integer(a));
  if (int_inputs(op) >= 2) args.push_back(Value::integer(b));
  return p->fn(args.data()).grid();
}

// A random plan and what each of its grids must hold, computed by the reference.
struct RandomPlan {
  SlicePlan plan;
  std::vector<Grid> expected;       // by arena grid
  std::vector<std::uint8_t> present;  // by row
  std::vector<std::int32_t> gathered;
};

RandomPlan random_plan(std::uint32_t seed, int inputs, int steps) {
  std::mt19937 rng(seed);
  RandomPlan r;
  for (int k = 0; k < inputs; ++k) {
    std::uniform_int_distribution<int> side(1, 12);
    r.expected.push_back(random_grid(side(rng), side(rng), rng));
    r.plan.add_input(r.expected.back());
  }
  std::uniform_int_distribution<int> kind(0, kGridOpCount - 1), small(-2, 3), colour(0, 9);
  for (int s = 0; s < steps; ++s) {
    const GridOp op = static_cast<GridOp>(kind(rng));
    const std::int64_t a = op == GridOp::Replace || op == GridOp::Switch || op == GridOp::Cellwise ? colour(rng) : small(rng);
    const std::int64_t b = colour(rng);
    // Rows over any earlier grids whose shapes the op takes (and that stay small: chains of upscale grow).
    std::vector<std::pair<std::int32_t, std::int32_t>> rows;
    for (std::int32_t g = 0; g < r.plan.grids(); ++g) {
      const GridShape s0 = r.plan.shape(g);
      if (std::int64_t{s0.h} * s0.w > 400 || rng() % 3 == 0) continue;
      std::int32_t g1 = -1;
      GridShape s1{0, 0};
      if (grid_inputs(op) == 2) {
        g1 = static_cast<std::int32_t>(rng() % static_cast<std::uint32_t>(r.plan.grids()));
        s1 = r.plan.shape(g1);
      }
      if (out_shape(op, s0.h, s0.w, s1.h, s1.w, a, b).supported()) rows.emplace_back(g, g1);
    }
    if (rows.empty()) continue;
    r.plan.add_step(op, a, b);
    for (auto [g0, g1] : rows) {
      const Grid& x = r.expected[static_cast<std::size_t>(g0)];
      r.present.push_back(op == GridOp::Replace && std::find(x.cells.begin(), x.cells.end(), a) != x.cells.end());
      r.expected.push_back(reference(op, a, b, x, g1 >= 0 ? &r.expected[static_cast<std::size_t>(g1)] : nullptr));
      EXPECT_EQ(r.plan.add_row(g0, g1), static_cast<std::int32_t>(r.expected.size() - 1));
    }
  }
  // Gather every fourth grid, and input 0 (a program that returns I), and one grid twice.
  for (std::int32_t g = 0; g < r.plan.grids(); g += 4) r.gathered.push_back(g);
  r.gathered.push_back(r.plan.grids() - 1);
  r.gathered.push_back(r.plan.grids() - 1);
  r.plan.gather(r.gathered);
  for (std::size_t k = 0; k < r.gathered.size(); ++k) r.present.push_back(0);  // the copy rows
  return r;
}

void check_output(const RandomPlan& r, const SliceOutput& out, const std::string& what) {
  ASSERT_EQ(out.count(), r.gathered.size()) << what;
  for (std::size_t k = 0; k < r.gathered.size(); ++k)
    EXPECT_EQ(out.result(k), r.expected[static_cast<std::size_t>(r.gathered[k])]) << what << ": result " << k;
  EXPECT_EQ(out.present, r.present) << what;
}

TEST(Slice, RandomPlansMatchTheCpuReferenceCallByCall) {
  int replace_rows = 0, two_grid_rows = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const RandomPlan r = random_plan(seed, 1 + static_cast<int>(seed % 6), 12);
    check_output(r, run_slice_host(r.plan), "seed " + std::to_string(seed));
    for (const SliceStep& s : r.plan.steps()) {
      replace_rows += !s.copy && s.op == GridOp::Replace ? s.rows : 0;
      two_grid_rows += !s.copy && grid_inputs(s.op) == 2 ? s.rows : 0;
    }
  }
  // The plans exercised what the layout has to get right: flags, and reads from two places.
  EXPECT_GT(replace_rows, 20);
  EXPECT_GT(two_grid_rows, 50);
}

TEST(Slice, TheArenaHoldsInputsThenStepsThenTheGatheredResults) {
  SlicePlan plan;
  Grid a(2, 3), b(1, 1);
  for (std::size_t k = 0; k < a.cells.size(); ++k) a.cells[k] = static_cast<Color>(k);
  b.cells[0] = 7;
  EXPECT_EQ(plan.add_input(a), 0);
  EXPECT_EQ(plan.add_input(b), 1);
  plan.add_step(GridOp::Rot90);
  EXPECT_EQ(plan.add_row(0), 2);
  EXPECT_EQ(plan.shape(2).h, 3);
  plan.add_step(GridOp::Replace, 7, 1);
  EXPECT_EQ(plan.add_row(1), 3);
  EXPECT_EQ(plan.add_row(0), 4);
  const std::vector<std::int32_t> results = {3, 2, 1};
  plan.gather(results);
  EXPECT_EQ(plan.first_result(), 5);
  EXPECT_EQ(plan.input_cells(), 7);
  EXPECT_EQ(plan.total_cells(), 7 + 6 + 1 + 6 + 1 + 6 + 1);
  const SliceOutput out = run_slice_host(plan);
  EXPECT_EQ(out.result(0).cells, std::vector<Color>{1});
  EXPECT_EQ(out.result(1), reference(GridOp::Rot90, 0, 0, a, nullptr));
  EXPECT_EQ(out.result(2), b);
  EXPECT_EQ(out.present, (std::vector<std::uint8_t>{0, 1, 0, 0, 0, 0}));  // replace found 7 in b, not in a
}

TEST(Slice, APlanRefusesWhatTheDeviceCannotHold) {
  SlicePlan plan;
  plan.add_input(Grid(1, 4));
  EXPECT_THROW(plan.add_row(0), std::logic_error);  // no open step
  plan.add_step(GridOp::Tophalf);
  try {
    plan.add_row(0);
    FAIL() << "tophalf of one row was planned";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("tophalf(1x4)"), std::string::npos) << e.what();
  }
  plan.add_step(GridOp::Hconcat);
  EXPECT_THROW(plan.add_row(0), std::invalid_argument);      // a second grid is needed
  EXPECT_THROW(plan.add_row(0, 9), std::invalid_argument);   // not a planned grid
  EXPECT_EQ(plan.add_row(0, 0), 1);
  EXPECT_THROW(plan.add_input(Grid(2, 2)), std::logic_error);  // inputs first
  EXPECT_THROW(run_slice_host(plan), std::logic_error);         // not gathered yet
  const std::vector<std::int32_t> bad = {1, 9};
  EXPECT_THROW(plan.gather(bad), std::invalid_argument);
  EXPECT_EQ(plan.grids(), 2) << "a refused gather adds nothing";
  const std::vector<std::int32_t> one = {1};
  plan.gather(one);
  EXPECT_THROW(plan.gather(one), std::logic_error);
  EXPECT_EQ(run_slice_host(plan).result(0).w, 8);
}

// The check a device passes before a run uses it: it finds a wrong cell, a lost flag and a failed call.
TEST(Slice, TheSelfTestCatchesADeviceThatDiffersFromTheHostLauncher) {
  EXPECT_EQ(self_test(run_slice_host), std::nullopt);
  // A device that gets one cell of one late grid wrong (the plan's last step, a transposing op's output).
  const auto wrong_cell = [](const SlicePlan& plan) {
    SliceOutput out = run_slice_host(plan);
    for (std::size_t k = out.count(); k-- > static_cast<std::size_t>(plan.inputs());)
      if (out.heights[k] * out.widths[k] > 1) {
        out.cells[static_cast<std::size_t>(out.offsets[k + 1] - 1)] += 1;
        break;
      }
    return out;
  };
  const auto found = self_test(wrong_cell);
  ASSERT_TRUE(found.has_value());
  EXPECT_NE(found->find("differs from the host launcher's"), std::string::npos) << *found;
  EXPECT_NE(found->find("made by "), std::string::npos) << *found;
  EXPECT_EQ(found->find("made by an input"), std::string::npos) << *found;
  const auto lost_flag = [](const SlicePlan& plan) {
    SliceOutput out = run_slice_host(plan);
    for (auto& f : out.present) f = 0;
    return out;
  };
  EXPECT_EQ(self_test(lost_flag), "plan 0: replace's colour flags differ");
  const auto failing = [](const SlicePlan&) -> SliceOutput { throw std::runtime_error("cudaMalloc failed"); };
  EXPECT_EQ(self_test(failing), "plan 0: cudaMalloc failed");
}

TEST(GpuSlice, DeviceRunsEqualTheHostLauncher) {
#ifdef MEGABATCH_HAS_CUDA
  if (device_count() == 0) GTEST_SKIP() << "no CUDA device";
  DeviceSliceRunner runner(0);
  // Growing and shrinking plans through one runner: its cached buffers are reused and regrown.
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const RandomPlan r = random_plan(seed * 7, 1 + static_cast<int>(seed % 9), 4 + static_cast<int>(seed % 13));
    check_output(r, runner.run(r.plan), "seed " + std::to_string(seed * 7));
  }
  EXPECT_GT(runner.device_bytes(), 0u);
  EXPECT_GT(runner.pinned_bytes(), 0u);
  EXPECT_EQ(self_test([&](const SlicePlan& plan) { return runner.run(plan); }), std::nullopt);
#else
  GTEST_SKIP() << "built without CUDA";
#endif
}

}  // namespace
}  // namespace megabatch::gpu
