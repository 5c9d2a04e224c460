// Microbenchmarks of the hot primitives over grid sizes 3x3..30x30 (named axis: size).
// Grids are ARC-like: a background colour with a few single-colour blobs, from a fixed seed.
#include <benchmark/benchmark.h>

#include <random>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/registry.hpp"

namespace {

using megabatch::Grid;
using megabatch::Value;
namespace dsl = megabatch::cpu::dsl;

Value arc_like_grid(int n, unsigned seed = 7) {
  std::mt19937 rng(seed + n);
  Grid g(n, n, 0);
  std::uniform_int_distribution<int> colour(1, 9), pos(0, n - 1), len(1, std::max(1, n / 4));
  for (int blob = 0; blob < std::max(2, n / 3); ++blob) {
    int c = colour(rng), i0 = pos(rng), j0 = pos(rng), h = len(rng), w = len(rng);
    for (int i = i0; i < std::min(n, i0 + h); ++i)
      for (int j = j0; j < std::min(n, j0 + w); ++j) g.at(i, j) = c;
  }
  return megabatch::make_grid(std::move(g));
}

const Value T = Value::boolean(true), F = Value::boolean(false);

void set_items(benchmark::State& state) { state.SetItemsProcessed(state.iterations()); }

void BM_objects(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::objects(g, T, F, T));
  set_items(state);
}
void BM_ofcolor(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::ofcolor(g, Value::integer(0)));
  set_items(state);
}
void BM_fill(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  Value patch = dsl::ofcolor(g, Value::integer(0));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::fill(g, Value::integer(5), patch));
  set_items(state);
}
void BM_paint(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  Value obj = dsl::asobject(dsl::rot90(g));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::paint(g, obj));
  set_items(state);
}
void BM_replace(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::replace(g, Value::integer(0), Value::integer(3)));
  set_items(state);
}
void BM_rot90(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::rot90(g));
  set_items(state);
}
void BM_subgrid(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  Value objs = dsl::objects(g, T, F, T);
  Value obj = dsl::first(objs);
  for (auto _ : state) benchmark::DoNotOptimize(dsl::subgrid(obj, g));
  set_items(state);
}
void BM_shift(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  Value obj = dsl::asobject(g);
  Value offset = Value::pair(1, -1);
  for (auto _ : state) benchmark::DoNotOptimize(dsl::shift(obj, offset));
  set_items(state);
}
void BM_mapply(benchmark::State& state) {
  Value g = arc_like_grid(static_cast<int>(state.range(0)));
  Value objs = dsl::objects(g, T, F, T);
  Value outbox = Value::primitive(megabatch::cpu::primitive_id("outbox"));
  for (auto _ : state) benchmark::DoNotOptimize(dsl::mapply(outbox, objs));
  set_items(state);
}

#define MB_SIZES ->ArgName("size")->Arg(3)->Arg(10)->Arg(20)->Arg(30)
BENCHMARK(BM_objects) MB_SIZES;
BENCHMARK(BM_fill) MB_SIZES;
BENCHMARK(BM_paint) MB_SIZES;
BENCHMARK(BM_ofcolor) MB_SIZES;
BENCHMARK(BM_replace) MB_SIZES;
BENCHMARK(BM_rot90) MB_SIZES;
BENCHMARK(BM_subgrid) MB_SIZES;
BENCHMARK(BM_shift) MB_SIZES;
BENCHMARK(BM_mapply) MB_SIZES;

}  // namespace

BENCHMARK_MAIN();
