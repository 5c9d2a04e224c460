// Device discovery and the CUDA path's error type. Plain C++: CPU code includes it whether or not CUDA is built.
#pragma once
#include <stdexcept>

namespace megabatch::gpu {

// A failed CUDA call; the message names the call, the source file and line, and CUDA's error name.
class CudaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether this build has the CUDA kernels (MEGABATCH_HAS_CUDA).
constexpr bool built_with_cuda() {
#ifdef MEGABATCH_HAS_CUDA
  return true;
#else
  return false;
#endif
}

// Usable CUDA devices: 0 when built without CUDA, when no driver is installed, or when no device is present.
int device_count();

}  // namespace megabatch::gpu
