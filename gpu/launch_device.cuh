// CUDA launcher of per-cell ops (the device twin of launch_host.hpp): one block per grid, its threads striding
// over the grid's cells. Included by .cu files only.
#pragma once
#include "gpu/cuda_raii.cuh"

#include <algorithm>
#include <cstdint>

namespace megabatch::gpu {

template <class Op>
__global__ void for_each_cell_kernel(Op op, std::int32_t grids) {
  for (std::int32_t g = blockIdx.x; g < grids; g += gridDim.x)
    for (std::int64_t i = threadIdx.x, n = op.cells(g); i < n; i += blockDim.x) op(g, i);
}

// An ARC grid has at most 900 cells: 256 threads cover it in four strides and leave room for many blocks per SM.
inline constexpr int kThreadsPerGrid = 256;
// Past this many blocks the kernel loops over grids instead (gridDim.x itself allows 2^31-1).
inline constexpr std::int32_t kMaxBlocks = 1 << 20;

template <class Op>
void launch_device(const Op& op, std::int32_t grids, cudaStream_t stream) {
  if (grids <= 0) return;
  for_each_cell_kernel<<<std::min(grids, kMaxBlocks), kThreadsPerGrid, 0, stream>>>(op, grids);
  MEGABATCH_CUDA_CHECK(cudaGetLastError());
}

}  // namespace megabatch::gpu
