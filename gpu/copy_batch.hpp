// Public batch API of the copy op, the first op through the whole device path: pack, (upload, kernel, download)
// or the tbb launcher, unpack. Plain C++: callers never need nvcc.
#pragma once
#include "gpu/batch_layout.hpp"
#include "gpu/device.hpp"

#include <cstdint>

namespace megabatch::gpu {

// Runs CopyGrid on the CPU with launch_host.
PackedBatch<std::uint8_t> copy_batch_host(const PackedBatch<std::uint8_t>& in);
PackedBatch<std::int32_t> copy_batch_host(const PackedBatch<std::int32_t>& in);

#ifdef MEGABATCH_HAS_CUDA
// Runs CopyGrid on the current CUDA device; throws CudaError (call, file, line) when no device is usable.
PackedBatch<std::uint8_t> copy_batch_device(const PackedBatch<std::uint8_t>& in);
PackedBatch<std::int32_t> copy_batch_device(const PackedBatch<std::int32_t>& in);
#endif

}  // namespace megabatch::gpu
