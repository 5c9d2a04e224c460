#include "engine/synth.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "engine/mix.hpp"
#include "engine/task.hpp"

namespace megabatch::synth {
namespace {

// Chris Wellons' lowbias32: every step (xor-shift, odd multiply) is invertible, so the whole is a bijection.
std::uint32_t lowbias32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

struct Cell {
  int i, j;
};

// A shape as cells relative to its bounding box's top-left corner, and that box's size.
struct ShapeCells {
  std::vector<Cell> cells;
  int h = 1, w = 1;
};

ShapeCells rectangle(const GridStyle& style, int side, Rng& rng) {
  ShapeCells s;
  s.h = rng.between(1, side);
  s.w = rng.between(1, side);
  // A 1x1 rectangle would be a Cell; keep the kinds distinct so a style's shapes mean what they say.
  if (s.h == 1 && s.w == 1 && side >= 2) s.w = 2;
  const bool hollow = style.hollow_rectangles && s.h >= 3 && s.w >= 3 && rng.percent(50);
  for (int i = 0; i < s.h; ++i)
    for (int j = 0; j < s.w; ++j)
      if (!hollow || i == 0 || j == 0 || i == s.h - 1 || j == s.w - 1) s.cells.push_back({i, j});
  return s;
}

// A random 4-connected blob grown cell by cell inside a side x side box.
ShapeCells blob(int side, Rng& rng) {
  const int target = rng.between(std::min(3, side * side), std::min(side * side, 12));
  std::vector<char> in(static_cast<std::size_t>(side) * side, 0);
  std::vector<Cell> cells{{rng.between(0, side - 1), rng.between(0, side - 1)}};
  in[static_cast<std::size_t>(cells[0].i) * side + cells[0].j] = 1;
  static constexpr int kDi[4] = {-1, 1, 0, 0}, kDj[4] = {0, 0, -1, 1};
  // Bounded, so a blob that cannot grow further (it always can below side*side) never loops.
  for (int step = 0; step < 200 && static_cast<int>(cells.size()) < target; ++step) {
    const Cell from = rng.pick(cells);
    const int d = rng.between(0, 3);
    const int i = from.i + kDi[d], j = from.j + kDj[d];
    if (i < 0 || j < 0 || i >= side || j >= side || in[static_cast<std::size_t>(i) * side + j]) continue;
    in[static_cast<std::size_t>(i) * side + j] = 1;
    cells.push_back({i, j});
  }
  int top = side, left = side, bottom = 0, right = 0;
  for (const Cell& c : cells) {
    top = std::min(top, c.i), left = std::min(left, c.j);
    bottom = std::max(bottom, c.i), right = std::max(right, c.j);
  }
  ShapeCells s;
  s.h = bottom - top + 1;
  s.w = right - left + 1;
  for (const Cell& c : cells) s.cells.push_back({c.i - top, c.j - left});
  return s;
}

// A horizontal, vertical or (less often) diagonal line, up to the grid's extent in its direction.
ShapeCells line(int h, int w, Rng& rng) {
  const int r = rng.between(0, 99);
  const int direction = r < 40 ? 0 : r < 80 ? 1 : r < 90 ? 2 : 3;  // across, down, diagonal, anti-diagonal
  const int extent = direction == 0 ? w : direction == 1 ? h : std::min(h, w);
  const int length = extent >= 2 ? rng.between(2, extent) : 1;
  ShapeCells s;
  for (int k = 0; k < length; ++k) {
    switch (direction) {
      case 0: s.cells.push_back({0, k}); break;
      case 1: s.cells.push_back({k, 0}); break;
      case 2: s.cells.push_back({k, k}); break;
      default: s.cells.push_back({k, length - 1 - k}); break;
    }
  }
  s.h = direction == 0 ? 1 : length;
  s.w = direction == 1 ? 1 : length;
  return s;
}

ShapeCells make_shape(Shape shape, const GridStyle& style, int side, int h, int w, Rng& rng) {
  switch (shape) {
    case Shape::Rectangle: return rectangle(style, side, rng);
    case Shape::Blob: return blob(side, rng);
    case Shape::Line: return line(h, w, rng);
    case Shape::Cell: break;
  }
  ShapeCells s;
  s.cells.push_back({0, 0});
  return s;
}

void check_style(const GridStyle& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("grid style: " + what); };
  auto side_ok = [](int lo, int hi) { return lo >= 1 && lo <= hi && hi <= kMaxArcSide; };
  if (!side_ok(s.min_h, s.max_h)) fail("heights must satisfy 1 <= min_h <= max_h <= 30");
  if (!s.square && !side_ok(s.min_w, s.max_w)) fail("widths must satisfy 1 <= min_w <= max_w <= 30");
  if (s.background < 0 || s.background > kMaxArcColor) fail("background outside 0-9");
  if (s.palette.empty()) fail("empty palette");
  for (Color c : s.palette) {
    if (c < 0 || c > kMaxArcColor) fail("palette colour outside 0-9");
    if (c == s.background) fail("palette holds the background colour");
  }
  if (s.min_objects < 0 || s.min_objects > s.max_objects) fail("object counts must satisfy 0 <= min <= max");
  if (s.shapes.empty()) fail("no shapes");
  if (s.max_object_side < 1) fail("max_object_side below 1");
  if (s.noise_percent < 0 || s.noise_percent > 100) fail("noise_percent outside 0-100");
}

}  // namespace

