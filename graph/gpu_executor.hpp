// The GPU executor: programs whose every line is a device grid op (gpu/grid_ops.hpp) run whole on the
// device layout, one launch per DAG node over every (program, sample) row of the batch that needs it,
// values staying in one device arena between nodes (gpu/slice.hpp); every other program, and every row the device does not
// take (a shape out_shape refuses, a budget the upper bound could pass), runs on the CPU executor's
// evaluator in the same batch. Statuses, predictions, state hashes and work units are the CPU's exactly
// (the parity suite checks each op's cells and calls), so outputs are the same whichever ran a batch.
//
// The Host launcher runs the device path by tbb::parallel_for (`--backend gpu-host`): how a machine
// without a GPU tests all of it. The Device launcher needs a CUDA build and a device.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include <memory>
#include <mutex>
#include <span>

#include "gpu/grid_ops.hpp"
#include "gpu/slice.hpp"
#include "graph/executors.hpp"

namespace megabatch::graph {

class GpuExecutor final : public BatchExecutor {
 public:
  enum class Launcher { Host, Device };
  // `device`: the CUDA device the Device launcher runs on (one executor per device).
  GpuExecutor(const RunContext& context, Launcher launcher, int device = 0);
  const char* name() const override { return launcher_ == Launcher::Host ? "gpu-host" : "gpu"; }
  BatchResultPtr execute(const BatchPtr& batch) override;
  // Some item is not a pruning wave and runs a device program (those rows may still fall back).
  bool takes(const Batch& batch) const override;
  void warm_up() override;
  // The device launcher's check against the host launcher (gpu::self_test): the first difference, or
  // nullopt (always, for the host launcher, which is the reference).
  std::optional<std::string> self_test();

  // Programs whose every line has a device body (the rest always run on the CPU).
  std::size_t device_programs() const;
  // (program, sample) evaluations run on the device path, and those sent back to the CPU, so far.
  std::uint64_t device_evaluations() const { return device_evaluations_.load(); }
  std::uint64_t cpu_evaluations() const { return cpu_evaluations_.load(); }
  // Slice plans run (one a batch with device rows) and the kernel launches they made, so far (warm_up's
  // is not counted).
  std::uint64_t plans_run() const { return plans_run_.load(); }
  std::uint64_t launches() const { return launches_.load(); }

 private:
  // What the device knows of a DAG node: the input grid, an integer, a grid op over earlier nodes, or
  // an alias of its first argument's grid (a call that hands its grid back: mir_rot_t past angle 6).
  struct DeviceNode {
    enum class Kind : std::uint8_t { None, Input, Int, Op, Alias } kind = Kind::None;
    gpu::GridOp op{};
    program::NodeId in0 = program::kNoNode, in1 = program::kNoNode;
    std::int64_t a = 0, b = 0;  // Int: a is the value; Op: its integer arguments
    std::int32_t calls = 0;     // Op and Alias: the primitive calls the CPU would charge
    DeviceCharge charge = DeviceCharge::AsOp;  // Op: how the primitive charges the cells it makes
  };
  // Gathers `outputs` into the plan and runs it on this executor's launcher.
  gpu::SliceOutput run_plan(gpu::SlicePlan& plan, std::span<const std::int32_t> outputs);

  const RunContext& context_;
  Launcher launcher_;
  std::vector<DeviceNode> nodes_;        // by DAG node
  std::vector<std::uint8_t> device_;     // by program: every node of its slice is a device node
  std::vector<std::uint32_t> calls_;     // by program: the primitive calls of its slice's op and alias nodes
  std::atomic<std::uint64_t> device_evaluations_{0}, cpu_evaluations_{0};  // batches run concurrently
  std::atomic<std::uint64_t> plans_run_{0}, launches_{0};
  int device_index_ = 0;  // the CUDA device the Device launcher runs on
#ifdef MEGABATCH_HAS_CUDA
  // The plan on this executor's device, through its one runner (made on first use).
  gpu::SliceOutput run_on_device(const gpu::SlicePlan& plan);
  std::mutex runner_mutex_;
  std::unique_ptr<gpu::DeviceSliceRunner> runner_;  // made by the first self_test, warm_up or batch
#endif
};

}  // namespace megabatch::graph
