// The device grid ops' table of names, their shape planning, and their CPU path (the tbb launcher).
#include "gpu/grid_ops.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "gpu/launch_host.hpp"

namespace megabatch::gpu {

namespace {

constexpr std::array<std::string_view, kGridOpCount> kNames = {
    "rot90",   "rot180",   "rot270",  "hmirror",  "vmirror",   "dmirror", "cmirror",
    "tophalf", "bottomhalf", "lefthalf", "righthalf", "trim",
    "upscale", "hupscale", "vupscale", "downscale",
    "replace", "switch",
    "hconcat", "vconcat",
    "cellwise",
};

void check_inputs(const GridOpCall& call, const PackedBatch<std::int32_t>& in0, const PackedBatch<std::int32_t>* in1) {
  if (grid_inputs(call.op) == 2 && (!in1 || in1->count() != in0.count()))
    throw std::invalid_argument(std::string(op_name(call.op)) + ": needs a second batch of " +
                                std::to_string(in0.count()) + " grids");
}

}  // namespace

std::string_view op_name(GridOp op) { return kNames[static_cast<std::size_t>(op)]; }

std::vector<GridShape> plan_shapes(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                   const PackedBatch<std::int32_t>* in1) {
  check_inputs(call, in0, in1);
  std::vector<GridShape> out(static_cast<std::size_t>(in0.count()));
  const bool two = grid_inputs(call.op) == 2;
  for (std::int32_t g = 0; g < in0.count(); ++g) {
    const auto k = static_cast<std::size_t>(g);
    out[k] = out_shape(call.op, in0.heights()[k], in0.widths()[k], two ? in1->heights()[k] : 0,
                       two ? in1->widths()[k] : 0, call.a, call.b);
  }
  return out;
}

PackedBatch<std::int32_t> output_for(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                     const PackedBatch<std::int32_t>* in1) {
  const std::vector<GridShape> shapes = plan_shapes(call, in0, in1);
  std::vector<std::int32_t> h(shapes.size()), w(shapes.size());
  for (std::size_t g = 0; g < shapes.size(); ++g) {
    if (!shapes[g].supported())
      throw std::invalid_argument(std::string(op_name(call.op)) + ": grid " + std::to_string(g) + " (" +
                                  std::to_string(in0.heights()[g]) + "x" + std::to_string(in0.widths()[g]) +
                                  ") is not a device case");
    h[g] = shapes[g].h;
    w[g] = shapes[g].w;
  }
  return PackedBatch<std::int32_t>::zeros(h, w);
}

PackedBatch<std::int32_t> run_grid_op_host(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                           const PackedBatch<std::int32_t>* in1) {
  PackedBatch<std::int32_t> out = output_for(call, in0, in1);
  const BatchView<const std::int32_t> second = grid_inputs(call.op) == 2 ? in1->view() : BatchView<const std::int32_t>{};
  launch_host(GridOpKernel<std::int32_t>{call.op, in0.view(), second, out.view(), call.a, call.b}, in0.count());
  return out;
}

}  // namespace megabatch::gpu