int Rng::between(int lo, int hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 1;
  // Rejection of the top partial block (2^64 mod range values) keeps every outcome equally likely.
  const std::uint64_t excess = (std::numeric_limits<std::uint64_t>::max() % range + 1) % range;
  std::uint64_t x = engine_();
  while (excess != 0 && x >= 0 - excess) x = engine_();
  return static_cast<int>(static_cast<std::int64_t>(lo) + static_cast<std::int64_t>(x % range));
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
  return splitmix64(splitmix64(seed) ^ splitmix64(stream + 0x632be59bd9b4e019ULL));
}

std::string task_id(std::uint64_t seed, std::uint64_t index) {
  const std::uint64_t key = splitmix64(seed ^ 0x5bd1e9955bd1e995ULL);
  // index + key, lowbias32, xor key, lowbias32: a bijection of the low 32 index bits for a fixed seed.
  std::uint32_t x = static_cast<std::uint32_t>(index) + static_cast<std::uint32_t>(key);
  x = lowbias32(lowbias32(x) ^ static_cast<std::uint32_t>(key >> 32));
  char text[9];
  std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(x));
  return text;
}

const char* to_string(Shape s) {
  switch (s) {
    case Shape::Rectangle: return "rectangle";
    case Shape::Blob: return "blob";
    case Shape::Line: return "line";
    case Shape::Cell: return "cell";
  }
  return "?";
}

GridStyle random_style(Rng& rng) {
  GridStyle s;
  // Size classes: ARC grids are mostly small or medium; large ones are rarer.
  const int size_class = rng.between(0, 99);
  const int lo = size_class < 45 ? 3 : size_class < 85 ? 8 : 14;
  const int hi = size_class < 45 ? 10 : size_class < 85 ? 16 : 30;
  auto side_range = [&](int& min_side, int& max_side) {
    const int base = rng.between(lo, hi);
    if (rng.percent(35)) {
      min_side = max_side = base;  // every input of the task has this size, as in many ARC tasks
    } else {
      const int spread = rng.between(1, 4);
      min_side = std::max(3, base - spread);
      max_side = std::min(kMaxArcSide, base + spread);
    }
  };
  s.square = rng.percent(25);
  side_range(s.min_h, s.max_h);
  if (s.square) {
    s.min_w = s.min_h, s.max_w = s.max_h;
  } else {
    side_range(s.min_w, s.max_w);
  }

  s.background = rng.percent(75) ? 0 : rng.between(1, 9);
  std::vector<Color> colours;
  for (Color c = 0; c <= kMaxArcColor; ++c)
    if (c != s.background) colours.push_back(c);
  rng.shuffle(colours);
  const int r = rng.between(0, 99);
  const int palette_size = r < 30 ? 1 : r < 65 ? 2 : r < 85 ? 3 : 4;
  s.palette.assign(colours.begin(), colours.begin() + palette_size);

  // Most ARC inputs hold several objects; a lone object is a style of its own, not a frequent accident.
  s.max_objects = rng.between(1, 6);
  s.min_objects = s.max_objects == 1 ? 1 : rng.between(2, s.max_objects);
  std::vector<Shape> shapes{Shape::Rectangle, Shape::Blob, Shape::Line, Shape::Cell};
  rng.shuffle(shapes);
  s.shapes.assign(shapes.begin(), shapes.begin() + rng.between(1, 3));
  // Grids holding one lone cell make tasks that half the library fits (every crop and count is that cell), so
  // single cells come at least two to a grid.
  if (std::find(s.shapes.begin(), s.shapes.end(), Shape::Cell) != s.shapes.end()) {
    s.max_objects = std::max(s.max_objects, 2);
    s.min_objects = std::max(s.min_objects, 2);
  }
  s.max_object_side = size_class < 45 ? rng.between(2, 4) : size_class < 85 ? rng.between(2, 6) : rng.between(3, 8);
  s.hollow_rectangles = rng.percent(30);
  s.touching = rng.percent(20);
  s.noise_percent = rng.percent(15) ? rng.between(2, 6) : 0;
  return s;
}

