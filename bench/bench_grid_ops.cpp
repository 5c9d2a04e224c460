// Throughput of the device grid ops over a batch of grids, per launcher: the CPU reference (each grid's
// arc-dsl primitive call, tbb::parallel_for over the batch), the GPU executor's host launcher (the op
// body by tbb), and the CUDA device (upload, one kernel, download: what a batch pays end to end).
// Named axes: grid_op/<op>/batch:N/launcher:0 (cpu reference), 1 (host), 2 (device; skipped without one).
// MEGABATCH_BENCH_MAX_BATCH (default 16384) bounds the sweep; scripts/gpu-check.sh goes to 65536.
#include <benchmark/benchmark.h>
#include <tbb/parallel_for.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "gpu/device.hpp"
#include "gpu/grid_ops.hpp"

namespace {

using namespace megabatch;
using gpu::GridOp;

// ARC-sized grids (3x3 to 30x30), a few colours, from a fixed seed.
std::vector<Grid> grids(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> side(3, 30), colour(0, 9);
  std::vector<Grid> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    Grid g(side(rng), side(rng));
    for (auto& c : g.cells) c = colour(rng) < 7 ? 0 : colour(rng);
    out.push_back(std::move(g));
  }
  return out;
}

// Arguments every grid of the sweep takes (3x3 and up): factor 2, colours 0 and 5.
gpu::GridOpCall call_of(GridOp op) { return {op, op == GridOp::Cellwise ? 0 : 2, 5}; }

void grid_op(benchmark::State& state, GridOp op) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const int launcher = static_cast<int>(state.range(1));
  if (launcher == 2 && !(gpu::built_with_cuda() && gpu::device_count() > 0)) {
    state.SkipWithError("no CUDA device");
    return;
  }
  const std::vector<Grid> first = grids(batch, 1), second = grids(batch, 2);
  // two-grid ops get partners of a shape they take
  std::vector<Grid> partner;
  for (std::size_t k = 0; k < batch; ++k) {
    Grid g = second[k];
    if (op == GridOp::Vconcat || op == GridOp::Cellwise) g = Grid(first[k].h + (op == GridOp::Vconcat ? 2 : 0), first[k].w);
    partner.push_back(std::move(g));
  }
  const gpu::GridOpCall call = call_of(op);
  const bool two = gpu::grid_inputs(op) == 2;
  if (launcher == 0) {
    const int id = cpu::primitive_id(gpu::op_name(op), Dialect::ArcDsl);
    std::vector<std::vector<Value>> args(batch);
    for (std::size_t k = 0; k < batch; ++k) {
      args[k].push_back(make_grid(first[k]));
      if (two) args[k].push_back(make_grid(partner[k]));
      for (int n = 0; n < gpu::int_inputs(op); ++n) args[k].push_back(Value::integer(n == 0 ? call.a : call.b));
    }
    const Value f = Value::primitive(id);
    for (auto _ : state)
      tbb::parallel_for(std::size_t{0}, batch, [&](std::size_t k) { benchmark::DoNotOptimize(cpu::call(f, args[k])); });
  } else {
    for (auto _ : state) {
      // packing and unpacking are part of what a batch pays
      const auto in0 = gpu::PackedBatch<std::int32_t>::pack(first);
      const auto in1 = gpu::PackedBatch<std::int32_t>::pack(two ? partner : std::vector<Grid>{});
#ifdef MEGABATCH_HAS_CUDA
      auto out = launcher == 2 ? gpu::run_grid_op_device(call, in0, two ? &in1 : nullptr)
                               : gpu::run_grid_op_host(call, in0, two ? &in1 : nullptr);
#else
      auto out = gpu::run_grid_op_host(call, in0, two ? &in1 : nullptr);
#endif
      benchmark::DoNotOptimize(out.unpack_all());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

const bool registered = [] {
  long max_batch = 16384;
  if (const char* v = std::getenv("MEGABATCH_BENCH_MAX_BATCH")) max_batch = std::max(1L, std::atol(v));
  for (int k = 0; k < gpu::kGridOpCount; ++k) {
    const GridOp op = static_cast<GridOp>(k);
    auto* b = benchmark::RegisterBenchmark(("grid_op/" + std::string(gpu::op_name(op))).c_str(),
                                           [op](benchmark::State& s) { grid_op(s, op); });
    b->ArgNames({"batch", "launcher"})->UseRealTime()->Unit(benchmark::kMicrosecond);
    long last = 0;
    for (long n = 1; n <= max_batch; n *= 16, last = n / 16)
      for (int launcher : {0, 1, 2}) b->Args({n, launcher});
    if (last != max_batch)  // the bound itself, when the x16 steps skip it
      for (int launcher : {0, 1, 2}) b->Args({max_batch, launcher});
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
