// arc-dsl primitives: patches family (see cpu/dsl/arc/prims.hpp for the list this file implements).
//
// Colours, shapes, patches and objects. These are the hot primitives of most solvers, so every one
// has a fast path on the canonical representations (dense Grid cells, sorted Indices points, sorted
// Object cells) and a generic fallback that follows dsl.py's Python evaluation step by step on any
// other shape (tuples of odd things, sets of non-pairs, ...), raising where Python raises.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {
namespace {

constexpr std::int64_t kI32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kI32Max = std::numeric_limits<std::int32_t>::max();


// Python's len(x).
std::int64_t py_len(const Value& v) { return static_cast<std::int64_t>(v.size()); }

// next(iter(x)): the first element in iteration order.
Value first_element(const Value& x) {
  if (!x.is_container()) throw EvalError(std::string("'") + x.type_name() + "' object is not iterable");
  if (x.size() == 0) throw EvalError("StopIteration: next() of an empty iterator");
  return x.item(0);
}

// The elements of a container without copying when it is a Tuple or Set node.
template <class F>
void for_each_element(const Value& c, F&& f) {
  if (c.kind() == Kind::Tuple || c.kind() == Kind::Set) {
    for (const Value& v : c.items()) f(v);
    return;
  }
  if (!c.is_container()) throw EvalError(std::string("'") + c.type_name() + "' object is not iterable");
  for (std::size_t k = 0, n = c.size(); k < n; ++k) f(c.item(k));
}

// Visits the (i, j) of every index of toindices(patch) for the canonical patch kinds (duplicates
// possible for an Object whose cells share an index with different colours). False otherwise.
template <class F>
bool visit_points(const Value& patch, F&& f) {
  if (patch.kind() == Kind::Indices) {
    for (Point p : patch.points()) f(p.i, p.j);
    return true;
  }
  if (patch.kind() == Kind::Object) {
    for (CellV c : patch.cells()) f(c.i, c.j);
    return true;
  }
  return false;
}

// The `x` of `for x, y in toindices(patch)` (which = 0) or the `y` (which = 1), in iteration order.
std::vector<Value> generic_coords(const Value& patch, int which) {
  Value t = dsl::toindices(patch);
  std::vector<Value> out;
  for_each_element(t, [&](const Value& e) {
    auto ab = unpack2(e);
    out.push_back(which == 0 ? std::move(ab.first) : std::move(ab.second));
  });
  return out;
}

const KeyFn kNoKey{};

// min/max(i for i, j in toindices(patch)) and friends.
Value extreme_coord(const Value& patch, int which, bool want_max) {
  if (patch.kind() == Kind::Indices && which == 0) {  // sorted by row
    auto pts = patch.points();
    return Value::integer(want_max ? pts.back().i : pts.front().i);
  }
  std::int64_t best = 0;
  bool any = false;
  const bool fast = visit_points(patch, [&](std::int32_t i, std::int32_t j) {
    std::int64_t v = which == 0 ? i : j;
    if (!any || (want_max ? v > best : v < best)) best = v;
    any = true;
  });
  if (fast) return Value::integer(best);
  std::vector<Value> vals = generic_coords(patch, which);
  return want_max ? py_max(vals, kNoKey, "max") : py_min(vals, kNoKey, "min");
}

// ---- colour histograms: a flat array for the usual 0..15, an ordered map for anything else ----
struct ColorHist {
  std::array<std::int64_t, 16> small{};
  std::map<std::int32_t, std::int64_t> other;
  std::int64_t total = 0;
  void add(std::int32_t c) {
    if (static_cast<std::uint32_t>(c) < 16u) ++small[c];
    else ++other[c];
    ++total;
  }
  void add_grid(const Grid& g) {
    bool outside = false;
    for (Color c : g.cells) {
      const bool in = static_cast<std::uint32_t>(c) < 16u;
      small[in ? c : 0] += in;
      outside |= !in;
    }
    if (outside)
      for (Color c : g.cells)
        if (static_cast<std::uint32_t>(c) >= 16u) ++other[c];
    total += static_cast<std::int64_t>(g.cells.size());
  }
  // Visits (colour, count) for present colours in ascending colour order.
  template <class F>
  void each(F&& f) const {
    auto it = other.begin();
    for (; it != other.end() && it->first < 0; ++it) f(it->first, it->second);
    for (int c = 0; c < 16; ++c)
      if (small[c]) f(c, small[c]);
    for (; it != other.end(); ++it) f(it->first, it->second);
  }
  // max(set(values), key=values.count): the first (smallest) colour of highest count.
  std::int32_t most() const {
    std::int32_t best = 0;
    std::int64_t cnt = -1;
    each([&](std::int32_t c, std::int64_t n) {
      if (n > cnt) best = c, cnt = n;
    });
    return best;
  }
  std::int32_t least() const {
    std::int32_t best = 0;
    std::int64_t cnt = -1;
    each([&](std::int32_t c, std::int64_t n) {
      if (cnt < 0 || n < cnt) best = c, cnt = n;
    });
    return best;
  }
};

// Fills `h` with the values of `[v for r in element for v in r]` / `[v for v, _ in element]` when
// they are all int32 colours of a canonical representation; false for the generic shapes.
bool fast_hist(const Value& element, ColorHist& h) {
  switch (element.kind()) {
    case Kind::Grid: h.add_grid(element.grid()); return true;
    case Kind::Object:
      for (CellV c : element.cells()) h.add(c.c);
      return true;
    case Kind::Indices:
      for (Point p : element.points()) h.add(p.i);
      return true;
    default: return false;
  }
}

// The Python list `values` of mostcolor/leastcolor/palette for any element.
std::vector<Value> color_values(const Value& element) {
  std::vector<Value> values;
  if (element.is_tuple()) {
    for_each_element(element, [&](const Value& r) { for_each_element(r, [&](const Value& v) { values.push_back(v); }); });
  } else {
    for_each_element(element, [&](const Value& e) { values.push_back(unpack2(e).first); });
  }
  return values;
}

// Distinct values of `values` in canonical order with their counts.
std::vector<std::pair<Value, std::int64_t>> counted(std::vector<Value> values) {
  std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  std::vector<std::pair<Value, std::int64_t>> out;
  for (Value& v : values) {
    if (!out.empty() && compare(out.back().first, v) == 0) ++out.back().second;
    else out.emplace_back(std::move(v), 1);
  }
  return out;
}

Value most_or_least(const Value& element, bool most) {
  ColorHist h;
  if (fast_hist(element, h)) {
    if (h.total == 0) throw EvalError(std::string(most ? "max" : "min") + "() arg is an empty sequence");
    return Value::integer(most ? h.most() : h.least());
  }
  auto counts = counted(color_values(element));
  if (counts.empty()) throw EvalError(std::string(most ? "max" : "min") + "() arg is an empty sequence");
  std::size_t best = 0;
  for (std::size_t k = 1; k < counts.size(); ++k)
    if (most ? counts[k].second > counts[best].second : counts[k].second < counts[best].second) best = k;
  return counts[best].first;
}

// Python's slice bound: an int (or bool), else TypeError.
std::int64_t slice_index(const Value& v) {
  if (!v.is_int()) throw EvalError("slice indices must be integers or None or have an __index__ method");
  return v.int_unchecked();
}

// [start, stop) of seq[start:stop] on a sequence of length n (step 1), empty as lo == hi.
std::pair<std::int64_t, std::int64_t> slice_range(std::int64_t n, std::int64_t start, std::int64_t stop) {
  auto norm = [n](std::int64_t x) {
    if (x < 0) x += n;
    return std::clamp<std::int64_t>(x, 0, n);
  };
  std::int64_t s = norm(start), e = norm(stop);
  return {s, std::max(s, e)};
}

// zip(*seq): the columns of the element sequences, truncated to the shortest.
std::vector<std::vector<Value>> zip_columns(const Value& seq) {
  if (!seq.is_container())
    throw EvalError(std::string("argument after * must be an iterable, not ") + seq.type_name());
  std::vector<std::vector<Value>> rows;
  std::size_t k = 0;
  for_each_element(seq, [&](const Value& e) {
    ++k;
    if (!e.is_container()) throw EvalError("zip argument #" + std::to_string(k) + " must support iteration");
    std::vector<Value> row;
    for_each_element(e, [&](const Value& v) { row.push_back(v); });
    rows.push_back(std::move(row));
  });
  std::vector<std::vector<Value>> cols;
  if (rows.empty()) return cols;
  std::size_t ncols = rows[0].size();
  for (const auto& r : rows) ncols = std::min(ncols, r.size());
  cols.resize(ncols);
  for (std::size_t c = 0; c < ncols; ++c) {
    cols[c].reserve(rows.size());
    for (auto& r : rows) cols[c].push_back(std::move(r[c]));
  }
  return cols;
}

// ulcorner/urcorner/llcorner/lrcorner: row extreme then column extreme; `strict` corners
// (urcorner, llcorner) look up min/max in a {0: .., 1: ..} dict, so a third column is a KeyError.
Value corner(const Value& patch, bool row_max, bool col_max, bool strict) {
  if (patch.kind() == Kind::Indices || patch.kind() == Kind::Object) {
    std::int64_t ri = 0, cj = 0;
    bool any = false;
    visit_points(patch, [&](std::int32_t i, std::int32_t j) {
      if (!any) {
        ri = i, cj = j, any = true;
        return;
      }
      if (row_max ? i > ri : i < ri) ri = i;
      if (col_max ? j > cj : j < cj) cj = j;
    });
    return Value::pair(ri, cj);
  }
  Value t = dsl::toindices(patch);
  auto cols = zip_columns(t);
  std::vector<Value> out;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    bool use_max;
    if (c == 0) use_max = row_max;
    else if (c == 1) use_max = col_max;
    else if (strict) throw EvalError("KeyError: " + std::to_string(c));
    else use_max = col_max;
    out.push_back(use_max ? py_max(cols[c], kNoKey, "max") : py_min(cols[c], kNoKey, "min"));
  }
  return make_tuple(std::move(out));
}

