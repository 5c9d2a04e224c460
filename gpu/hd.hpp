// MEGABATCH_HD marks op bodies that run on both sides: __host__ __device__ under nvcc, nothing for g++,
// so the same functor compiles into the CUDA kernels and into the CPU (tbb) launcher.
#pragma once

#if defined(__CUDACC__)
#define MEGABATCH_HD __host__ __device__
#else
#define MEGABATCH_HD
#endif
