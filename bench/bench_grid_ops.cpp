// Throughput of the device grid ops over a batch of grids, per launcher: the CPU reference (each grid's
// arc-dsl primitive call, tbb::parallel_for over the batch), the GPU executor's host launcher (the op
// body by tbb), and the CUDA device (upload, one kernel, download: what a batch pays end to end).
// Named axes: grid_op/<op>/batch:N/launcher:0 (cpu reference), 1 (host), 2 (device; skipped without one).
// slice/program/batch:N/launcher:L: whole evaluations of a four-line program of device ops (rot90,
// hconcat, replace, vmirror) as the GPU executor runs a batch of them: one slice plan, built and run
// (launcher 2 keeps one DeviceSliceRunner, as an executor does), against the CPU calling the four
// primitives per sample on every core.
// MEGABATCH_BENCH_MAX_BATCH (default 16384) bounds the sweep; scripts/gpu-check.sh goes to 65536.
#include <benchmark/benchmark.h>
#include <tbb/parallel_for.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cpu/dsl/registry.hpp"
#include "gpu/device.hpp"
#include "gpu/grid_ops.hpp"
#include "gpu/slice.hpp"

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

// O = vmirror(replace(hconcat(I, rot90(I)), 0, 5)) over `batch` samples.
void slice_program(benchmark::State& state) {
  const auto batch = static_cast<std::size_t>(state.range(0));
  const int launcher = static_cast<int>(state.range(1));
  if (launcher == 2 && !(gpu::built_with_cuda() && gpu::device_count() > 0)) {
    state.SkipWithError("no CUDA device");
    return;
  }
  const std::vector<Grid> inputs = grids(batch, 3);
  if (launcher == 0) {
    const Value rot90 = Value::primitive(cpu::primitive_id("rot90")), hconcat = Value::primitive(cpu::primitive_id("hconcat"));
    const Value replace = Value::primitive(cpu::primitive_id("replace")), vmirror = Value::primitive(cpu::primitive_id("vmirror"));
    std::vector<Value> in;
    for (const Grid& g : inputs) in.push_back(make_grid(g));
    for (auto _ : state)
      tbb::parallel_for(std::size_t{0}, batch, [&](std::size_t k) {
        const Value x1 = cpu::call1(rot90, in[k]);
        const Value x2 = cpu::call2(hconcat, in[k], x1);
        const Value x3 = cpu::call(replace, std::vector<Value>{x2, Value::integer(0), Value::integer(5)});
        benchmark::DoNotOptimize(cpu::call1(vmirror, x3));
      });
  } else {
#ifdef MEGABATCH_HAS_CUDA
    std::unique_ptr<gpu::DeviceSliceRunner> runner;
    if (launcher == 2) runner = std::make_unique<gpu::DeviceSliceRunner>(0);
#endif
    for (auto _ : state) {
      gpu::SlicePlan plan;
      std::vector<std::int32_t> in, x1, x2, out;
      for (const Grid& g : inputs) in.push_back(plan.add_input(g));
      plan.add_step(GridOp::Rot90);
      for (std::int32_t g : in) x1.push_back(plan.add_row(g));
      plan.add_step(GridOp::Hconcat);
      for (std::size_t k = 0; k < batch; ++k) x2.push_back(plan.add_row(in[k], x1[k]));
      plan.add_step(GridOp::Replace, 0, 5);
      for (std::int32_t g : x2) out.push_back(plan.add_row(g));
      plan.add_step(GridOp::Vmirror);
      for (std::int32_t& g : out) g = plan.add_row(g);
      plan.gather(out);
#ifdef MEGABATCH_HAS_CUDA
      const gpu::SliceOutput result = runner ? runner->run(plan) : gpu::run_slice_host(plan);
#else
      const gpu::SliceOutput result = gpu::run_slice_host(plan);
#endif
      for (std::size_t k = 0; k < result.count(); ++k) benchmark::DoNotOptimize(result.result(k));
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
  auto* b = benchmark::RegisterBenchmark("slice/rot90_hconcat_replace_vmirror", slice_program);
  b->ArgNames({"batch", "launcher"})->UseRealTime()->Unit(benchmark::kMicrosecond);
  std::vector<long> sizes;
  for (long n = 1; n <= max_batch; n *= 4) sizes.push_back(n);
  if (sizes.back() != max_batch) sizes.push_back(max_batch);
  for (long n : sizes)
    for (int launcher : {0, 1, 2}) b->Args({n, launcher});
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