// Neighbourhoods of a location; `offsets` are listed in canonical order.
Value neighbourhood(const Value& loc, std::span<const Point> offsets) {
  Value a = py_index(loc, 0);
  std::optional<Value> b;
  if (a.is_int()) {
    b = py_index(loc, 1);
    if (b->is_int() && a.int_unchecked() > kI32Min && a.int_unchecked() < kI32Max && b->int_unchecked() > kI32Min &&
        b->int_unchecked() < kI32Max) {
      std::int32_t i = static_cast<std::int32_t>(a.int_unchecked()), j = static_cast<std::int32_t>(b->int_unchecked());
      std::vector<Point> pts;
      pts.reserve(offsets.size());
      for (Point d : offsets) pts.push_back({i + d.i, j + d.j});
      return make_sorted_indices(std::move(pts));
    }
  }
  // Python: loc[0] - 1 etc. on whatever loc holds (a TypeError unless ints), loc[0]'s arithmetic
  // before loc[1] is read.
  std::vector<Value> out;
  for (Point d : offsets) {
    auto step = [](const Value& x, int dx) {
      if (dx == 0) return x;
      return dx < 0 ? py_sub(x, Value::integer(1)) : py_add(x, Value::integer(1));
    };
    Value x = step(a, d.i);
    if (!b) b = py_index(loc, 1);
    out.push_back(make_tuple({std::move(x), step(*b, d.j)}));
  }
  return make_set(std::move(out));
}

constexpr Point kDOffsets[] = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};
constexpr Point kIOffsets[] = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
constexpr Point kAllOffsets[] = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};

// ---- connected components on a dense h x w array of colour ids ----
struct Components {
  std::vector<std::uint8_t> seen;
  std::vector<std::int32_t> order, start;  // component k: order[start[k] .. start[k+1]), ascending
  int count() const { return static_cast<int>(start.size()) - 1; }
};
Components& scratch() {
  thread_local Components s;
  return s;
}

