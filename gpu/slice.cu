// DeviceSliceRunner: a plan on one CUDA device. Everything the plan needs goes up in one pinned staging
// buffer (five async copies), every step runs in place on the device arena, and the gathered results and
// the replace flags come back through the same staging buffer: one synchronisation a batch.
#include "gpu/cuda_raii.cuh"
#include "gpu/launch_device.cuh"
#include "gpu/slice.hpp"

#include <cstring>
#include <exception>

namespace megabatch::gpu {

namespace {

// The part of a staging buffer a section starts at: 256-byte aligned, as cudaMalloc aligns.
constexpr std::size_t align_up(std::size_t n) { return (n + 255) / 256 * 256; }

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.size() * sizeof(T);
}

}  // namespace

struct DeviceSliceRunner::Impl {
  Stream stream;
  CachedDeviceBuffer arena, offsets, heights, widths, rows, present;
  PinnedBuffer staging;
};

DeviceSliceRunner::DeviceSliceRunner(int device) : device_(device) {
  MEGABATCH_CUDA_CHECK(cudaSetDevice(device_));
  impl_ = std::make_unique<Impl>();
}

DeviceSliceRunner::~DeviceSliceRunner() {
  // The buffers and the stream belong to this device: free them with it current.
  cudaSetDevice(device_);
  impl_.reset();
}

std::size_t DeviceSliceRunner::device_bytes() const {
  const Impl& m = *impl_;
  return m.arena.capacity() + m.offsets.capacity() + m.heights.capacity() + m.widths.capacity() +
         m.rows.capacity() + m.present.capacity();
}

std::size_t DeviceSliceRunner::pinned_bytes() const { return impl_->staging.capacity(); }

SliceOutput DeviceSliceRunner::run(const SlicePlan& plan) {
  SliceOutput out = output_layout(plan);
  MEGABATCH_CUDA_CHECK(cudaSetDevice(device_));
  Impl& m = *impl_;
  cudaStream_t s = m.stream.get();
  // A failed call below may leave copies and kernels queued on the stream that read or write the kept
  // buffers: wait for them before anything can regrow or reuse those buffers.
  struct DrainOnThrow {
    cudaStream_t stream;
    int exceptions = std::uncaught_exceptions();
    ~DrainOnThrow() {
      if (std::uncaught_exceptions() > exceptions) cudaStreamSynchronize(stream);
    }
  } drain{s};

  const std::size_t cells_bytes = static_cast<std::size_t>(plan.total_cells()) * sizeof(std::int32_t);
  m.arena.reserve(cells_bytes);
  m.offsets.reserve(bytes_of(plan.offsets()));
  m.heights.reserve(bytes_of(plan.heights()));
  m.widths.reserve(bytes_of(plan.widths()));
  m.rows.reserve(bytes_of(plan.rows()));
  m.present.reserve(out.present.size());

  // Staging holds the upload (inputs' cells and the four index arrays), then the download (results, flags).
  const std::size_t up[] = {bytes_of(plan.input_data()), bytes_of(plan.offsets()), bytes_of(plan.heights()),
                            bytes_of(plan.widths()), bytes_of(plan.rows())};
  std::size_t up_total = 0;
  for (std::size_t n : up) up_total += align_up(n);
  const std::size_t down_total = align_up(bytes_of(out.cells)) + align_up(out.present.size());
  m.staging.reserve(up_total > down_total ? up_total : down_total);

  char* staging = static_cast<char*>(m.staging.get());
  const void* sources[] = {plan.input_data().data(), plan.offsets().data(), plan.heights().data(),
                           plan.widths().data(), plan.rows().data()};
  void* targets[] = {m.arena.get(), m.offsets.get(), m.heights.get(), m.widths.get(), m.rows.get()};
  std::size_t at = 0;
  for (int k = 0; k < 5; ++k) {
    if (up[k] == 0) continue;
    std::memcpy(staging + at, sources[k], up[k]);
    MEGABATCH_CUDA_CHECK(cudaMemcpyAsync(targets[k], staging + at, up[k], cudaMemcpyHostToDevice, s));
    at += align_up(up[k]);
  }
  if (!out.present.empty()) MEGABATCH_CUDA_CHECK(cudaMemsetAsync(m.present.get(), 0, out.present.size(), s));

  auto* arena = static_cast<std::int32_t*>(m.arena.get());
  const BatchView<std::int32_t> view{arena, static_cast<const std::int64_t*>(m.offsets.get()),
                                     static_cast<const std::int32_t*>(m.heights.get()),
                                     static_cast<const std::int32_t*>(m.widths.get()), plan.grids()};
  const auto* rows = static_cast<const SliceRow*>(m.rows.get());
  auto* present = static_cast<std::uint8_t*>(m.present.get());
  // One launch per step, in order on one stream: a step reads what earlier ones wrote, on the device.
  for (const SliceStep& step : plan.steps())
    launch_device(SliceStepKernel<std::int32_t>{step, rows + step.first_row, view, present + step.first_row},
                  step.rows, s);

  const std::size_t result_bytes = bytes_of(out.cells);
  const std::size_t from = static_cast<std::size_t>(plan.total_cells()) * sizeof(std::int32_t) - result_bytes;
  if (result_bytes > 0)
    MEGABATCH_CUDA_CHECK(cudaMemcpyAsync(staging, reinterpret_cast<const char*>(arena) + from, result_bytes,
                                         cudaMemcpyDeviceToHost, s));
  const std::size_t flags_at = align_up(result_bytes);
  if (!out.present.empty())
    MEGABATCH_CUDA_CHECK(cudaMemcpyAsync(staging + flags_at, m.present.get(), out.present.size(),
                                         cudaMemcpyDeviceToHost, s));
  m.stream.synchronize();
  if (result_bytes > 0) std::memcpy(out.cells.data(), staging, result_bytes);
  if (!out.present.empty()) std::memcpy(out.present.data(), staging + flags_at, out.present.size());
  return out;
}

}  // namespace megabatch::gpu
