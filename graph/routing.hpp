// The router's rule for the GPU: a fixed batch size (`batch.min_gpu_batch = N`), or one the run measures
// (`"auto"`): its first batches go alternately to the CPU and the GPU executor, each batch's executor
// time is recorded, and once both sides have kProbeBatches of them the threshold is where the GPU's
// fitted cost (a fixed cost a batch plus a cost an evaluation) falls below the CPU's (a cost an
// evaluation). The devices pay their start-up before the run (BatchExecutor::warm_up), a GPU batch
// that ran nothing on its device path is not a measurement, and the router offers the GPU only batches
// with device work (BatchExecutor::takes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <vector>

#include "graph/executors.hpp"

namespace megabatch::graph {

struct RouteSample {
  std::size_t evaluations = 0;
  double seconds = 0;
};

struct RoutingReport {
  bool automatic = false;
  // The smallest batch the GPU takes: the fixed setting, or what the probe found (kNever: the GPU lost
  // at every size the probe could fit). Until the probe decides, batches alternate.
  std::size_t threshold = 0;
  bool decided = false;
  std::vector<RouteSample> cpu, gpu;  // the probe's batches (automatic only)
  double cpu_seconds_per_evaluation = 0, gpu_seconds_per_batch = 0, gpu_seconds_per_evaluation = 0;
};

class GpuRouting {
 public:
  static constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t kProbeBatches = 3;  // measured batches a side before deciding

  // nullopt: "auto"; otherwise the fixed threshold.
  explicit GpuRouting(std::optional<std::size_t> fixed);

  // Where a batch of this many evaluations goes (thread-safe; the router calls it concurrently).
  Route route(std::size_t evaluations);
  // A batch came back from `route`'s executor after `seconds`, `device_rows` of its evaluations on a
  // device path (thread-safe).
  void observe(Route route, std::size_t evaluations, std::uint64_t device_rows, double seconds);
  RoutingReport report() const;

  // The decision rule, for tests: the CPU's seconds an evaluation (total over total), the GPU's by least
  // squares (a fixed part and a slope, neither negative); the smallest batch size at which the GPU's
  // line is below the CPU's, or kNever. `fit` receives the three coefficients.
  static std::size_t crossover(const std::vector<RouteSample>& cpu, const std::vector<RouteSample>& gpu,
                               RoutingReport* fit = nullptr);

 private:
  mutable std::mutex mutex_;
  RoutingReport report_;
  std::size_t out_cpu_ = 0, out_gpu_ = 0;  // probe batches routed and not yet back
};

}  // namespace megabatch::graph