// Floods the components in row-major seed order. `order` doubles as each flood's queue, so a
// component's positions are recorded as they are found and only its own cells are sorted: a
// giant, mostly background grid costs one pass and a byte per cell, not label arrays scanned twice.
// cond: univalued -> same id as the seed; otherwise any non-background id (everything when !has_bg).
void find_components(const std::int32_t* col, int h, int w, bool univalued, bool diagonal, bool has_bg,
                     std::int32_t bg, Components& out) {
  const int n = h * w;
  out.seen.assign(static_cast<std::size_t>(n), 0);
  out.order.clear();
  out.start.assign(1, 0);
  const Point* offs = diagonal ? kAllOffsets : kDOffsets;
  const int noffs = diagonal ? 8 : 4;
  for (int p = 0; p < n; ++p) {
    if (out.seen[p]) continue;
    const std::int32_t seed = col[p];
    if (has_bg && seed == bg) continue;
    const std::size_t base = out.order.size();
    out.seen[p] = 1;
    out.order.push_back(p);
    for (std::size_t t = base; t < out.order.size(); ++t) {
      const int q = out.order[t];
      const int qi = q / w, qj = q - qi * w;
      for (int k = 0; k < noffs; ++k) {
        const int ni = qi + offs[k].i, nj = qj + offs[k].j;
        if (ni < 0 || ni >= h || nj < 0 || nj >= w) continue;
        const int np = ni * w + nj;
        if (out.seen[np]) continue;
        const std::int32_t c = col[np];
        if (univalued ? c == seed : (!has_bg || c != bg)) {
          out.seen[np] = 1;
          out.order.push_back(np);
        }
      }
    }
    std::sort(out.order.begin() + static_cast<std::ptrdiff_t>(base), out.order.end());
    out.start.push_back(static_cast<std::int32_t>(out.order.size()));
  }
}

// objects() on a canonical Grid.
Value objects_grid(const Grid& g, bool univalued, bool diagonal, bool without_bg) {
  bool has_bg = false;
  std::int32_t bg = 0;
  if (without_bg) {
    ColorHist hist;
    hist.add_grid(g);
    if (hist.total == 0) throw EvalError("max() arg is an empty sequence");
    has_bg = true;
    bg = hist.most();
  }
  if (g.w == 0) return empty_set();
  // Labelling builds an h x w array, as objects_generic materialises one: both charge it, so a
  // runaway program's giant grid stops here instead of being scanned.
  charge_cells(static_cast<std::int64_t>(g.h) * g.w);
  Components& s = scratch();
  find_components(g.cells.data(), g.h, g.w, univalued, diagonal, has_bg, bg, s);
  const int ncomp = s.count();
  std::vector<std::vector<CellV>> comps(static_cast<std::size_t>(ncomp));
  std::vector<CellV> firsts(static_cast<std::size_t>(ncomp));
  for (int k = 0; k < ncomp; ++k) {
    std::vector<CellV>& cells = comps[k];
    cells.reserve(static_cast<std::size_t>(s.start[k + 1] - s.start[k]));
    bool one_colour = true;
    for (std::int32_t t = s.start[k]; t < s.start[k + 1]; ++t) {
      const std::int32_t p = s.order[t];
      const std::int32_t c = g.cells[p];
      if (!cells.empty() && c != cells.front().c) one_colour = false;
      cells.push_back({c, p / g.w, p % g.w});
    }
    if (!one_colour) std::sort(cells.begin(), cells.end());
    firsts[k] = cells.front();
  }
  // Components are disjoint, so their first cells differ and order the objects canonically;
  // handing make_set an ascending list spares it the sort.
  std::vector<std::int32_t> perm(static_cast<std::size_t>(ncomp));
  for (int k = 0; k < ncomp; ++k) perm[k] = k;
  std::sort(perm.begin(), perm.end(), [&](std::int32_t a, std::int32_t b) { return firsts[a] < firsts[b]; });
  std::vector<Value> objs;
  objs.reserve(static_cast<std::size_t>(ncomp));
  for (std::int32_t k : perm) objs.push_back(make_sorted_object(std::move(comps[k])));
  return make_set(std::move(objs));
}

// objects() on any other tuple: Python indexes grid[i][j] for every in-bounds (i, j) of the
// h x len(grid[0]) rectangle, so materialise them (raising as Python would), intern the values and
// label the ids.
Value objects_generic(const Value& grid, bool univalued, bool diagonal, bool without_bg) {
  Value bgv;
  if (without_bg) bgv = dsl::mostcolor(grid);
  const std::int64_t h = py_len(grid);
  const std::int64_t w = py_len(py_index(grid, 0));
  if (h * w == 0) return empty_set();
  charge_cells(h * w);
  if (h * w > std::numeric_limits<std::int32_t>::max() / 2) throw BudgetExceeded("objects: grid too large");
  std::vector<Value> vals;
  vals.reserve(static_cast<std::size_t>(h * w));
  for (std::int64_t i = 0; i < h; ++i) {
    Value row = py_index(grid, i);
    for (std::int64_t j = 0; j < w; ++j) vals.push_back(py_index(row, j));
  }
  auto less = [](const Value& a, const Value& b) { return compare(a, b) < 0; };
  std::vector<Value> distinct = vals;
  std::sort(distinct.begin(), distinct.end(), less);
  distinct.erase(std::unique(distinct.begin(), distinct.end(), [](const Value& a, const Value& b) { return compare(a, b) == 0; }),
                 distinct.end());
  auto id_of = [&](const Value& v) -> std::int32_t {
    auto it = std::lower_bound(distinct.begin(), distinct.end(), v, less);
    if (it == distinct.end() || compare(*it, v) != 0) return -1;
    return static_cast<std::int32_t>(it - distinct.begin());
  };
  std::vector<std::int32_t> ids(vals.size());
  for (std::size_t p = 0; p < vals.size(); ++p) ids[p] = id_of(vals[p]);
  const std::int32_t bg = without_bg ? id_of(bgv) : -1;  // -1 matches no cell
  Components comps;
  find_components(ids.data(), static_cast<int>(h), static_cast<int>(w), univalued, diagonal, without_bg, bg, comps);
  const int ncomp = comps.count();
  const auto& order = comps.order;
  const auto& start = comps.start;
  std::vector<Value> objs;
  for (int k = 0; k < ncomp; ++k) {
    std::vector<Value> cells;
    for (std::int32_t t = start[k]; t < start[k + 1]; ++t) {
      const std::int32_t p = order[t];
      cells.push_back(make_tuple({vals[p], Value::pair(p / w, p % w)}));
    }
    objs.push_back(make_set(std::move(cells)));
  }
  return make_set(std::move(objs));
}

