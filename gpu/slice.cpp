// SlicePlan's layout rules and the host launcher's run of a plan.
#include "gpu/slice.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "gpu/grid_ops.hpp"
#include "gpu/launch_host.hpp"

namespace megabatch::gpu {

namespace {

std::string shape_text(GridShape s) { return std::to_string(s.h) + "x" + std::to_string(s.w); }

}  // namespace

std::int32_t SlicePlan::add_grid(GridShape s) {
  heights_.push_back(s.h);
  widths_.push_back(s.w);
  offsets_.push_back(offsets_.back() + std::int64_t{s.h} * s.w);
  return static_cast<std::int32_t>(heights_.size() - 1);
}

std::int32_t SlicePlan::add_input(const Grid& g) {
  if (!steps_.empty()) throw std::logic_error("SlicePlan: inputs come before the steps");
  if (g.h <= 0 || g.w <= 0) throw std::invalid_argument("SlicePlan: an input grid is empty");
  input_data_.insert(input_data_.end(), g.cells.begin(), g.cells.end());
  ++inputs_;
  return add_grid({g.h, g.w});
}

void SlicePlan::add_step(GridOp op, std::int64_t a, std::int64_t b) {
  if (first_result_ >= 0) throw std::logic_error("SlicePlan: no step after gather");
  steps_.push_back({op, false, a, b, static_cast<std::int32_t>(rows_.size()), 0});
}

std::int32_t SlicePlan::add_row(std::int32_t in0, std::int32_t in1) {
  if (steps_.empty() || steps_.back().copy) throw std::logic_error("SlicePlan: add_row needs an open step");
  SliceStep& step = steps_.back();
  const bool two = grid_inputs(step.op) == 2;
  const auto known = [&](std::int32_t g) { return g >= 0 && g < grids(); };
  if (!known(in0) || two != (in1 >= 0) || (two && !known(in1)))
    throw std::invalid_argument(std::string(op_name(step.op)) + ": row inputs " + std::to_string(in0) + ", " +
                                std::to_string(in1) + " are not " + (two ? "two" : "one") + " planned grid(s)");
  const GridShape s0 = shape(in0), s1 = two ? shape(in1) : GridShape{0, 0};
  const GridShape out = out_shape(step.op, s0.h, s0.w, s1.h, s1.w, step.a, step.b);
  if (!out.supported())
    throw std::invalid_argument(std::string(op_name(step.op)) + "(" + shape_text(s0) + (two ? ", " + shape_text(s1) : "") +
                                ") is not a device case");
  const std::int32_t g = add_grid(out);
  rows_.push_back({in0, two ? in1 : -1, g});
  ++step.rows;
  return g;
}

void SlicePlan::gather(std::span<const std::int32_t> sources) {
  if (first_result_ >= 0) throw std::logic_error("SlicePlan: gather is called once");
  for (std::int32_t src : sources)  // all checked first: a refused gather leaves the plan as it was
    if (src < 0 || src >= grids()) throw std::invalid_argument("SlicePlan: gather of an unplanned grid");
  first_result_ = grids();
  SliceStep copy{GridOp{}, true, 0, 0, static_cast<std::int32_t>(rows_.size()), 0};
  for (std::int32_t src : sources) {
    rows_.push_back({src, -1, add_grid(shape(src))});
    ++copy.rows;
  }
  steps_.push_back(copy);
}

Grid SliceOutput::result(std::size_t k) const {
  Grid g(heights[k], widths[k]);
  std::copy(cells.begin() + offsets[k], cells.begin() + offsets[k + 1], g.cells.begin());
  return g;
}

SliceOutput output_layout(const SlicePlan& plan) {
  if (plan.first_result() < 0) throw std::logic_error("SlicePlan: run before gather");
  SliceOutput out;
  const std::int64_t from = plan.offsets()[static_cast<std::size_t>(plan.first_result())];
  out.cells.resize(static_cast<std::size_t>(plan.total_cells() - from));
  for (std::int32_t g = plan.first_result(); g < plan.grids(); ++g) {
    out.heights.push_back(plan.heights()[g]);
    out.widths.push_back(plan.widths()[g]);
    out.offsets.push_back(plan.offsets()[g + 1] - from);
  }
  out.present.assign(plan.rows().size(), 0);
  return out;
}

SliceOutput run_slice_host(const SlicePlan& plan) {
  SliceOutput out = output_layout(plan);
  std::vector<std::int32_t> arena(static_cast<std::size_t>(plan.total_cells()));
  std::copy(plan.input_data().begin(), plan.input_data().end(), arena.begin());
  const BatchView<std::int32_t> view{arena.data(), plan.offsets().data(), plan.heights().data(), plan.widths().data(),
                                     plan.grids()};
  // Steps in order: each reads only grids that earlier steps (or the inputs) wrote.
  for (const SliceStep& step : plan.steps())
    launch_host(SliceStepKernel<std::int32_t>{step, plan.rows().data() + step.first_row, view,
                                              out.present.data() + step.first_row},
                step.rows);
  std::copy(arena.end() - static_cast<std::int64_t>(out.cells.size()), arena.end(), out.cells.begin());
  return out;
}

std::optional<std::string> self_test(const std::function<SliceOutput(const SlicePlan&)>& run, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> side(1, 30), colour(0, 9), small(-2, 3);
  for (int round = 0; round < 4; ++round) {
    SlicePlan plan;
    for (int k = 0; k < 16; ++k) {
      Grid g(side(rng), side(rng));
      for (auto& c : g.cells) c = colour(rng);
      plan.add_input(g);
    }
    // Every op once a round, over the grids earlier steps made that it takes (kept small: upscales chain,
    // and a device keeps the buffers its largest plan needed).
    for (int k = 0; k < kGridOpCount; ++k) {
      const GridOp op = static_cast<GridOp>((k + round) % kGridOpCount);
      const bool colours = op == GridOp::Replace || op == GridOp::Switch || op == GridOp::Cellwise;
      const std::int64_t a = colours ? colour(rng) : small(rng), b = colour(rng);
      std::vector<std::pair<std::int32_t, std::int32_t>> rows;
      for (std::int32_t g = 0; g < plan.grids(); ++g) {
        const GridShape s0 = plan.shape(g);
        if (std::int64_t{s0.h} * s0.w > 1000 || rng() % 2 || rows.size() >= 48) continue;
        const std::int32_t g1 = grid_inputs(op) == 2 ? static_cast<std::int32_t>(rng() % static_cast<std::uint32_t>(plan.grids())) : -1;
        const GridShape s1 = g1 >= 0 ? plan.shape(g1) : GridShape{0, 0};
        if (out_shape(op, s0.h, s0.w, s1.h, s1.w, a, b).supported()) rows.emplace_back(g, g1);
      }
      if (rows.empty()) continue;
      plan.add_step(op, a, b);
      for (auto [g0, g1] : rows) plan.add_row(g0, g1);
    }
    std::vector<std::int32_t> all(static_cast<std::size_t>(plan.grids()));
    for (std::int32_t g = 0; g < plan.grids(); ++g) all[static_cast<std::size_t>(g)] = g;
    plan.gather(all);
    const SliceOutput want = run_slice_host(plan);
    SliceOutput got;
    try {
      got = run(plan);
    } catch (const std::exception& e) {
      return "plan " + std::to_string(round) + ": " + e.what();
    }
    if (got.present != want.present) return "plan " + std::to_string(round) + ": replace's colour flags differ";
    if (got.count() != want.count()) return "plan " + std::to_string(round) + ": " + std::to_string(got.count()) +
                                            " results, " + std::to_string(want.count()) + " expected";
    for (std::size_t k = 0; k < want.count(); ++k) {
      if (got.result(k) == want.result(k)) continue;
      // Name the step that made the grid (the inputs come back as they went).
      std::string made = "an input";
      for (const SliceStep& step : plan.steps())
        for (std::int32_t r = step.first_row; r < step.first_row + step.rows; ++r)
          if (!step.copy && plan.rows()[static_cast<std::size_t>(r)].out == static_cast<std::int32_t>(k))
            made = std::string(op_name(step.op)) + "(a=" + std::to_string(step.a) + ", b=" + std::to_string(step.b) + ")";
      return "plan " + std::to_string(round) + ": grid " + std::to_string(k) + " (" + std::to_string(want.heights[k]) + "x" +
             std::to_string(want.widths[k]) + ", made by " + made + ") differs from the host launcher's";
    }
  }
  return std::nullopt;
}

}  // namespace megabatch::gpu
