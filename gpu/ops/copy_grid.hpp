// CopyGrid: out[g] = in[g], cell by cell. The smallest op; it proves the layout, both launchers and the transfers.
// An op exposes cells(g) and operator()(g, i); the launchers call it once per cell of every grid.
#pragma once
#include "gpu/batch_layout.hpp"
#include "gpu/hd.hpp"

namespace megabatch::gpu {

template <class Cell>
struct CopyGrid {
  BatchView<const Cell> in;
  BatchView<Cell> out;  // same shapes as `in`

  MEGABATCH_HD std::int64_t cells(std::int32_t g) const { return in.size(g); }
  MEGABATCH_HD void operator()(std::int32_t g, std::int64_t i) const { out.grid(g)[i] = in.grid(g)[i]; }
};

}  // namespace megabatch::gpu