// partition / fgpartition on a canonical Grid: one object per colour, cells in row-major order.
Value partition_grid(const Grid& g, bool without_bg) {
  ColorHist hist;
  hist.add_grid(g);
  std::int32_t skip = 0;
  bool has_skip = false;
  if (without_bg) {
    if (hist.total == 0) throw EvalError("max() arg is an empty sequence");
    skip = hist.most();
    has_skip = true;
  }
  std::vector<std::int32_t> colours;
  hist.each([&](std::int32_t c, std::int64_t) {
    if (!has_skip || c != skip) colours.push_back(c);
  });
  std::vector<Value> objs;
  objs.reserve(colours.size());
  if (hist.other.empty()) {
    // one pass: per-colour buckets of 0..15
    std::array<std::vector<CellV>, 16> buckets;
    for (std::int32_t c : colours) buckets[c].reserve(static_cast<std::size_t>(hist.small[c]));
    for (int i = 0; i < g.h; ++i)
      for (int j = 0; j < g.w; ++j) {
        Color c = g.at(i, j);
        if (has_skip && c == skip) continue;
        buckets[c].push_back({c, i, j});
      }
    for (std::int32_t c : colours) objs.push_back(make_sorted_object(std::move(buckets[c])));
  } else {
    for (std::int32_t c : colours) {
      std::vector<CellV> cells;
      for (int i = 0; i < g.h; ++i)
        for (int j = 0; j < g.w; ++j)
          if (g.at(i, j) == c) cells.push_back({c, i, j});
      objs.push_back(make_sorted_object(std::move(cells)));
    }
  }
  return make_set(std::move(objs));
}

// partition / fgpartition on anything else, following dsl.py's comprehension literally.
Value partition_generic(const Value& grid, bool without_bg) {
  Value pal = dsl::palette(grid);
  std::vector<Value> colours = elements(pal);
  if (without_bg) {
    Value mc = dsl::mostcolor(grid);
    std::erase_if(colours, [&](const Value& v) { return py_eq(v, mc); });
  }
  std::vector<Value> objs;
  for (const Value& value : colours) {
    std::vector<Value> cells;
    std::int64_t i = 0;
    for_each_element(grid, [&](const Value& r) {
      std::int64_t j = 0;
      for_each_element(r, [&](const Value& v) {
        if (py_eq(v, value)) cells.push_back(make_tuple({v, Value::pair(i, j)}));
        ++j;
      });
      ++i;
    });
    objs.push_back(make_set(std::move(cells)));
  }
  return make_set(std::move(objs));
}

// Row (which = 0) or column (which = 1) values of a patch: sorted unique ints on the fast path.
bool fast_coord_set(const Value& patch, int which, std::vector<std::int32_t>& out) {
  out.clear();
  bool ok = visit_points(patch, [&](std::int32_t i, std::int32_t j) { out.push_back(which == 0 ? i : j); });
  if (!ok) return false;
  if (!(patch.kind() == Kind::Indices && which == 0)) std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return true;
}

std::vector<Value> generic_coord_set(const Value& patch, int which) {
  std::vector<Value> v = generic_coords(patch, which);
  std::sort(v.begin(), v.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  v.erase(std::unique(v.begin(), v.end(), [](const Value& a, const Value& b) { return compare(a, b) == 0; }), v.end());
  return v;
}

bool coords_overlap(const Value& a, const Value& b, int which) {
  thread_local std::vector<std::int32_t> xa, xb;
  const bool fa = fast_coord_set(a, which, xa);
  std::vector<Value> ga;
  if (!fa) ga = generic_coord_set(a, which);
  const bool fb = fast_coord_set(b, which, xb);
  std::vector<Value> gb;
  if (!fb) gb = generic_coord_set(b, which);
  if (fa && fb) {
    std::size_t p = 0, q = 0;
    while (p < xa.size() && q < xb.size()) {
      if (xa[p] == xb[q]) return true;
      if (xa[p] < xb[q]) ++p;
      else ++q;
    }
    return false;
  }
  if (fa)
    for (std::int32_t x : xa) ga.push_back(Value::integer(x));
  if (fb)
    for (std::int32_t x : xb) gb.push_back(Value::integer(x));
  for (const Value& x : ga)
    if (std::binary_search(gb.begin(), gb.end(), x, [](const Value& u, const Value& v) { return compare(u, v) < 0; }))
      return true;
  return false;
}

// The (i, j) list of a canonical patch (Object indices may repeat), or false.
bool fast_points(const Value& patch, std::vector<Point>& out) {
  out.clear();
  return visit_points(patch, [&](std::int32_t i, std::int32_t j) { out.push_back({i, j}); });
}

}  // namespace

