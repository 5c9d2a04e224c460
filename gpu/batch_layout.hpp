// Device batch layout: N grids packed into one contiguous cell buffer with per-grid offsets, heights and widths,
// the form every kernel reads and writes. Plain C++ (no nvcc needed); a BatchView is what a kernel gets by value.
#pragma once
#include "engine/grid.hpp"
#include "gpu/hd.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace megabatch::gpu {

// Raw pointers into one packed batch, valid on whichever side (host or device) they point to.
template <class Cell>
struct BatchView {
  Cell* cells = nullptr;
  const std::int64_t* offsets = nullptr;  // count + 1 entries: grid g is cells[offsets[g], offsets[g + 1])
  const std::int32_t* heights = nullptr;
  const std::int32_t* widths = nullptr;
  std::int32_t count = 0;

  MEGABATCH_HD std::int64_t size(std::int32_t g) const { return offsets[g + 1] - offsets[g]; }
  MEGABATCH_HD Cell* grid(std::int32_t g) const { return cells + offsets[g]; }
  MEGABATCH_HD Cell& at(std::int32_t g, std::int32_t i, std::int32_t j) const {
    return cells[offsets[g] + static_cast<std::int64_t>(i) * widths[g] + j];
  }
};

// Host-side owner of a packed batch. Cell is std::uint8_t (ARC colours, a quarter of the transfer) or
// std::int32_t (any Grid value the DSL produces).
template <class Cell>
class PackedBatch {
 public:
  PackedBatch() = default;

  static PackedBatch pack(const std::vector<Grid>& grids) {
    PackedBatch batch;
    std::int64_t total = 0;
    for (const auto& g : grids) total += static_cast<std::int64_t>(g.h) * g.w;
    batch.cells_.reserve(static_cast<std::size_t>(total));
    batch.heights_.reserve(grids.size());
    batch.widths_.reserve(grids.size());
    batch.offsets_.reserve(grids.size() + 1);
    for (const auto& g : grids) batch.push_back(g);
    return batch;
  }

  // Appends `g`; throws std::out_of_range when a value does not fit Cell.
  void push_back(const Grid& g) {
    if (count() == std::numeric_limits<std::int32_t>::max()) throw std::length_error("batch holds 2^31-1 grids");
    if constexpr (!std::is_same_v<Cell, Color>)
      for (Color c : g.cells)
        if (c < std::numeric_limits<Cell>::min() || c > std::numeric_limits<Cell>::max())
          throw std::out_of_range("grid " + std::to_string(count()) + ": value " + std::to_string(c) +
                                  " does not fit this batch's cell type");
    cells_.insert(cells_.end(), g.cells.begin(), g.cells.end());
    heights_.push_back(g.h);
    widths_.push_back(g.w);
    offsets_.push_back(static_cast<std::int64_t>(cells_.size()));
  }

  // Grids of the given shapes, every cell zero: an op's output buffer.
  static PackedBatch zeros(const std::vector<std::int32_t>& heights, const std::vector<std::int32_t>& widths) {
    PackedBatch out;
    out.heights_ = heights;
    out.widths_ = widths;
    out.offsets_.reserve(heights.size() + 1);
    std::int64_t total = 0;
    for (std::size_t g = 0; g < heights.size(); ++g) out.offsets_.push_back(total += std::int64_t{heights[g]} * widths[g]);
    out.cells_.assign(static_cast<std::size_t>(total), Cell{0});
    return out;
  }

  // Same shapes, every cell zero: the output buffer of a shape-preserving op.
  PackedBatch zeros_like() const {
    PackedBatch out;
    out.cells_.assign(cells_.size(), Cell{0});
    out.offsets_ = offsets_;
    out.heights_ = heights_;
    out.widths_ = widths_;
    return out;
  }

  Grid unpack(std::int32_t g) const {
    Grid out(heights_[static_cast<std::size_t>(g)], widths_[static_cast<std::size_t>(g)]);
    auto first = cells_.begin() + offsets_[static_cast<std::size_t>(g)];
    std::copy(first, first + static_cast<std::int64_t>(out.cells.size()), out.cells.begin());
    return out;
  }
  std::vector<Grid> unpack_all() const {
    std::vector<Grid> out;
    out.reserve(static_cast<std::size_t>(count()));
    for (std::int32_t g = 0; g < count(); ++g) out.push_back(unpack(g));
    return out;
  }

  std::int32_t count() const { return static_cast<std::int32_t>(heights_.size()); }
  std::int64_t total_cells() const { return static_cast<std::int64_t>(cells_.size()); }

  BatchView<Cell> view() { return {cells_.data(), offsets_.data(), heights_.data(), widths_.data(), count()}; }
  BatchView<const Cell> view() const {
    return {cells_.data(), offsets_.data(), heights_.data(), widths_.data(), count()};
  }

  // The four arrays as they are copied to the device.
  const std::vector<Cell>& cells() const { return cells_; }
  std::vector<Cell>& cells() { return cells_; }
  const std::vector<std::int64_t>& offsets() const { return offsets_; }
  const std::vector<std::int32_t>& heights() const { return heights_; }
  const std::vector<std::int32_t>& widths() const { return widths_; }

  friend bool operator==(const PackedBatch&, const PackedBatch&) = default;

 private:
  std::vector<Cell> cells_;
  std::vector<std::int64_t> offsets_{0};
  std::vector<std::int32_t> heights_;
  std::vector<std::int32_t> widths_;
};

}  // namespace megabatch::gpu
