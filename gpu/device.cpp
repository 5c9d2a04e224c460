// device_count(): the CUDA runtime's C API is plain C++, so this file needs no nvcc.
#include "gpu/device.hpp"

#ifdef MEGABATCH_HAS_CUDA
#include <cuda_runtime_api.h>
#endif

namespace megabatch::gpu {

int device_count() {
#ifdef MEGABATCH_HAS_CUDA
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // no driver or no device is an answer (0), not an error to leave pending
    return 0;
  }
  return count;
#else
  return 0;
#endif
}

}  // namespace megabatch::gpu
