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

}  // namespace megabatch
