// Grid: a dense, row-major rectangle of colour values. ARC inputs are 1x1..30x30 with colours 0-9,
// but the DSL builds larger intermediate grids and arbitrary integers, so the type caps neither.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace megabatch {

using Color = std::int32_t;

struct Grid {
  int h = 0;
  int w = 0;
  std::vector<Color> cells;  // h * w values, row-major

  Grid() = default;
  Grid(int height, int width, Color fill = 0)
      : h(height), w(width), cells(static_cast<std::size_t>(height) * width, fill) {}

  Color at(int i, int j) const { return cells[static_cast<std::size_t>(i) * w + j]; }
  Color& at(int i, int j) { return cells[static_cast<std::size_t>(i) * w + j]; }
  bool empty() const { return h == 0 || w == 0; }

  friend bool operator==(const Grid& a, const Grid& b) {
    return a.h == b.h && a.w == b.w && a.cells == b.cells;
  }
  // Lexicographic as Python compares tuples of rows.
  friend bool operator<(const Grid& a, const Grid& b);
};


// Builds a grid from nested rows; throws std::invalid_argument on ragged input.
Grid grid_from_rows(const std::vector<std::vector<Color>>& rows);

}  // namespace megabatch
