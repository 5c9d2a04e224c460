// CPU launcher of per-cell ops: tbb::parallel_for over grids, a plain loop over each grid's cells. It runs the very
// body the CUDA kernel runs (launch_device.cuh), so CPU-only CI exercises the device logic.
#pragma once
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstdint>

namespace megabatch::gpu {

template <class Op>
void launch_host(const Op& op, std::int32_t grids) {
  tbb::parallel_for(tbb::blocked_range<std::int32_t>(0, grids), [&op](const tbb::blocked_range<std::int32_t>& r) {
    for (std::int32_t g = r.begin(); g != r.end(); ++g)
      for (std::int64_t i = 0, n = op.cells(g); i < n; ++i) op(g, i);
  });
}

}  // namespace megabatch::gpu