Grid random_grid(const GridStyle& style, Rng& rng) {
  check_style(style);
  const int h = rng.between(style.min_h, style.max_h);
  const int w = style.square ? h : rng.between(style.min_w, style.max_w);
  Grid g(h, w, style.background);
  const int area = h * w;
  // Objects stop at 40% of the cells (noise at just under half), so the background is strictly the most
  // frequent colour and mostcolor/fgpartition-based programs see the background we meant.
  const int object_cap = std::max(1, area * 2 / 5);
  std::vector<char> blocked(static_cast<std::size_t>(area), 0);  // taken, or next to a taken cell
  std::vector<char> taken(static_cast<std::size_t>(area), 0);
  int foreground = 0;

  auto place = [&](const ShapeCells& s, Color colour) {
    const int i0 = rng.between(0, h - s.h), j0 = rng.between(0, w - s.w);
    for (const Cell& c : s.cells)
      if (blocked[static_cast<std::size_t>(i0 + c.i) * w + j0 + c.j]) return false;
    for (const Cell& c : s.cells) {
      const int i = i0 + c.i, j = j0 + c.j;
      g.at(i, j) = colour;
      taken[static_cast<std::size_t>(i) * w + j] = 1;
      for (int di = -1; di <= 1; ++di)
        for (int dj = -1; dj <= 1; ++dj) {
          const int ni = i + di, nj = j + dj;
          if (ni < 0 || nj < 0 || ni >= h || nj >= w) continue;
          if ((di == 0 && dj == 0) || !style.touching) blocked[static_cast<std::size_t>(ni) * w + nj] = 1;
        }
    }
    foreground += static_cast<int>(s.cells.size());
    return true;
  };

  const int side = std::min({style.max_object_side, h, w});
  const int objects = rng.between(style.min_objects, style.max_objects);
  for (int k = 0; k < objects; ++k) {
    // A few tries per object; on a crowded grid some objects are simply left out.
    for (int attempt = 0; attempt < 8; ++attempt) {
      const ShapeCells s = make_shape(rng.pick(style.shapes), style, side, h, w, rng);
      if (foreground + static_cast<int>(s.cells.size()) > object_cap) continue;
      if (place(s, rng.pick(style.palette))) break;
    }
  }
  if (foreground == 0) {
    ShapeCells single;
    single.cells.push_back({0, 0});
    place(single, rng.pick(style.palette));
  }
  if (style.noise_percent > 0) {
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) {
        if (taken[static_cast<std::size_t>(i) * w + j] || !rng.percent(style.noise_percent)) continue;
        if (2 * (foreground + 1) >= area) continue;
        g.at(i, j) = rng.pick(style.palette);
        taken[static_cast<std::size_t>(i) * w + j] = 1;
        ++foreground;
      }
  }
  return g;
}

}  // namespace megabatch::synth
