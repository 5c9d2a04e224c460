// Random ARC-like input grids for task synthesis (`megabatch synth`): a portable seeded generator, grid styles
// (what the inputs of one task have in common) and grids drawn from a style. Pure and deterministic: the same
// seed gives the same grids on every platform and standard library.
#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/grid.hpp"

namespace megabatch::synth {

// std::mt19937_64's output sequence is fixed by the standard, but std::uniform_int_distribution's mapping is
// not; every draw below goes through our own bounded integers so the grids are the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }
  // Uniform in [lo, hi] (inclusive); lo <= hi.
  int between(int lo, int hi);
  // True with probability percent/100.
  bool percent(int percent) { return between(0, 99) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(items.size()) - 1))];
  }
  // Fisher-Yates with between(), so the permutation is portable too.
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t k = items.size(); k > 1; --k)
      std::swap(items[k - 1], items[static_cast<std::size_t>(between(0, static_cast<int>(k) - 1))]);
  }

 private:
  std::mt19937_64 engine_;
};

// A well-mixed 64-bit seed for stream `stream` of `seed` (e.g. one per task index).
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream);

// 8 lowercase hex characters, like ARC's ids. For one seed, distinct indices below 2^32 give distinct ids.
std::string task_id(std::uint64_t seed, std::uint64_t index);

enum class Shape : std::uint8_t { Rectangle, Blob, Line, Cell };
const char* to_string(Shape s);

// What the inputs of one task share. Sizes are inclusive ranges; objects never take the background colour.
struct GridStyle {
  int min_h = 3, max_h = 10;
  int min_w = 3, max_w = 10;
  bool square = false;             // every grid is h x h (w ranges ignored)
  Color background = 0;
  std::vector<Color> palette{1};   // object and noise colours, distinct from the background
  int min_objects = 1, max_objects = 4;
  std::vector<Shape> shapes{Shape::Rectangle, Shape::Blob};
  int max_object_side = 4;         // objects fit in a box this big (and in the grid)
  bool hollow_rectangles = false;  // rectangles of 3x3 and more are sometimes drawn as outlines
  bool touching = false;           // objects may touch (never overlap); otherwise they keep a one-cell gap
  int noise_percent = 0;           // chance that a free background cell becomes a random palette colour
};

// A random style: sizes 3-30 favouring small and medium grids, background usually 0, 1-4 palette colours,
// 1-6 objects of 1-3 shape kinds, sometimes noise.
GridStyle random_style(Rng& rng);

// One input grid of `style`. Objects cover under half the grid, so the background stays the most frequent
// colour, and there is always at least one foreground cell. Throws std::invalid_argument on a style that
// cannot make an ARC grid (sizes outside 1-30, colours outside 0-9, an empty palette or one holding the
// background, no shapes).
Grid random_grid(const GridStyle& style, Rng& rng);

}  // namespace megabatch::synth
