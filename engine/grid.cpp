#include "engine/grid.hpp"

#include <algorithm>
#include <stdexcept>

namespace megabatch {

bool operator<(const Grid& a, const Grid& b) {
  // Python tuple-of-rows order: compare row by row, a shorter row/grid that is a prefix sorts first.
  int rows = std::min(a.h, b.h);
  for (int i = 0; i < rows; ++i) {
    int cols = std::min(a.w, b.w);
    for (int j = 0; j < cols; ++j) {
      Color x = a.at(i, j), y = b.at(i, j);
      if (x != y) return x < y;
    }
    if (a.w != b.w) return a.w < b.w;
  }
  return a.h < b.h;
}

Grid grid_from_rows(const std::vector<std::vector<Color>>& rows) {
  Grid g;
  g.h = static_cast<int>(rows.size());
  g.w = rows.empty() ? 0 : static_cast<int>(rows[0].size());
  g.cells.reserve(static_cast<std::size_t>(g.h) * g.w);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int>(rows[i].size()) != g.w)
      throw std::invalid_argument("row " + std::to_string(i) + " has " + std::to_string(rows[i].size()) +
                                  " cells, row 0 has " + std::to_string(g.w));
    g.cells.insert(g.cells.end(), rows[i].begin(), rows[i].end());
  }
  return g;
}

}  // namespace megabatch
