// A packed batch's four arrays in device memory (RAII: DeviceBuffer frees them). Included by .cu files only.
#pragma once
#include "gpu/batch_layout.hpp"
#include "gpu/cuda_raii.cuh"

namespace megabatch::gpu {

// The four arrays of a PackedBatch on the device.
template <class Cell>
struct DeviceBatch {
  DeviceBuffer<Cell> cells;
  DeviceBuffer<std::int64_t> offsets;
  DeviceBuffer<std::int32_t> heights;
  DeviceBuffer<std::int32_t> widths;
  std::int32_t count;

  DeviceBatch(const PackedBatch<Cell>& host, cudaStream_t stream)
      : cells(host.cells().size()),
        offsets(host.offsets().size()),
        heights(host.heights().size()),
        widths(host.widths().size()),
        count(host.count()) {
    cells.upload(host.cells().data(), stream);
    offsets.upload(host.offsets().data(), stream);
    heights.upload(host.heights().data(), stream);
    widths.upload(host.widths().data(), stream);
  }

  // A view of `data` shaped like this batch (an op's output shares the input's shape arrays).
  template <class C>
  BatchView<C> view(C* data) const {
    return {data, offsets.get(), heights.get(), widths.get(), count};
  }
};

}  // namespace megabatch::gpu