namespace dsl {

Value mostcolor(const Value& element) { return most_or_least(element, true); }

Value leastcolor(const Value& element) { return most_or_least(element, false); }

Value height(const Value& piece) {
  if (piece.size() == 0) return Value::integer(0);
  if (piece.is_tuple()) return Value::integer(py_len(piece));
  if (piece.kind() == Kind::Indices) {
    auto pts = piece.points();
    return Value::integer(static_cast<std::int64_t>(pts.back().i) - pts.front().i + 1);
  }
  return py_add(py_sub(lowermost(piece), uppermost(piece)), Value::integer(1));
}

Value width(const Value& piece) {
  if (piece.size() == 0) return Value::integer(0);
  if (piece.kind() == Kind::Grid) return Value::integer(piece.grid().w);
  if (piece.is_tuple()) return Value::integer(py_len(py_index(piece, 0)));
  return py_add(py_sub(rightmost(piece), leftmost(piece)), Value::integer(1));
}

Value shape(const Value& piece) { return make_tuple({height(piece), width(piece)}); }

Value portrait(const Value& piece) {
  Value h = height(piece);
  return Value::boolean(py_gt(h, width(piece)));
}

Value colorcount(const Value& element, const Value& value) {
  switch (element.kind()) {
    case Kind::Grid: {
      if (!value.is_int()) return Value::integer(0);
      const std::int64_t v = value.int_unchecked();
      std::int64_t n = 0;
      for (Color c : element.grid().cells) n += c == v;
      return Value::integer(n);
    }
    case Kind::Object: {
      if (!value.is_int()) return Value::integer(0);
      const std::int64_t v = value.int_unchecked();
      std::int64_t n = 0;
      for (CellV c : element.cells()) n += c.c == v;
      return Value::integer(n);
    }
    case Kind::Indices: {
      if (!value.is_int()) return Value::integer(0);
      const std::int64_t v = value.int_unchecked();
      std::int64_t n = 0;
      for (Point p : element.points()) n += p.i == v;
      return Value::integer(n);
    }
    default: break;
  }
  std::int64_t n = 0;
  if (element.is_tuple()) {
    // sum(row.count(value) for row in element): each row needs tuple.count
    for_each_element(element, [&](const Value& row) {
      if (!row.is_tuple()) throw EvalError(std::string("'") + row.type_name() + "' object has no attribute 'count'");
      for_each_element(row, [&](const Value& v) { n += py_eq(v, value); });
    });
  } else {
    for_each_element(element, [&](const Value& e) { n += py_eq(unpack2(e).first, value); });
  }
  return Value::integer(n);
}

Value colorfilter(const Value& objs, const Value& value) {
  std::vector<Value> keep;
  for_each_element(objs, [&](const Value& obj) {
    Value c = obj.kind() == Kind::Object ? Value::integer(obj.cells()[0].c) : py_index(first_element(obj), 0);
    if (py_eq(c, value)) keep.push_back(obj);
  });
  return make_set(std::move(keep));
}

Value sizefilter(const Value& container, const Value& n) {
  std::vector<Value> keep;
  for_each_element(container, [&](const Value& item) {
    if (py_eq(Value::integer(py_len(item)), n)) keep.push_back(item);
  });
  return make_set(std::move(keep));
}

Value asindices(const Value& grid) {
  const std::int64_t h = py_len(grid);
  if (h == 0) return empty_set();  // range(0): grid[0] is never looked at
  const std::int64_t w = grid.kind() == Kind::Grid ? grid.grid().w : py_len(py_index(grid, 0));
  if (w == 0) return empty_set();
  charge_cells(h * w);
  if (!fits_int32(h) || !fits_int32(w)) throw BudgetExceeded("asindices: grid too large");
  std::vector<Point> pts;
  pts.reserve(static_cast<std::size_t>(h * w));
  for (std::int32_t i = 0; i < h; ++i)
    for (std::int32_t j = 0; j < w; ++j) pts.push_back({i, j});
  return make_sorted_indices(std::move(pts));
}

Value ofcolor(const Value& grid, const Value& value) {
  if (grid.kind() == Kind::Grid) {
    if (!value.is_int()) return empty_set();
    const Grid& g = grid.grid();
    const std::int64_t v = value.int_unchecked();
    std::vector<Point> pts;
    for (int i = 0; i < g.h; ++i) {
      const Color* row = g.cells.data() + static_cast<std::size_t>(i) * g.w;
      for (int j = 0; j < g.w; ++j)
        if (row[j] == v) pts.push_back({i, j});
    }
    return make_sorted_indices(std::move(pts));
  }
  std::vector<Value> out;
  std::int64_t i = 0;
  for_each_element(grid, [&](const Value& r) {
    std::int64_t j = 0;
    for_each_element(r, [&](const Value& v) {
      if (py_eq(v, value)) out.push_back(Value::pair(i, j));
      ++j;
    });
    ++i;
  });
  return make_set(std::move(out));
}

Value ulcorner(const Value& patch) { return corner(patch, false, false, false); }
Value urcorner(const Value& patch) { return corner(patch, false, true, true); }
Value llcorner(const Value& patch) { return corner(patch, true, false, true); }
Value lrcorner(const Value& patch) { return corner(patch, true, true, false); }

Value crop(const Value& grid, const Value& start, const Value& dims) {
  // rows: grid[start[0]:start[0]+dims[0]]
  // operands in Python's order (start's item before dims'); C++ leaves argument order open
  const Value s0 = py_index(start, 0);
  const Value e0 = py_add(s0, py_index(dims, 0));
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    auto [r0, r1] = slice_range(g.h, slice_index(s0), slice_index(e0));
    if (r0 == r1) return empty_tuple();
    const Value s1 = py_index(start, 1);
    const Value e1 = py_add(s1, py_index(dims, 1));
    auto [c0, c1] = slice_range(g.w, slice_index(s1), slice_index(e1));
    Grid out(static_cast<int>(r1 - r0), static_cast<int>(c1 - c0));
    for (std::int64_t i = r0; i < r1; ++i)
      std::copy(g.cells.begin() + i * g.w + c0, g.cells.begin() + i * g.w + c1,
                out.cells.begin() + (i - r0) * (c1 - c0));
    return make_grid(std::move(out));
  }
  Value rows = py_slice(grid, slice_index(s0), slice_index(e0));
  std::vector<Value> out;
  for_each_element(rows, [&](const Value& r) {
    const Value s1 = py_index(start, 1);
    const Value e1 = py_add(s1, py_index(dims, 1));
    out.push_back(py_slice(r, slice_index(s1), slice_index(e1)));
  });
  return make_tuple(std::move(out));
}

Value toindices(const Value& patch) {
  if (patch.kind() == Kind::Indices) return patch;
  if (patch.kind() == Kind::Object) {
    auto cs = patch.cells();
    std::vector<Point> pts;
    pts.reserve(cs.size());
    for (CellV c : cs) pts.push_back({c.i, c.j});
    if (cs.front().c == cs.back().c) return make_sorted_indices(std::move(pts));  // one colour: (i, j) order
    return make_indices(std::move(pts));
  }
  if (patch.size() == 0) return empty_set();
  if (!py_index(first_element(patch), 1).is_tuple()) return patch;
  std::vector<Value> out;
  for_each_element(patch, [&](const Value& e) { out.push_back(unpack2(e).second); });
  return make_set(std::move(out));
}

Value recolor(const Value& value, const Value& patch) {
  if (value.is_int() && fits_int32(value.int_unchecked())) {
    const std::int32_t c = static_cast<std::int32_t>(value.int_unchecked());
    if (patch.kind() == Kind::Indices || patch.kind() == Kind::Object) {
      std::vector<CellV> cells;
      cells.reserve(patch.size());
      visit_points(patch, [&](std::int32_t i, std::int32_t j) { cells.push_back({c, i, j}); });
      if (patch.kind() == Kind::Indices || patch.cells().front().c == patch.cells().back().c)
        return make_sorted_object(std::move(cells));
      return make_object(std::move(cells));
    }
  }
  Value t = toindices(patch);
  std::vector<Value> out;
  for_each_element(t, [&](const Value& idx) { out.push_back(make_tuple({value, idx})); });
  return make_set(std::move(out));
}

