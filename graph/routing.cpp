#include "graph/routing.hpp"

#include <cmath>

#include <spdlog/spdlog.h>

namespace megabatch::graph {

GpuRouting::GpuRouting(std::optional<std::size_t> fixed) {
  report_.automatic = !fixed;
  report_.decided = fixed.has_value();
  report_.threshold = fixed.value_or(0);
}

Route GpuRouting::route(std::size_t evaluations) {
  std::lock_guard lock(mutex_);
  if (report_.decided) return evaluations >= report_.threshold ? Route::Gpu : Route::Cpu;
  // Probing: alternate until each side has kProbeBatches measured or on their way; while the last are
  // out, the rest goes to the CPU.
  const std::size_t gpu = report_.gpu.size() + out_gpu_, cpu = report_.cpu.size() + out_cpu_;
  if (gpu < kProbeBatches && gpu <= cpu) {
    ++out_gpu_;
    return Route::Gpu;
  }
  if (cpu < kProbeBatches) ++out_cpu_;
  return Route::Cpu;
}

void GpuRouting::observe(Route route, std::size_t evaluations, std::uint64_t device_rows, double seconds) {
  std::lock_guard lock(mutex_);
  if (report_.decided) return;
  std::size_t& out = route == Route::Gpu ? out_gpu_ : out_cpu_;
  if (out > 0) --out;
  if (route == Route::Gpu && device_rows == 0) return;  // the device did nothing: not a GPU measurement
  auto& side = route == Route::Gpu ? report_.gpu : report_.cpu;
  if (side.size() < kProbeBatches) side.push_back({evaluations, seconds});
  if (report_.cpu.size() < kProbeBatches || report_.gpu.size() < kProbeBatches) return;
  report_.threshold = crossover(report_.cpu, report_.gpu, &report_);
  report_.decided = true;
  if (report_.threshold == kNever)
    spdlog::info("routing: min_gpu_batch auto: the GPU was slower at every batch size measured ({:.1f} us an "
                 "evaluation on the CPU, {:.2f} ms a batch + {:.1f} us an evaluation on the GPU): every batch "
                 "stays on the CPU",
                 report_.cpu_seconds_per_evaluation * 1e6, report_.gpu_seconds_per_batch * 1e3,
                 report_.gpu_seconds_per_evaluation * 1e6);
  else
    spdlog::info("routing: min_gpu_batch auto = {} ({:.1f} us an evaluation on the CPU, {:.2f} ms a batch + "
                 "{:.1f} us an evaluation on the GPU)",
                 report_.threshold, report_.cpu_seconds_per_evaluation * 1e6, report_.gpu_seconds_per_batch * 1e3,
                 report_.gpu_seconds_per_evaluation * 1e6);
}

RoutingReport GpuRouting::report() const {
  std::lock_guard lock(mutex_);
  return report_;
}

std::size_t GpuRouting::crossover(const std::vector<RouteSample>& cpu, const std::vector<RouteSample>& gpu,
                                  RoutingReport* fit) {
  double cpu_n = 0, cpu_t = 0;
  for (const RouteSample& s : cpu) cpu_n += static_cast<double>(s.evaluations), cpu_t += s.seconds;
  const double c = cpu_n > 0 ? cpu_t / cpu_n : 0;
  // Least squares t = g0 + g1 n over the GPU's batches.
  double n_mean = 0, t_mean = 0;
  for (const RouteSample& s : gpu) n_mean += static_cast<double>(s.evaluations), t_mean += s.seconds;
  const double k = static_cast<double>(gpu.size());
  n_mean = k > 0 ? n_mean / k : 0;
  t_mean = k > 0 ? t_mean / k : 0;
  double sxx = 0, sxy = 0;
  for (const RouteSample& s : gpu) {
    const double dn = static_cast<double>(s.evaluations) - n_mean;
    sxx += dn * dn;
    sxy += dn * (s.seconds - t_mean);
  }
  double g1 = 0, g0 = 0;
  if (sxx > 0) {
    g1 = sxy / sxx;
    g0 = t_mean - g1 * n_mean;
  } else {  // every batch the same size: no slope to fit, all of it counts an evaluation
    g1 = n_mean > 0 ? t_mean / n_mean : 0;
  }
  // Noise can tilt a few points either way: a negative part means none.
  if (g1 < 0) g1 = 0, g0 = t_mean;
  if (g0 < 0) g0 = 0, g1 = n_mean > 0 ? t_mean / n_mean : 0;
  if (fit) {
    fit->cpu_seconds_per_evaluation = c;
    fit->gpu_seconds_per_batch = g0;
    fit->gpu_seconds_per_evaluation = g1;
  }
  if (cpu.empty() || gpu.empty() || g1 >= c) return kNever;
  const double n = std::ceil(g0 / (c - g1));
  if (!(n < 1e15)) return kNever;
  return n < 1 ? 1 : static_cast<std::size_t>(n);
}

}  // namespace megabatch::graph
