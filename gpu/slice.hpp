// A batch's device slices as one plan: every grid the batch's device rows read or make has a place in one
// arena (inputs first, then each DAG node's outputs, then the results gathered into one contiguous span), and
// each DAG node is one step: its op over every row that needs it, reading earlier steps' grids where they lie.
// Shapes are known before anything runs (out_shape is a rule on shapes), so the whole arena is laid out on
// the host, uploaded once, computed in place and read back once: no grid goes back to the host between the
// nodes of a slice. Plain C++: the host launcher runs a plan here, the CUDA runner (slice.cu) on a device.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/grid.hpp"
#include "gpu/batch_layout.hpp"
#include "gpu/ops/grid_ops.hpp"

namespace megabatch::gpu {

// One row of a step: arena grid indices of its inputs (in1: two-grid ops only, else -1) and its output.
struct SliceRow {
  std::int32_t in0 = -1, in1 = -1, out = -1;
};

// One launch: `op` (or a plain copy) with the same integer arguments over rows [first_row, first_row + rows).
struct SliceStep {
  GridOp op{};
  bool copy = false;
  std::int64_t a = 0, b = 0;
  std::int32_t first_row = 0, rows = 0;
};

class SlicePlan {
 public:
  // An input grid (a sample's I), uploaded with the plan. Inputs come before any step.
  std::int32_t add_input(const Grid& g);
  // Opens the step of one DAG node; add_row then adds its rows.
  void add_step(GridOp op, std::int64_t a = 0, std::int64_t b = 0);
  // A row of the open step over arena grids in0 (and in1); returns the new output grid's index. Throws
  // std::invalid_argument naming the op and the shapes where out_shape refuses them.
  std::int32_t add_row(std::int32_t in0, std::int32_t in1 = -1);
  // Copies these grids, in this order, into one contiguous span after every other grid: what run_* returns.
  // Called once, last; a grid that is not in the plan throws std::invalid_argument and changes nothing.
  void gather(std::span<const std::int32_t> grids);

  std::int32_t grids() const { return static_cast<std::int32_t>(heights_.size()); }
  GridShape shape(std::int32_t grid) const { return {heights_[grid], widths_[grid]}; }
  std::int32_t inputs() const { return inputs_; }
  std::int32_t first_result() const { return first_result_; }
  std::int64_t total_cells() const { return offsets_.back(); }
  std::int64_t input_cells() const { return offsets_[inputs_]; }

  const std::vector<std::int32_t>& input_data() const { return input_data_; }
  const std::vector<std::int64_t>& offsets() const { return offsets_; }
  const std::vector<std::int32_t>& heights() const { return heights_; }
  const std::vector<std::int32_t>& widths() const { return widths_; }
  const std::vector<SliceStep>& steps() const { return steps_; }
  const std::vector<SliceRow>& rows() const { return rows_; }

 private:
  std::int32_t add_grid(GridShape s);

  std::vector<std::int32_t> input_data_;  // the inputs' cells, arena [0, input_cells())
  std::vector<std::int64_t> offsets_{0};
  std::vector<std::int32_t> heights_, widths_;
  std::vector<SliceStep> steps_;
  std::vector<SliceRow> rows_;
  std::int32_t inputs_ = 0;
  std::int32_t first_result_ = -1;
};

// What a run gives back: the gathered grids and, per row of the plan, whether a replace row's colour a
// occurs in its input (what the CPU reference's cell charge depends on; 0 for every other row).
struct SliceOutput {
  std::vector<std::int32_t> cells;  // the gathered grids, one after another
  std::vector<std::int64_t> offsets{0};
  std::vector<std::int32_t> heights, widths;
  std::vector<std::uint8_t> present;

  std::size_t count() const { return heights.size(); }
  Grid result(std::size_t k) const;
};

// The output of a plan with its shapes laid out, cells and flags zero: what both runners fill.
SliceOutput output_layout(const SlicePlan& plan);

// The kernel of one step: the launchers call operator()(r, k) for every cell k of every row r's output.
template <class Cell>
struct SliceStepKernel {
  SliceStep step;
  const SliceRow* rows;         // the step's own rows
  BatchView<Cell> arena;        // every grid of the plan
  std::uint8_t* present;        // the step's own flags

  MEGABATCH_HD std::int64_t cells(std::int32_t r) const { return arena.size(rows[r].out); }

  MEGABATCH_HD void operator()(std::int32_t r, std::int64_t k) const {
    const SliceRow row = rows[r];
    const Cell* x = arena.grid(row.in0);
    Cell* o = arena.grid(row.out);
    if (step.copy) {
      o[k] = x[k];
      return;
    }
    const std::int32_t W = arena.widths[row.out];
    const bool two = row.in1 >= 0;
    o[k] = op_cell<Cell>(step.op, step.a, step.b, x, arena.heights[row.in0], arena.widths[row.in0],
                         two ? arena.grid(row.in1) : nullptr, two ? arena.widths[row.in1] : 0,
                         static_cast<std::int32_t>(k / W), static_cast<std::int32_t>(k % W));
    // replace keeps the shape: cell k of its input is the cell it read. Every writer stores 1.
    if (step.op == GridOp::Replace && x[k] == step.a) present[r] = 1;
  }
};

// Runs the plan by the tbb launcher: how a machine without a GPU runs (and tests) the device path.
SliceOutput run_slice_host(const SlicePlan& plan);

// A device's check before a run trusts it: random plans (every op, ARC-sized and edge shapes, chains
// reading earlier steps) through `run` and through the host launcher, which the parity suite holds to
// the CPU reference. The first difference (or exception) as one line, nullopt when all agree.
std::optional<std::string> self_test(const std::function<SliceOutput(const SlicePlan&)>& run, std::uint32_t seed = 2026);

#ifdef MEGABATCH_HAS_CUDA
// Runs plans on one CUDA device, one at a time: its stream, device buffers and pinned staging buffer are kept
// between runs and only grow (a caching allocator in the small: no cudaMalloc once the largest batch has been
// seen, no pageable copies). Throws CudaError naming the failed call.
class DeviceSliceRunner {
 public:
  explicit DeviceSliceRunner(int device);
  ~DeviceSliceRunner();
  DeviceSliceRunner(const DeviceSliceRunner&) = delete;
  DeviceSliceRunner& operator=(const DeviceSliceRunner&) = delete;

  SliceOutput run(const SlicePlan& plan);
  int device() const { return device_; }
  // Bytes of device memory and of pinned host memory held now.
  std::size_t device_bytes() const;
  std::size_t pinned_bytes() const;

 private:
  struct Impl;
  int device_;
  std::unique_ptr<Impl> impl_;
};
#endif

}  // namespace megabatch::gpu