Value shift(const Value& patch, const Value& directions) {
  if (patch.size() == 0) return patch;
  const auto [di_, dj_] = unpack2(directions);
  const Value &di = di_, &dj = dj_;  // named references: clang 14 cannot capture structured bindings
  if (di.is_int() && dj.is_int() && (patch.kind() == Kind::Indices || patch.kind() == Kind::Object)) {
    const std::int64_t a = di.int_unchecked(), b = dj.int_unchecked();
    if (a == 0 && b == 0) return patch;
    bool ok = fits_int32(a) && fits_int32(b);
    if (ok && patch.kind() == Kind::Indices) {
      auto pts = patch.points();
      std::int64_t lo_i = pts.front().i, hi_i = pts.back().i, lo_j = pts.front().j, hi_j = lo_j;
      for (Point p : pts) lo_j = std::min<std::int64_t>(lo_j, p.j), hi_j = std::max<std::int64_t>(hi_j, p.j);
      if (fits_int32(lo_i + a) && fits_int32(hi_i + a) && fits_int32(lo_j + b) && fits_int32(hi_j + b)) {
        std::vector<Point> out(pts.size());  // sized up front: the copy loop then vectorises
        for (std::size_t k = 0; k < pts.size(); ++k)
          out[k] = {static_cast<std::int32_t>(pts[k].i + a), static_cast<std::int32_t>(pts[k].j + b)};
        return make_sorted_indices(std::move(out));
      }
    } else if (ok) {
      auto cs = patch.cells();
      std::int64_t lo_i = cs.front().i, hi_i = lo_i, lo_j = cs.front().j, hi_j = lo_j;
      for (CellV c : cs) {
        lo_i = std::min<std::int64_t>(lo_i, c.i), hi_i = std::max<std::int64_t>(hi_i, c.i);
        lo_j = std::min<std::int64_t>(lo_j, c.j), hi_j = std::max<std::int64_t>(hi_j, c.j);
      }
      if (fits_int32(lo_i + a) && fits_int32(hi_i + a) && fits_int32(lo_j + b) && fits_int32(hi_j + b)) {
        std::vector<CellV> out(cs.size());
        for (std::size_t k = 0; k < cs.size(); ++k)
          out[k] = {cs[k].c, static_cast<std::int32_t>(cs[k].i + a), static_cast<std::int32_t>(cs[k].j + b)};
        return make_sorted_object(std::move(out));
      }
    }
  }
  std::vector<Value> out;
  if (py_index(first_element(patch), 1).is_tuple()) {
    for_each_element(patch, [&](const Value& e) {
      auto [v, ij] = unpack2(e);
      auto [i, j] = unpack2(ij);
      out.push_back(make_tuple({v, make_tuple({py_add(i, di), py_add(j, dj)})}));
    });
  } else {
    for_each_element(patch, [&](const Value& e) {
      auto [i, j] = unpack2(e);
      out.push_back(make_tuple({py_add(i, di), py_add(j, dj)}));
    });
  }
  return make_set(std::move(out));
}

Value normalize(const Value& patch) {
  if (patch.size() == 0) return patch;
  Value up = uppermost(patch);
  Value left = leftmost(patch);
  return shift(patch, make_tuple({py_neg(up), py_neg(left)}));
}

Value dneighbors(const Value& loc) { return neighbourhood(loc, kDOffsets); }
Value ineighbors(const Value& loc) { return neighbourhood(loc, kIOffsets); }
Value neighbors(const Value& loc) { return neighbourhood(loc, kAllOffsets); }

Value objects(const Value& grid, const Value& univalued, const Value& diagonal, const Value& without_bg) {
  const bool uni = univalued.truthy(), diag = diagonal.truthy(), nobg = without_bg.truthy();
  if (grid.kind() == Kind::Grid) return objects_grid(grid.grid(), uni, diag, nobg);
  return objects_generic(grid, uni, diag, nobg);
}

Value partition(const Value& grid) {
  if (grid.kind() == Kind::Grid) return partition_grid(grid.grid(), false);
  return partition_generic(grid, false);
}

Value fgpartition(const Value& grid) {
  if (grid.kind() == Kind::Grid) return partition_grid(grid.grid(), true);
  return partition_generic(grid, true);
}

Value uppermost(const Value& patch) { return extreme_coord(patch, 0, false); }
Value lowermost(const Value& patch) { return extreme_coord(patch, 0, true); }
Value leftmost(const Value& patch) { return extreme_coord(patch, 1, false); }
Value rightmost(const Value& patch) { return extreme_coord(patch, 1, true); }

Value square(const Value& piece) {
  if (piece.kind() == Kind::Grid) return Value::boolean(piece.grid().h == piece.grid().w);
  if (piece.is_tuple()) return Value::boolean(py_len(piece) == py_len(py_index(piece, 0)));
  // height(piece) * width(piece) == len(piece) and height(piece) == width(piece), left to right
  Value h = height(piece);
  Value area = py_mul(h, width(piece));
  if (!py_eq(area, Value::integer(py_len(piece)))) return Value::boolean(false);
  Value h2 = height(piece);
  return Value::boolean(py_eq(h2, width(piece)));
}

Value vline(const Value& patch) {
  Value h = height(patch);  // before len(patch), as Python evaluates it
  if (!py_eq(h, Value::integer(py_len(patch)))) return Value::boolean(false);
  return Value::boolean(py_eq(width(patch), Value::integer(1)));
}

Value hline(const Value& patch) {
  Value w = width(patch);  // before len(patch), as Python evaluates it
  if (!py_eq(w, Value::integer(py_len(patch)))) return Value::boolean(false);
  return Value::boolean(py_eq(height(patch), Value::integer(1)));
}

Value hmatching(const Value& a, const Value& b) { return Value::boolean(coords_overlap(a, b, 0)); }
Value vmatching(const Value& a, const Value& b) { return Value::boolean(coords_overlap(a, b, 1)); }

Value manhattan(const Value& a, const Value& b) {
  thread_local std::vector<Point> pa, pb;
  if (fast_points(a, pa)) {
    if (pa.empty()) throw EvalError("min() arg is an empty sequence");
    if (fast_points(b, pb)) {
      std::int64_t best = std::numeric_limits<std::int64_t>::max();
      for (Point p : pa) {
        for (Point q : pb) {
          std::int64_t d = std::abs(static_cast<std::int64_t>(p.i) - q.i) + std::abs(static_cast<std::int64_t>(p.j) - q.j);
          if (d < best) best = d;
        }
        if (best == 0) break;
      }
      if (pb.empty()) throw EvalError("min() arg is an empty sequence");
      return Value::integer(best);
    }
  }
  // generic: min(abs(ai - bi) + abs(aj - bj) for ai, aj in toindices(a) for bi, bj in toindices(b))
  std::vector<std::pair<Value, Value>> xa, xb;
  for_each_element(toindices(a), [&](const Value& e) { xa.push_back(unpack2(e)); });
  std::vector<Value> dists;
  if (!xa.empty()) {
    for_each_element(toindices(b), [&](const Value& e) { xb.push_back(unpack2(e)); });
    for (const auto& [ai, aj] : xa)
      for (const auto& [bi, bj] : xb) {
        Value di = py_abs(py_sub(ai, bi));  // before aj - bj, as Python evaluates it
        dists.push_back(py_add(di, py_abs(py_sub(aj, bj))));
      }
  }
  return py_min(dists, kNoKey, "min");
}

