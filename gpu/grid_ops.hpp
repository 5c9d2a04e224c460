// Public API of the device grid ops (gpu/ops/grid_ops.hpp): which arc-dsl primitives have a device
// body, what shapes a call gives, and the call over a packed batch under either launcher. Plain C++:
// callers never need nvcc.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "gpu/batch_layout.hpp"
#include "gpu/ops/grid_ops.hpp"

namespace megabatch::gpu {

struct GridOpCall {
  GridOp op;
  std::int64_t a = 0, b = 0;  // the integer arguments, in signature order
};

// The arc-dsl name of an op (which primitives have which device body is their descriptor's `device`
// field: cpu/dsl/primitive.hpp).
std::string_view op_name(GridOp op);

// The output shape of each grid of the call (kUnsupported where the device does not take it).
std::vector<GridShape> plan_shapes(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                   const PackedBatch<std::int32_t>* in1 = nullptr);

// The call over every grid of the batch (in1: the second grid of two-grid ops, as many as in0), by the
// tbb launcher. Throws std::invalid_argument naming the first grid out_shape does not take.
PackedBatch<std::int32_t> run_grid_op_host(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                           const PackedBatch<std::int32_t>* in1 = nullptr);
#ifdef MEGABATCH_HAS_CUDA
// The same on the current CUDA device: upload, one kernel, download.
PackedBatch<std::int32_t> run_grid_op_device(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                             const PackedBatch<std::int32_t>* in1 = nullptr);
#endif

// The output buffer of a call: out_shape's shapes, zeroed (shared by both launchers' paths).
PackedBatch<std::int32_t> output_for(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                     const PackedBatch<std::int32_t>* in1);

}  // namespace megabatch::gpu
