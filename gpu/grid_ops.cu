// The device grid ops' CUDA path: upload the inputs, run GridOpKernel in for_each_cell_kernel, download.
#include "gpu/device_batch.cuh"
#include "gpu/grid_ops.hpp"
#include "gpu/launch_device.cuh"

namespace megabatch::gpu {

PackedBatch<std::int32_t> run_grid_op_device(const GridOpCall& call, const PackedBatch<std::int32_t>& in0,
                                             const PackedBatch<std::int32_t>* in1) {
  PackedBatch<std::int32_t> out = output_for(call, in0, in1);
  if (in0.count() == 0) return out;
  Stream stream;
  DeviceBatch<std::int32_t> first(in0, stream.get());
  std::optional<DeviceBatch<std::int32_t>> second;
  if (grid_inputs(call.op) == 2) second.emplace(*in1, stream.get());
  DeviceBatch<std::int32_t> result(out, stream.get());
  GridOpKernel<std::int32_t> kernel{call.op,
                                    first.view<const std::int32_t>(first.cells.get()),
                                    second ? second->view<const std::int32_t>(second->cells.get())
                                           : BatchView<const std::int32_t>{},
                                    result.view<std::int32_t>(result.cells.get()),
                                    call.a,
                                    call.b};
  launch_device(kernel, in0.count(), stream.get());
  result.cells.download(out.cells().data(), stream.get());
  stream.synchronize();
  return out;
}

}  // namespace megabatch::gpu