Value adjacent(const Value& a, const Value& b) { return Value::boolean(py_eq(manhattan(a, b), Value::integer(1))); }

Value bordering(const Value& patch, const Value& grid) {
  const Value zero = Value::integer(0), one = Value::integer(1);
  if (py_eq(uppermost(patch), zero)) return Value::boolean(true);
  if (py_eq(leftmost(patch), zero)) return Value::boolean(true);
  Value bottom = lowermost(patch);  // before len(grid), as Python evaluates it
  if (py_eq(bottom, py_sub(Value::integer(py_len(grid)), one))) return Value::boolean(true);
  Value right = rightmost(patch);
  return Value::boolean(py_eq(right, py_sub(Value::integer(py_len(py_index(grid, 0))), one)));
}

Value centerofmass(const Value& patch) {
  if (patch.kind() == Kind::Indices || patch.kind() == Kind::Object) {
    const std::int64_t n = py_len(patch);
    std::int64_t si = 0, sj = 0;
    if (patch.kind() == Kind::Object && patch.cells().front().c != patch.cells().back().c) {
      // several colours: toindices may merge cells, but the divisor stays len(patch)
      Value t = toindices(patch);
      for (Point p : t.points()) si += p.i, sj += p.j;
    } else {
      visit_points(patch, [&](std::int32_t i, std::int32_t j) { si += i, sj += j; });
    }
    return Value::pair(floordiv(si, n), floordiv(sj, n));
  }
  Value t = toindices(patch);
  auto cols = zip_columns(t);
  std::vector<Value> out;
  for (const auto& col : cols) {
    Value s = Value::integer(0);
    for (const Value& x : col) s = py_add(s, x);
    out.push_back(py_floordiv(s, Value::integer(py_len(patch))));
  }
  return make_tuple(std::move(out));
}

Value palette(const Value& element) {
  ColorHist h;
  if (fast_hist(element, h)) {
    std::vector<Value> out;
    h.each([&](std::int32_t c, std::int64_t) { out.push_back(Value::integer(c)); });
    return make_set(std::move(out));
  }
  return make_set(color_values(element));
}

Value numcolors(const Value& element) { return Value::integer(py_len(palette(element))); }

Value color(const Value& obj) {
  if (obj.kind() == Kind::Object) return Value::integer(obj.cells()[0].c);
  return py_index(first_element(obj), 0);
}

Value toobject(const Value& patch, const Value& grid) {
  const std::int64_t h = py_len(grid);
  const std::int64_t w = grid.kind() == Kind::Grid ? grid.grid().w : py_len(py_index(grid, 0));
  thread_local std::vector<Point> pts;
  if (grid.kind() == Kind::Grid && fast_points(patch, pts)) {
    const Grid& g = grid.grid();
    std::vector<CellV> cells;
    cells.reserve(pts.size());
    for (Point p : pts)
      if (p.i >= 0 && p.i < h && p.j >= 0 && p.j < w) cells.push_back({g.at(p.i, p.j), p.i, p.j});
    if (!std::is_sorted(cells.begin(), cells.end())) return make_object(std::move(cells));
    cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
    return make_sorted_object(std::move(cells));
  }
  const Value t = toindices(patch);
  const Value zero = Value::integer(0), hv = Value::integer(h), wv = Value::integer(w);
  std::vector<Value> out;
  for_each_element(t, [&](const Value& e) {
    auto [i, j] = unpack2(e);
    // 0 <= i < h and 0 <= j < w (chained, short-circuit)
    if (py_gt(zero, i) || !py_lt(i, hv)) return;
    if (py_gt(zero, j) || !py_lt(j, wv)) return;
    Value v = py_index(py_index(grid, i.int_unchecked()), j.int_unchecked());
    out.push_back(make_tuple({v, make_tuple({i, j})}));
  });
  return make_set(std::move(out));
}

Value asobject(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    ColorHist hist;
    hist.add_grid(g);
    std::vector<CellV> cells(g.cells.size());
    if (hist.other.empty()) {
      // counting sort by colour keeps row-major order within a colour
      std::array<std::size_t, 16> at{};
      std::size_t run = 0;
      for (int c = 0; c < 16; ++c) at[c] = run, run += static_cast<std::size_t>(hist.small[c]);
      for (int i = 0; i < g.h; ++i)
        for (int j = 0; j < g.w; ++j) {
          Color c = g.at(i, j);
          cells[at[c]++] = {c, i, j};
        }
    } else {
      std::size_t k = 0;
      for (int i = 0; i < g.h; ++i)
        for (int j = 0; j < g.w; ++j) cells[k++] = {g.at(i, j), i, j};
      std::sort(cells.begin(), cells.end());
    }
    return make_sorted_object(std::move(cells));
  }
  std::vector<Value> out;
  std::int64_t i = 0;
  for_each_element(grid, [&](const Value& r) {
    std::int64_t j = 0;
    for_each_element(r, [&](const Value& v) {
      out.push_back(make_tuple({v, Value::pair(i, j)}));
      ++j;
    });
    ++i;
  });
  return make_set(std::move(out));
}

}  // namespace dsl

