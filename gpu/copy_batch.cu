// The copy op's device path: upload the packed batch, run CopyGrid in for_each_cell_kernel, download.
#include "gpu/copy_batch.hpp"
#include "gpu/cuda_raii.cuh"
#include "gpu/device_batch.cuh"
#include "gpu/launch_device.cuh"
#include "gpu/ops/copy_grid.hpp"

namespace megabatch::gpu {
namespace {

template <class Cell>
PackedBatch<Cell> copy_device(const PackedBatch<Cell>& in) {
  PackedBatch<Cell> out = in.zeros_like();
  if (in.count() == 0) return out;
  Stream stream;
  DeviceBatch<Cell> input(in, stream.get());
  DeviceBuffer<Cell> output(out.cells().size());
  launch_device(
      CopyGrid<Cell>{input.template view<const Cell>(input.cells.get()), input.template view<Cell>(output.get())},
      in.count(), stream.get());
  output.download(out.cells().data(), stream.get());
  stream.synchronize();
  return out;
}

}  // namespace

PackedBatch<std::uint8_t> copy_batch_device(const PackedBatch<std::uint8_t>& in) { return copy_device(in); }
PackedBatch<std::int32_t> copy_batch_device(const PackedBatch<std::int32_t>& in) { return copy_device(in); }

}  // namespace megabatch::gpu
