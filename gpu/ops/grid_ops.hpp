// The grid ops a device runs: primitives that map grids (and integer arguments) to a grid
// cell by cell, each output cell read from one or two input cells. One body for both launchers: the
// shape rule and the cell rule are MEGABATCH_HD, so the tbb launcher (launch_host.hpp) and the CUDA
// kernel (launch_device.cuh) run the same code.
//
// A device holds only non-empty rectangles (at least 1x1). Where CPython's result on such inputs is
// not one (tophalf of one row, upscale by 0, vconcat of unequal widths, ...) or the call raises
// (downscale by 0), out_shape says kUnsupported and the caller keeps that case on the CPU.
#pragma once
#include <cstdint>

#include "engine/grid_op.hpp"
#include "gpu/batch_layout.hpp"
#include "gpu/hd.hpp"

namespace megabatch::gpu {

// The ops themselves are named in engine/grid_op.hpp (primitive descriptors name them too).
using megabatch::GridOp;
using megabatch::kGridOpCount;
using megabatch::DeviceCharge;

// How many grid arguments an op takes (the integers follow them in its arc-dsl signature).
MEGABATCH_HD constexpr int grid_inputs(GridOp op) { return op >= GridOp::Hconcat ? 2 : 1; }
MEGABATCH_HD constexpr int int_inputs(GridOp op) {
  return op >= GridOp::Upscale && op <= GridOp::Downscale ? 1
         : op == GridOp::Replace || op == GridOp::Switch  ? 2
         : op == GridOp::Cellwise                         ? 1
                                                          : 0;
}

struct GridShape {
  std::int32_t h = -1, w = -1;
  MEGABATCH_HD bool supported() const { return h > 0 && w > 0; }
};
inline constexpr GridShape kUnsupported{};

// A device never makes a grid bigger than this (the default cell budget of one evaluation is 4M).
inline constexpr std::int64_t kMaxDeviceCells = std::int64_t{1} << 22;

inline constexpr std::int64_t kMinCell = -2147483648LL, kMaxCell = 2147483647LL;  // a Grid cell is an int32

MEGABATCH_HD inline GridShape checked(std::int64_t h, std::int64_t w) {
  if (h <= 0 || w <= 0 || h * w > kMaxDeviceCells) return kUnsupported;
  return {static_cast<std::int32_t>(h), static_cast<std::int32_t>(w)};
}

// The output's shape for inputs of shapes (h0, w0) and (h1, w1) (two-grid ops) and integer arguments a, b.
MEGABATCH_HD inline GridShape out_shape(GridOp op, std::int32_t h0, std::int32_t w0, std::int32_t h1, std::int32_t w1,
                                        std::int64_t a, std::int64_t b) {
  (void)b;
  if (h0 <= 0 || w0 <= 0) return kUnsupported;
  switch (op) {
    case GridOp::Rot180: case GridOp::Hmirror: case GridOp::Vmirror: return {h0, w0};
    case GridOp::Rot90: case GridOp::Rot270: case GridOp::Dmirror: case GridOp::Cmirror: return {w0, h0};
    case GridOp::Tophalf: case GridOp::Bottomhalf: return checked(h0 / 2, w0);
    case GridOp::Lefthalf: case GridOp::Righthalf: return checked(h0, w0 / 2);
    case GridOp::Trim: return checked(std::int64_t{h0} - 2, std::int64_t{w0} - 2);
    case GridOp::Upscale: return a > 0 && a <= kMaxDeviceCells ? checked(h0 * a, w0 * a) : kUnsupported;
    case GridOp::Hupscale: return a > 0 && a <= kMaxDeviceCells ? checked(h0, w0 * a) : kUnsupported;
    case GridOp::Vupscale: return a > 0 && a <= kMaxDeviceCells ? checked(h0 * a, w0) : kUnsupported;
    case GridOp::Downscale: {
      if (a == 0 || a < -kMaxDeviceCells || a > kMaxDeviceCells) return kUnsupported;  // 0 raises
      const std::int64_t f = a < 0 ? -a : a;  // j % -f == 0 exactly when f divides j
      return checked((h0 - 1) / f + 1, (w0 - 1) / f + 1);
    }
    // A colour that is no int32 sends CPython's result down its tuple path (a tuple, not a grid here)
    case GridOp::Replace: return b >= kMinCell && b <= kMaxCell ? GridShape{h0, w0} : kUnsupported;
    case GridOp::Switch:
      return a >= kMinCell && a <= kMaxCell && b >= kMinCell && b <= kMaxCell ? GridShape{h0, w0} : kUnsupported;
    case GridOp::Hconcat: return h1 > 0 && w1 > 0 ? checked(h0 < h1 ? h0 : h1, std::int64_t{w0} + w1) : kUnsupported;
    case GridOp::Vconcat: return h1 > 0 && w1 == w0 ? checked(std::int64_t{h0} + h1, w0) : kUnsupported;
    case GridOp::Cellwise:
      return h1 >= h0 && w1 >= w0 && a >= kMinCell && a <= kMaxCell ? GridShape{h0, w0} : kUnsupported;
  }
  return kUnsupported;
}

// What the CPU reference charges a call to the cell budget (engine/value.hpp's Budget), so that work
// units are the same whichever executor ran it: the cells of the grid it makes, none when it hands its
// input back unchanged (replace of a colour the grid lacks, downscale by 1). `colour_present`: replace's
// colour a occurs in the input. Every call is one primitive call.
MEGABATCH_HD inline std::int64_t charged_cells(GridOp op, std::int64_t a, GridShape out, bool colour_present) {
  if ((op == GridOp::Replace && !colour_present) || (op == GridOp::Downscale && a == 1)) return 0;
  return std::int64_t{out.h} * out.w;
}

// The same for a primitive whose own body charges by another rule (engine/grid_op.hpp DeviceCharge).
MEGABATCH_HD inline std::int64_t charged_cells(DeviceCharge rule, GridOp op, std::int64_t a, GridShape out,
                                               bool colour_present) {
  const std::int64_t cells = std::int64_t{out.h} * out.w;
  switch (rule) {
    case DeviceCharge::Output: return cells;
    case DeviceCharge::TwiceOutput: return 2 * cells;
    case DeviceCharge::AsOp: break;
  }
  return charged_cells(op, a, out, colour_present);
}

// One output cell (r, c) of `op`: x is the first input grid (h x w, row-major), y the second (w1 wide;
// two-grid ops only). The cell rule both kernels below share, and so both launchers.
template <class Cell>
MEGABATCH_HD inline Cell op_cell(GridOp op, std::int64_t a, std::int64_t b, const Cell* x, std::int32_t h,
                                 std::int32_t w, const Cell* y, std::int32_t w1, std::int32_t r, std::int32_t c) {
  auto at = [x, w](std::int64_t i, std::int64_t j) { return x[i * w + j]; };
  switch (op) {
    case GridOp::Rot90: return at(h - 1 - c, r);
    case GridOp::Rot180: return at(h - 1 - r, w - 1 - c);
    case GridOp::Rot270: return at(c, w - 1 - r);
    case GridOp::Hmirror: return at(h - 1 - r, c);
    case GridOp::Vmirror: return at(r, w - 1 - c);
    case GridOp::Dmirror: return at(c, r);
    case GridOp::Cmirror: return at(h - 1 - c, w - 1 - r);
    case GridOp::Tophalf: case GridOp::Lefthalf: return at(r, c);
    case GridOp::Bottomhalf: return at(r + h / 2 + h % 2, c);
    case GridOp::Righthalf: return at(r, c + w / 2 + w % 2);
    case GridOp::Trim: return at(r + 1, c + 1);
    case GridOp::Upscale: return at(r / a, c / a);
    case GridOp::Hupscale: return at(r, c / a);
    case GridOp::Vupscale: return at(r / a, c);
    case GridOp::Downscale: {
      const std::int64_t f = a < 0 ? -a : a;
      return at(r * f, c * f);
    }
    case GridOp::Replace: {
      const Cell v = at(r, c);
      return v == a ? static_cast<Cell>(b) : v;
    }
    case GridOp::Switch: {  // {a: b, b: a}[v]: b's entry is written last, so v == a == b gives a
      const Cell v = at(r, c);
      return v == b ? static_cast<Cell>(a) : v == a ? static_cast<Cell>(b) : v;
    }
    case GridOp::Hconcat: return c < w ? at(r, c) : y[static_cast<std::int64_t>(r) * w1 + (c - w)];
    case GridOp::Vconcat: return r < h ? at(r, c) : y[static_cast<std::int64_t>(r - h) * w1 + c];
    case GridOp::Cellwise: {
      const Cell v = at(r, c);
      return v == y[static_cast<std::int64_t>(r) * w1 + c] ? v : static_cast<Cell>(a);
    }
  }
  return Cell{};
}

// One op over a batch: out grid g from in0 grid g (and in1 grid g), with the same integer arguments for
// every grid. Out's shapes are out_shape's; the launchers call operator() once per output cell.
template <class Cell>
struct GridOpKernel {
  GridOp op;
  BatchView<const Cell> in0, in1;  // in1: two-grid ops only
  BatchView<Cell> out;
  std::int64_t a = 0, b = 0;

  MEGABATCH_HD std::int64_t cells(std::int32_t g) const { return out.size(g); }

  MEGABATCH_HD void operator()(std::int32_t g, std::int64_t k) const {
    const std::int32_t W = out.widths[g];
    const bool two = grid_inputs(op) == 2;
    out.grid(g)[k] = op_cell<Cell>(op, a, b, in0.grid(g), in0.heights[g], in0.widths[g], two ? in1.grid(g) : nullptr,
                                   two ? in1.widths[g] : 0, static_cast<std::int32_t>(k / W),
                                   static_cast<std::int32_t>(k % W));
  }
};

}  // namespace megabatch::gpu