namespace {

using dsl::body;

constexpr PrimitiveDef kPatches[] = {
    {.name = "mostcolor", .signature = "element: Element -> Integer", .fn = body<dsl::mostcolor>,
     .description = "the colour occurring most often (smallest on ties)", .picks_colour = true},
    {.name = "leastcolor", .signature = "element: Element -> Integer", .fn = body<dsl::leastcolor>,
     .description = "the colour occurring least often (smallest on ties)", .picks_colour = true},
    {.name = "height", .signature = "piece: Piece -> Integer", .fn = body<dsl::height>,
     .description = "number of rows of a grid, or row span of a patch"},
    {.name = "width", .signature = "piece: Piece -> Integer", .fn = body<dsl::width>,
     .description = "number of columns of a grid, or column span of a patch"},
    {.name = "shape", .signature = "piece: Piece -> IntegerTuple", .fn = body<dsl::shape>,
     .description = "(height, width) of a grid or patch"},
    {.name = "portrait", .signature = "piece: Piece -> Boolean", .fn = body<dsl::portrait>,
     .description = "true when taller than wide"},
    {.name = "colorcount", .signature = "element: Element, value: Integer -> Integer", .fn = body<dsl::colorcount>,
     .description = "how many cells carry the given colour"},
    {.name = "colorfilter", .signature = "objs: Objects, value: Integer -> Objects", .fn = body<dsl::colorfilter>,
     .description = "keeps the objects whose (first) colour is the given one"},
    {.name = "sizefilter", .signature = "container: Container, n: Integer -> FrozenSet",
     .fn = body<dsl::sizefilter>, .description = "keeps the members whose length is n"},
    {.name = "asindices", .signature = "grid: Grid -> Indices", .fn = body<dsl::asindices>,
     .description = "every (row, column) position of a grid"},
    {.name = "ofcolor", .signature = "grid: Grid, value: Integer -> Indices", .fn = body<dsl::ofcolor>,
     .description = "positions of the grid cells holding a colour"},
    {.name = "ulcorner", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::ulcorner>,
     .description = "top-left corner (min row, min column) of a patch"},
    {.name = "urcorner", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::urcorner>,
     .description = "top-right corner (min row, max column) of a patch"},
    {.name = "llcorner", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::llcorner>,
     .description = "bottom-left corner (max row, min column) of a patch"},
    {.name = "lrcorner", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::lrcorner>,
     .description = "bottom-right corner (max row, max column) of a patch"},
    {.name = "crop", .signature = "grid: Grid, start: IntegerTuple, dims: IntegerTuple -> Grid",
     .fn = body<dsl::crop>, .description = "the sub-grid starting at a position with given dimensions"},
    {.name = "toindices", .signature = "patch: Patch -> Indices", .fn = body<dsl::toindices>,
     .description = "the positions covered by a patch (drops colours)"},
    {.name = "recolor", .signature = "value: Integer, patch: Patch -> Object", .fn = body<dsl::recolor>,
     .description = "an object painting every position of a patch in one colour", .palette = PaletteRule::OfArg0},
    {.name = "shift", .signature = "patch: Patch, directions: IntegerTuple -> Patch", .fn = body<dsl::shift>,
     .description = "a patch translated by a (row, column) offset", .palette = PaletteRule::Keeps0},
    {.name = "normalize", .signature = "patch: Patch -> Patch", .fn = body<dsl::normalize>,
     .description = "a patch translated so its top-left corner is the origin", .palette = PaletteRule::Keeps0},
    {.name = "dneighbors", .signature = "loc: IntegerTuple -> Indices", .fn = body<dsl::dneighbors>,
     .description = "the four orthogonal neighbour positions"},
    {.name = "ineighbors", .signature = "loc: IntegerTuple -> Indices", .fn = body<dsl::ineighbors>,
     .description = "the four diagonal neighbour positions"},
    {.name = "neighbors", .signature = "loc: IntegerTuple -> Indices", .fn = body<dsl::neighbors>,
     .description = "all eight neighbour positions"},
    {.name = "objects",
     .signature = "grid: Grid, univalued: Boolean, diagonal: Boolean, without_bg: Boolean -> Objects",
     .fn = body<dsl::objects>,
     .description = "connected components of a grid (univalued, diagonal, without background)"},
    {.name = "partition", .signature = "grid: Grid -> Objects", .fn = body<dsl::partition>,
     .description = "one object per colour of the grid"},
    {.name = "fgpartition", .signature = "grid: Grid -> Objects", .fn = body<dsl::fgpartition>,
     .description = "one object per colour, except the most common one"},
    {.name = "uppermost", .signature = "patch: Patch -> Integer", .fn = body<dsl::uppermost>,
     .description = "smallest row index of a patch"},
    {.name = "lowermost", .signature = "patch: Patch -> Integer", .fn = body<dsl::lowermost>,
     .description = "largest row index of a patch"},
    {.name = "leftmost", .signature = "patch: Patch -> Integer", .fn = body<dsl::leftmost>,
     .description = "smallest column index of a patch"},
    {.name = "rightmost", .signature = "patch: Patch -> Integer", .fn = body<dsl::rightmost>,
     .description = "largest column index of a patch"},
    {.name = "square", .signature = "piece: Piece -> Boolean", .fn = body<dsl::square>,
     .description = "true when a grid, or a filled patch, is square"},
    {.name = "vline", .signature = "patch: Patch -> Boolean", .fn = body<dsl::vline>,
     .description = "true when a patch is a one-column contiguous line"},
    {.name = "hline", .signature = "patch: Patch -> Boolean", .fn = body<dsl::hline>,
     .description = "true when a patch is a one-row contiguous line"},
    {.name = "hmatching", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<dsl::hmatching>,
     .description = "true when two patches share a row"},
    {.name = "vmatching", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<dsl::vmatching>,
     .description = "true when two patches share a column"},
    {.name = "manhattan", .signature = "a: Patch, b: Patch -> Integer", .fn = body<dsl::manhattan>,
     .description = "smallest city-block distance between positions of two patches"},
    {.name = "adjacent", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<dsl::adjacent>,
     .description = "true when two patches are at city-block distance one"},
    {.name = "bordering", .signature = "patch: Patch, grid: Grid -> Boolean", .fn = body<dsl::bordering>,
     .description = "true when a patch touches an edge of the grid"},
    {.name = "centerofmass", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::centerofmass>,
     .description = "floored mean (row, column) of a patch's positions"},
    {.name = "palette", .signature = "element: Element -> IntegerSet", .fn = body<dsl::palette>,
     .description = "the set of colours present"},
    {.name = "numcolors", .signature = "element: Element -> IntegerSet", .fn = body<dsl::numcolors>,
     .description = "how many distinct colours are present"},
    {.name = "color", .signature = "obj: Object -> Integer", .fn = body<dsl::color>,
     .description = "colour of an object's first cell", .picks_colour = true},
    {.name = "toobject", .signature = "patch: Patch, grid: Grid -> Object", .fn = body<dsl::toobject>,
     .description = "the object a patch covers on a grid (cells outside dropped)", .palette = PaletteRule::OfArg1},
    {.name = "asobject", .signature = "grid: Grid -> Object", .fn = body<dsl::asobject>,
     .description = "every cell of a grid as an object", .palette = PaletteRule::OfArg0},
};

}  // namespace

std::span<const PrimitiveDef> arc_patches_family() { return kPatches; }

}  // namespace megabatch::cpu
