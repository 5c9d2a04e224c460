// The copy op's CPU path: the CopyGrid body under the tbb launcher.
#include "gpu/copy_batch.hpp"

#include "gpu/launch_host.hpp"
#include "gpu/ops/copy_grid.hpp"

namespace megabatch::gpu {
namespace {

template <class Cell>
PackedBatch<Cell> copy_host(const PackedBatch<Cell>& in) {
  PackedBatch<Cell> out = in.zeros_like();
  launch_host(CopyGrid<Cell>{in.view(), out.view()}, in.count());
  return out;
}

}  // namespace

PackedBatch<std::uint8_t> copy_batch_host(const PackedBatch<std::uint8_t>& in) { return copy_host(in); }
PackedBatch<std::int32_t> copy_batch_host(const PackedBatch<std::int32_t>& in) { return copy_host(in); }

}  // namespace megabatch::gpu
