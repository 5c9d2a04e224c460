// The grid ops a device backend can run, named here so that both a primitive's descriptor (cpu/dsl:
// `PrimitiveDef::device`, "this primitive has this device body") and the device code (gpu/ops:
// the body itself) can name one without either layer including the other.
#pragma once
#include <cstdint>

namespace megabatch {

enum class GridOp : std::uint8_t {
  Rot90, Rot180, Rot270, Hmirror, Vmirror, Dmirror, Cmirror,      // one grid
  Tophalf, Bottomhalf, Lefthalf, Righthalf, Trim,                 // one grid, a part of it
  Upscale, Hupscale, Vupscale, Downscale,                         // one grid and a factor
  Replace, Switch,                                                // one grid and two colours
  Hconcat, Vconcat,                                               // two grids
  Cellwise,                                                       // two grids and a fallback colour
};
inline constexpr int kGridOpCount = static_cast<int>(GridOp::Cellwise) + 1;

// What a primitive charges the cell budget for its device body's result, where its own CPU body charges
// otherwise than the op's rule (gpu/ops/grid_ops.hpp charged_cells, arc-dsl's bodies): the output's cells
// always (a copy even where arc-dsl hands the input back), or twice (counted before and on building).
enum class DeviceCharge : std::uint8_t { AsOp, Output, TwiceOutput };

// A primitive whose device body depends on its integer argument (tokpidjin's mir_rot_t: which mirror or
// rotation by angle): the op the argument selects, or none (the call hands its grid back unchanged),
// and the primitive calls it makes (itself and the one it delegates to).
struct DeviceSelection {
  bool identity = false;  // the grid itself: no op, no cells
  GridOp op{};
  int calls = 1;
};
using DeviceSelect = DeviceSelection (*)(std::int64_t argument);

}  // namespace megabatch
