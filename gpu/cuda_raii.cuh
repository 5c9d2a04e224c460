// CUDA error checks and RAII owners (device buffers, streams). Included by .cu files only: CPU code uses
// gpu/device.hpp. Calls that fail throw CudaError naming call, file, line and CUDA's error name; destructors
// never throw.
#pragma once
#include "gpu/device.hpp"

#include <cuda_runtime.h>

#include <cstddef>
#include <string>
#include <utility>

namespace megabatch::gpu {

inline void cuda_check(cudaError_t status, const char* call, const char* file, int line) {
  if (status == cudaSuccess) return;
  throw CudaError(std::string(file) + ":" + std::to_string(line) + ": " + call +
                  " failed: " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}

#define MEGABATCH_CUDA_CHECK(call) ::megabatch::gpu::cuda_check((call), #call, __FILE__, __LINE__)

// A non-blocking stream, destroyed with its owner.
class Stream {
 public:
  Stream() { MEGABATCH_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~Stream() {
    if (stream_) cudaStreamDestroy(stream_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  cudaStream_t get() const { return stream_; }
  void synchronize() const { MEGABATCH_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

 private:
  cudaStream_t stream_ = nullptr;
};

// `count` elements of T in device memory, freed with their owner. Move-only.
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count_ > 0) MEGABATCH_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count_ * sizeof(T)));
  }
  ~DeviceBuffer() {
    if (data_) cudaFree(data_);
  }
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(count_, other.count_);
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* get() const { return data_; }
  std::size_t size() const { return count_; }

  // Pageable host memory makes these copies synchronous; pinned staging buffers come with the real pipeline.
  void upload(const T* host, cudaStream_t stream) {
    if (count_ > 0)
      MEGABATCH_CUDA_CHECK(cudaMemcpyAsync(data_, host, count_ * sizeof(T), cudaMemcpyHostToDevice, stream));
  }
  void download(T* host, cudaStream_t stream) const {
    if (count_ > 0)
      MEGABATCH_CUDA_CHECK(cudaMemcpyAsync(host, data_, count_ * sizeof(T), cudaMemcpyDeviceToHost, stream));
  }

 private:
  T* data_ = nullptr;
  std::size_t count_ = 0;
};

// Bytes from one CUDA allocator kept between uses: reserve() reallocates only to grow (to twice the old
// size at least), so a runner that has seen its largest batch allocates no more. Contents are not kept
// on growth; callers make sure no work still uses the old bytes (the runners synchronise each run).
template <cudaError_t (*Alloc)(void**, std::size_t), cudaError_t (*Free)(void*)>
class GrowingBuffer {
 public:
  GrowingBuffer() = default;
  ~GrowingBuffer() {
    if (data_) Free(data_);
  }
  GrowingBuffer(const GrowingBuffer&) = delete;
  GrowingBuffer& operator=(const GrowingBuffer&) = delete;

  void reserve(std::size_t bytes) {
    if (bytes <= capacity_) return;
    const std::size_t grown = bytes > 2 * capacity_ ? bytes : 2 * capacity_;
    if (data_) MEGABATCH_CUDA_CHECK(Free(std::exchange(data_, nullptr)));
    capacity_ = 0;
    MEGABATCH_CUDA_CHECK(Alloc(&data_, grown));
    capacity_ = grown;
  }
  void* get() const { return data_; }
  std::size_t capacity() const { return capacity_; }

 private:
  void* data_ = nullptr;
  std::size_t capacity_ = 0;
};

// Device memory: cudaMalloc and cudaFree synchronise the device (Thrust's default allocator pays that on
// every temporary), so a device runner keeps its buffers.
using CachedDeviceBuffer = GrowingBuffer<cudaMalloc, cudaFree>;
// Page-locked host memory for staging transfers (cudaMemcpyAsync from pageable memory is synchronous and
// goes through a driver bounce buffer).
using PinnedBuffer = GrowingBuffer<cudaMallocHost, cudaFreeHost>;

}  // namespace megabatch::gpu
