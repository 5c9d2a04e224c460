#include "engine/results/attempts.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace megabatch {

Attempts rank_attempts(std::span<const Prediction> predictions) {
  struct Candidate {
    const Grid* grid = nullptr;
    std::size_t count = 0;
    std::uint64_t shortest = UINT64_MAX;
  };
  // Keyed by the grid's JSON text: equal grids meet, and the key orders the last ties.
  std::map<std::string, Candidate> by_grid;
  for (const Prediction& p : predictions) {
    Candidate& c = by_grid[grid_to_json(*p.grid).dump()];
    c.grid = p.grid;
    ++c.count;
    c.shortest = std::min(c.shortest, p.program_chars);
  }
  std::vector<const Candidate*> ranked;
  for (const auto& [key, c] : by_grid) ranked.push_back(&c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) {
    return a->count != b->count ? a->count > b->count : a->shortest < b->shortest;
  });
  const Grid zero(1, 1, 0);
  return Attempts{ranked.size() > 0 ? *ranked[0]->grid : zero, ranked.size() > 1 ? *ranked[1]->grid : zero};
}

}  // namespace megabatch
