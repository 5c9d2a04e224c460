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

}  // namespace megabatch::gpu
