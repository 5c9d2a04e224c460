// tokpidjin primitives: patches family (mostcolor_t .. asobject): colours, sizes and corners of
// grids and patches, objects and partitions. tokpidjin's cells are (i, j, c); its _t variants take
// grids (tuples), _f patches (frozensets), _i indices and _o objects. Empty patches give nan or inf
// where dsl.py says so. See basics.cpp for how the bodies follow dsl.py.
#include <algorithm>
#include <map>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/tok/py.hpp"

namespace megabatch::cpu {
namespace {

using namespace tok;

const Value kZero = Value::integer(0), kOne = Value::integer(1);

// ---- colours ----------------------------------------------------------------------------------

std::vector<Value> grid_values(const Value& grid) {
  std::vector<Value> values;
  if (grid.kind() == Kind::Grid) {
    values.reserve(grid.grid().cells.size());
    for (Color c : grid.grid().cells) values.push_back(Value::integer(c));
    return values;
  }
  for (const Value& row : items(grid))
    for (Value& v : items(row)) values.push_back(std::move(v));
  return values;
}

std::vector<Value> cell_colours(const Value& obj) {
  std::vector<Value> colours;
  if (obj.kind() == Kind::TripleSet) {
    for (const TripleV& t : obj.triples()) colours.push_back(Value::integer(t.c));
    return colours;
  }
  for (const Value& cell : items(obj)) colours.push_back(unpack3(cell)[2]);
  return colours;
}

// max / min(set(values), key=values.count): the smallest value with the extreme count; nan when empty.
Value colour_by_count(const std::vector<Value>& values, bool want_max) {
  if (values.empty()) return nan();
  const std::vector<Value> d = distinct(values);
  std::vector<std::int64_t> counts(d.size(), 0);
  for (const Value& v : values)
    counts[static_cast<std::size_t>(std::lower_bound(d.begin(), d.end(), v, [](const Value& a, const Value& b) {
                                      return compare(a, b) < 0;
                                    }) - d.begin())]++;
  std::size_t best = 0;
  for (std::size_t k = 1; k < d.size(); ++k)
    if (want_max ? counts[k] > counts[best] : counts[k] < counts[best]) best = k;
  return d[best];
}

// The same over packed ints: the smallest value with the extreme count.
Value int_colour_by_count(const std::vector<std::int32_t>& ints, bool want_max) {
  if (ints.empty()) return nan();
  const IntTally t = tally(ints);
  std::size_t best = 0;
  for (std::size_t k = 1; k < t.values.size(); ++k)
    if (want_max ? t.counts[k] > t.counts[best] : t.counts[k] < t.counts[best]) best = k;
  return Value::integer(t.values[best]);
}

Value mostcolor_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return int_colour_by_count(*packed_colours(grid), true);
  return colour_by_count(grid_values(grid), true);
}
Value mostcolor_f(const Value& obj) {
  if (obj.kind() == Kind::TripleSet) return int_colour_by_count(*packed_colours(obj), true);
  return colour_by_count(cell_colours(obj), true);
}
Value leastcolor_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return int_colour_by_count(*packed_colours(grid), false);
  return colour_by_count(grid_values(grid), false);
}
Value leastcolor_f(const Value& obj) {
  if (obj.kind() == Kind::TripleSet) return int_colour_by_count(*packed_colours(obj), false);
  return colour_by_count(cell_colours(obj), false);
}

Value int_palette(const std::vector<std::int32_t>& ints) {
  std::vector<Value> out;
  for (std::int64_t v : tally(ints).values) out.push_back(Value::integer(v));
  return make_sorted_set(std::move(out));
}
Value palette_t(const Value& element) {
  if (element.kind() == Kind::Grid) return int_palette(*packed_colours(element));
  return frozenset(grid_values(element));
}
Value palette_f(const Value& element) {
  if (element.kind() == Kind::TripleSet) return int_palette(*packed_colours(element));
  return frozenset(cell_colours(element));
}
Value numcolors_t(const Value& grid) { return Value::integer(static_cast<std::int64_t>(len(call<"palette_t">(grid)))); }
Value numcolors_f(const Value& obj) { return Value::integer(static_cast<std::int64_t>(len(call<"palette_f">(obj)))); }

Value colorcount_t(const Value& grid, const Value& colour) {
  std::int64_t n = 0;
  if (grid.kind() == Kind::Grid) {
    for (Color c : grid.grid().cells) n += py_eq(Value::integer(c), colour);
    return Value::integer(n);
  }
  for (const Value& row : items(grid)) n += count_of(row, colour);
  return Value::integer(n);
}

Value colorcount_f(const Value& obj, const Value& colour) {
  std::int64_t n = 0;
  for (const Value& c : cell_colours(obj)) n += eq(c, colour);
  return Value::integer(n);
}

// next(iter(obj)): the first cell, and c of it; -inf for an empty object or a cell that is no tuple.
Value color(const Value& obj) {
  if (!obj.is_container()) not_iterable(obj);
  if (obj.size() == 0) return neg_inf();
  const Value first = obj.item(0);
  return first.is_tuple() ? at(first, 2) : neg_inf();
}

Value colorfilter(const Value& objs, const Value& colour) {
  std::vector<Value> keep;
  for (Value& obj : items(objs))
    if (eq(at(first_of(obj), 2), colour)) keep.push_back(std::move(obj));
  return frozenset(std::move(keep));
}

Value colorfilter_t(const Value& objs, const Value& colour) {
  std::vector<Value> keep;
  for (Value& obj : items(objs))
    if (eq(at(at(obj, 0), 2), colour)) keep.push_back(std::move(obj));
  return tuple(std::move(keep));
}

Value sizefilter_t(const Value& container, const Value& n) {
  std::vector<Value> keep;
  for (Value& item : items(container))
    if (eq(Value::integer(static_cast<std::int64_t>(len(item))), n)) keep.push_back(std::move(item));
  return tuple(std::move(keep));
}

// ---- indices ----------------------------------------------------------------------------------

// The (i, j) of every cell of an object, or the patch itself when its members are not triples.
Value toindices(const Value& patch) {
  if (!has_len(patch) || patch.size() == 0) return empty_set();
  if (patch.kind() == Kind::Indices) return patch;
  if (patch.kind() == Kind::TripleSet) return triple_points(patch);
  const Value first = patch.item(0);
  if (!has_len(first)) return empty_set();
  if (first.size() != 3) return patch;
  std::vector<Value> ij;
  for (const Value& cell : items(patch)) {
    auto c = unpack3(cell);
    ij.push_back(make_tuple2(std::move(c[0]), std::move(c[1])));
  }
  return frozenset(std::move(ij));
}

Value toindices_i(const Value& indices) { return indices; }

Value toindices_o(const Value& obj) {
  if (!has_len(obj) || obj.size() == 0) return empty_set();
  if (obj.kind() == Kind::TripleSet) return call<"toindices">(obj);
  std::vector<Value> ij;
  for (const Value& cell : items(obj)) {
    auto c = unpack3(cell);
    ij.push_back(make_tuple2(std::move(c[0]), std::move(c[1])));
  }
  return frozenset(std::move(ij));
}

// Row (0) or column (1) of every (i, j) member of `indices` (each must unpack into two).
std::vector<Value> coordinates(const Value& indices, int which) {
  std::vector<Value> out;
  if (indices.kind() == Kind::Indices) {
    for (const Point& p : indices.points()) out.push_back(Value::integer(which ? p.j : p.i));
    return out;
  }
  for (const Value& m : items(indices)) {
    auto [i, j] = unpack2(m);
    out.push_back(which ? std::move(j) : std::move(i));
  }
  return out;
}

enum class Via { Patch, Indices, Object };
Value indices_via(const Value& x, Via via) {
  switch (via) {
    case Via::Patch: return call<"toindices">(x);
    case Via::Indices: return call<"toindices_i">(x);
    case Via::Object: return call<"toindices_o">(x);
  }
  return x;
}

// lowermost .. rightmost: the extreme row or column of the patch's indices; nan for a falsy patch
// where dsl.py checks (rightmost_i and rightmost_o do not).
Value extreme_coordinate(const Value& patch, Via via, int which, bool want_max, bool check_empty) {
  if (check_empty && !patch.truthy()) return nan();
  // Packed patches: toindices (_o's too) cannot fail on them and keeps their (i, j), so read those.
  const bool packed = patch.kind() == Kind::TripleSet ? via != Via::Indices : patch.kind() == Kind::Indices && via != Via::Object;
  if (packed) {
    std::int32_t best = 0;
    bool first = true;
    const auto see = [&](std::int32_t v) {
      if (first || (want_max ? v > best : v < best)) best = v;
      first = false;
    };
    if (patch.kind() == Kind::Indices)
      for (const Point& p : patch.points()) see(which ? p.j : p.i);
    else
      for (const TripleV& t : patch.triples()) see(which ? t.j : t.i);
    return Value::integer(best);
  }
  // Each member must unpack into (i, j), and max()/min() needs one: dsl.py raises otherwise.
  const Value indices = indices_via(patch, via);
  if (!indices.is_container() || indices.size() == 0) return safe_raise();
  if (indices.kind() != Kind::Indices)
    for (std::size_t k = 0, n = indices.size(); k < n; ++k)
      if (!unpacks_into(indices.item(k), 2)) return safe_raise();
  const std::vector<Value> cs = coordinates(indices, which);
  return want_max ? max_of(cs) : min_of(cs);
}

Value lowermost(const Value& p) { return extreme_coordinate(p, Via::Patch, 0, true, true); }
Value lowermost_i(const Value& p) { return extreme_coordinate(p, Via::Indices, 0, true, true); }
Value lowermost_o(const Value& p) { return extreme_coordinate(p, Via::Object, 0, true, true); }
Value uppermost(const Value& p) { return extreme_coordinate(p, Via::Patch, 0, false, true); }
Value uppermost_i(const Value& p) { return extreme_coordinate(p, Via::Indices, 0, false, true); }
Value uppermost_o(const Value& p) { return extreme_coordinate(p, Via::Object, 0, false, true); }
Value leftmost(const Value& p) { return extreme_coordinate(p, Via::Patch, 1, false, true); }
Value leftmost_i(const Value& p) { return extreme_coordinate(p, Via::Indices, 1, false, true); }
Value leftmost_o(const Value& p) { return extreme_coordinate(p, Via::Object, 1, false, true); }
Value rightmost(const Value& p) { return extreme_coordinate(p, Via::Patch, 1, true, true); }
Value rightmost_i(const Value& p) { return extreme_coordinate(p, Via::Indices, 1, true, false); }
Value rightmost_o(const Value& p) { return extreme_coordinate(p, Via::Object, 1, true, false); }

Value col_row(const Value& patch, const Value& type) {
  if (eq(type, Value::integer(0))) return call<"lowermost">(patch);
  if (eq(type, Value::integer(1))) return call<"uppermost">(patch);
  if (eq(type, Value::integer(2))) return call<"leftmost">(patch);
  if (eq(type, Value::integer(3))) return call<"rightmost">(patch);
  return Value::none();
}

// ---- sizes ------------------------------------------------------------------------------------

Value height_t(const Value& piece) { return Value::integer(static_cast<std::int64_t>(len(piece))); }
Value width_t(const Value& piece) {
  return piece.truthy() ? Value::integer(static_cast<std::int64_t>(len0(piece))) : kZero;
}

// hi - lo + 1 of a patch's extent, 0 when it is empty.
template <Name Hi, Name Lo>
Value extent(const Value& piece) {
  if (len(piece) == 0) return kZero;
  Value hi = call<Hi>(piece);
  return py_add(py_sub(hi, call<Lo>(piece)), kOne);
}
Value height_f(const Value& p) { return extent<"lowermost", "uppermost">(p); }
Value height_i(const Value& p) { return extent<"lowermost_i", "uppermost_i">(p); }
Value height_o(const Value& p) { return extent<"lowermost_o", "uppermost_o">(p); }
Value width_f(const Value& p) { return extent<"rightmost", "leftmost">(p); }
Value width_i(const Value& p) { return extent<"rightmost_i", "leftmost_i">(p); }
Value width_o(const Value& p) { return extent<"rightmost_o", "leftmost_o">(p); }

Value shape_t(const Value& grid) {
  Value h = call<"height_t">(grid);
  return make_tuple2(std::move(h), call<"width_t">(grid));
}
Value shape_f(const Value& patch) {
  Value h = call<"height_f">(patch);
  return make_tuple2(std::move(h), call<"width_f">(patch));
}
Value portrait_t(const Value& grid) {
  Value h = call<"height_t">(grid);
  return Value::boolean(gt(h, call<"width_t">(grid)));
}
Value portrait_f(const Value& patch) {
  Value h = call<"height_f">(patch);
  return Value::boolean(gt(h, call<"width_f">(patch)));
}

Value square_t(const Value& grid) { return Value::boolean(len(grid) == len0(grid)); }
Value square_f(const Value& patch) {
  Value area = py_mul(call<"height_f">(patch), call<"width_f">(patch));
  if (!eq(area, Value::integer(static_cast<std::int64_t>(len(patch))))) return Value::boolean(false);
  Value h = call<"height_f">(patch);
  return Value::boolean(eq(h, call<"width_f">(patch)));
}

// vline / hline: the span along one axis is the size and the other span is 1.
template <Name Along, Name Across>
Value line(const Value& patch) {
  if (!eq(call<Along>(patch), Value::integer(static_cast<std::int64_t>(len(patch))))) return Value::boolean(false);
  return Value::boolean(eq(call<Across>(patch), kOne));
}
Value vline_i(const Value& p) { return line<"height_i", "width_i">(p); }
Value vline_o(const Value& p) { return line<"height_o", "width_o">(p); }
Value hline_i(const Value& p) { return line<"width_i", "height_i">(p); }
Value hline_o(const Value& p) { return line<"width_o", "height_o">(p); }

// ---- corners ----------------------------------------------------------------------------------

// tuple(map(pick, zip(*indices))): per column of the members, min or max; column 2 on raises for
// the two corners that pick by position.
enum class Corner { Ul, Ur, Ll, Lr };
Value corner_of(const Value& indices, Corner corner) {
  if (indices.kind() == Kind::Indices) {
    const auto pts = indices.points();
    std::int32_t lo_i = pts[0].i, hi_i = pts[0].i, lo_j = pts[0].j, hi_j = pts[0].j;
    for (const Point& p : pts) {
      lo_i = std::min(lo_i, p.i), hi_i = std::max(hi_i, p.i);
      lo_j = std::min(lo_j, p.j), hi_j = std::max(hi_j, p.j);
    }
    switch (corner) {
      case Corner::Ul: return Value::pair(lo_i, lo_j);
      case Corner::Ur: return Value::pair(lo_i, hi_j);
      case Corner::Ll: return Value::pair(hi_i, lo_j);
      case Corner::Lr: return Value::pair(hi_i, hi_j);
    }
  }
  const std::vector<Value> members = items(indices);
  const std::vector<std::vector<Value>> columns = zip_rows(members);
  std::vector<Value> out;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    bool want_max = false;
    switch (corner) {
      case Corner::Ul: want_max = false; break;
      case Corner::Lr: want_max = true; break;
      case Corner::Ur: case Corner::Ll:
        if (k > 1) raise("KeyError");
        want_max = (corner == Corner::Ur) == (k == 1);
        break;
    }
    out.push_back(want_max ? max_of(columns[k]) : min_of(columns[k]));
  }
  return tuple(std::move(out));
}

template <Corner C>
Value corner_patch(const Value& p) { return corner_of(call<"toindices">(p), C); }
template <Corner C>
Value corner_indices(const Value& p) { return corner_of(call<"toindices_i">(p), C); }
template <Corner C>
Value corner_object(const Value& p) { return corner_of(call<"toindices_o">(p), C); }

Value corner(const Value& patch, const Value& type) {
  if (eq(type, Value::integer(1))) return call<"urcorner">(patch);
  if (eq(type, Value::integer(2))) return call<"llcorner">(patch);
  if (eq(type, Value::integer(3))) return call<"lrcorner">(patch);
  return call<"ulcorner">(patch);  // type 0 and anything else
}

// ---- moving and building patches ----------------------------------------------------------------

Value crop(const Value& grid, const Value& start, const Value& dims) {
  if (is_empty_tuple(grid)) return empty_tuple();
  const Value h = Value::integer(static_cast<std::int64_t>(len(grid)));
  const Value w = Value::integer(static_cast<std::int64_t>(len0(grid)));
  const Value s0 = at(start, 0);
  if (!ge(s0, kZero) || !lt(s0, h)) return empty_tuple();
  const Value s1 = at(start, 1);
  if (!ge(s1, kZero) || !lt(s1, w)) return empty_tuple();
  const Value e0 = py_add(s0, at(dims, 0));
  if (!le(e0, h)) return empty_tuple();
  const Value e1 = py_add(s1, at(dims, 1));
  if (!le(e1, w)) return empty_tuple();
  // Slice bounds must be ints (or bools): a float raises.
  const std::int64_t a = as_int(s0), b = as_int(e0), c = as_int(s1), d = as_int(e1);
  if (grid.kind() == Kind::Grid && a < b && c < d) {  // in range and non-empty: a dense cut
    const Grid& g = grid.grid();
    Grid out(static_cast<int>(b - a), static_cast<int>(d - c));
    for (std::int64_t i = a; i < b; ++i)
      for (std::int64_t j = c; j < d; ++j) out.at(static_cast<int>(i - a), static_cast<int>(j - c)) = g.at(i, j);
    return make_grid(std::move(out));
  }
  std::vector<Value> rows;
  for (const Value& r : items(slice(grid, a, b))) rows.push_back(slice(r, c, d));
  return tuple(std::move(rows));
}

Value recolour(const Value& colour, const Value& indices) {
  if (indices.kind() == Kind::Indices && colour.is_int() && fits_int32(colour.int_unchecked())) {
    std::vector<TripleV> cells;
    cells.reserve(indices.points().size());
    const auto c = static_cast<std::int32_t>(colour.int_unchecked());
    for (const Point& p : indices.points()) cells.push_back({p.i, p.j, c});
    return make_sorted_triples(std::move(cells));
  }
  std::vector<Value> cells;
  for (const Value& m : items(indices)) {
    auto [i, j] = unpack2(m);
    cells.push_back(make_tuple({std::move(i), std::move(j), colour}));
  }
  // Ascending (i, j) with one colour: the cells are in canonical order already.
  if (indices.kind() == Kind::Indices) return make_sorted_set(std::move(cells));
  return frozenset(std::move(cells));
}
Value recolor_i(const Value& colour, const Value& indices) { return recolour(colour, call<"toindices_i">(indices)); }
Value recolor_o(const Value& colour, const Value& obj) { return recolour(colour, call<"toindices_o">(obj)); }

Value shift(const Value& patch, const Value& directions) {
  if (!patch.truthy()) return empty_set();
  if (is_empty_tuple(directions)) return patch;
  auto [di, dj] = unpack2(directions);
  if (di.is_int() && dj.is_int() && fits_int32(di.int_unchecked()) && fits_int32(dj.int_unchecked())) {
    const std::int64_t a = di.int_unchecked(), b = dj.int_unchecked();
    // Written by index into a sized vector: push_back per member was a call each.
    if (patch.kind() == Kind::TripleSet) {
      const auto in = patch.triples();
      std::vector<TripleV> out(in.size());
      bool fits = true;
      for (std::size_t k = 0; k < in.size(); ++k) {
        const std::int64_t i = in[k].i + a, j = in[k].j + b;
        fits = fits && fits_int32(i) && fits_int32(j);
        out[k] = {static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), in[k].c};
      }
      if (fits) return make_sorted_triples(std::move(out));  // a translation keeps the order
    } else if (patch.kind() == Kind::Indices) {
      const auto in = patch.points();
      std::vector<Point> out(in.size());
      bool fits = true;
      for (std::size_t k = 0; k < in.size(); ++k) {
        const std::int64_t i = in[k].i + a, j = in[k].j + b;
        fits = fits && fits_int32(i) && fits_int32(j);
        out[k] = {static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)};
      }
      if (fits) return make_sorted_indices(std::move(out));
    }
  }
  const Value first = first_of(patch);
  std::vector<Value> out;
  if (len(first) == 3) {
    for (const Value& m : items(patch)) {
      auto c = unpack3(m);
      out.push_back(make_tuple({py_add(c[0], di), py_add(c[1], dj), std::move(c[2])}));
    }
  } else {
    for (const Value& m : items(patch)) {
      auto [i, j] = unpack2(m);
      out.push_back(make_tuple2(py_add(i, di), py_add(j, dj)));
    }
  }
  return frozenset(std::move(out));
}

template <Name Up, Name Left>
Value normalized(const Value& patch) {
  if (len(patch) == 0) return patch;
  Value up = py_neg(call<Up>(patch));
  Value left = py_neg(call<Left>(patch));
  return call<"shift">(patch, make_tuple2(std::move(up), std::move(left)));
}
Value normalize(const Value& p) { return normalized<"uppermost", "leftmost">(p); }
Value normalize_i(const Value& p) { return normalized<"uppermost_i", "leftmost_i">(p); }
Value normalize_o(const Value& p) { return normalized<"uppermost_o", "leftmost_o">(p); }
Value normalize_t(const Value& piece) { return piece; }

// The four orthogonal (d) or diagonal (i) neighbours of a tuple location.
Value around(const Value& loc, bool diagonal) {
  if (is_empty_tuple(loc) || !loc.is_tuple()) return empty_set();
  const Value i = at(loc, 0), j = at(loc, 1);
  const auto step = [](const Value& x, int d) { return d > 0 ? py_add(x, kOne) : py_sub(x, kOne); };
  std::vector<Value> out;
  if (diagonal) {
    for (int di : {-1, 1})
      for (int dj : {-1, 1}) out.push_back(make_tuple2(step(i, di), step(j, dj)));
  } else {
    out.push_back(make_tuple2(step(i, -1), j));
    out.push_back(make_tuple2(step(i, 1), j));
    out.push_back(make_tuple2(i, step(j, -1)));
    out.push_back(make_tuple2(i, step(j, 1)));
  }
  return frozenset(std::move(out));
}
Value dneighbors(const Value& loc) { return around(loc, false); }
Value ineighbors(const Value& loc) { return around(loc, true); }
Value neighbors(const Value& loc) { return bit_or(call<"dneighbors">(loc), call<"ineighbors">(loc)); }

// ---- objects ----------------------------------------------------------------------------------

// dsl.py's flood fill, on a dense grid: visit unvisited cells in row-major order (asindices'
// order), grow each object wave by wave, and keep each wave's cells in ascending (i, j) order, so
// objects_t lists an object's cells exactly as CPython does with megabatch's set order.
struct FloodOptions {
  bool univalued, diagonal, without_bg;
};

std::vector<std::vector<TripleV>> flood(const Grid& g, const FloodOptions& o, std::optional<Color> bg) {
  const int h = g.h, w = g.w;
  std::vector<char> occupied(static_cast<std::size_t>(h) * w, 0);
  std::vector<std::vector<TripleV>> objects;
  std::vector<std::pair<int, int>> cands, next;
  std::vector<char> in_next(static_cast<std::size_t>(h) * w, 0);
  for (int i0 = 0; i0 < h; ++i0)
    for (int j0 = 0; j0 < w; ++j0) {
      if (occupied[static_cast<std::size_t>(i0) * w + j0]) continue;
      const Color val = g.at(i0, j0);
      if (bg && val == *bg) continue;
      std::vector<TripleV> obj;
      cands.assign(1, {i0, j0});
      while (!cands.empty()) {
        next.clear();
        for (auto [i, j] : cands) {
          const Color v = g.at(i, j);
          const bool joins = o.univalued ? val == v : (!bg || v != *bg);
          if (!joins) continue;
          obj.push_back({i, j, v});
          occupied[static_cast<std::size_t>(i) * w + j] = 1;
          for (int di = -1; di <= 1; ++di)
            for (int dj = -1; dj <= 1; ++dj) {
              if ((di == 0 && dj == 0) || (!o.diagonal && di != 0 && dj != 0)) continue;
              const int a = i + di, b = j + dj;
              if (a < 0 || a >= h || b < 0 || b >= w) continue;
              const std::size_t at = static_cast<std::size_t>(a) * w + b;
              if (!in_next[at]) in_next[at] = 1, next.emplace_back(a, b);
            }
        }
        // cands = neighborhood - occupied, iterated in ascending order
        cands.clear();
        for (auto p : next) {
          in_next[static_cast<std::size_t>(p.first) * w + p.second] = 0;
          if (!occupied[static_cast<std::size_t>(p.first) * w + p.second]) cands.push_back(p);
        }
        std::sort(cands.begin(), cands.end());
      }
      objects.push_back(std::move(obj));
    }
  return objects;
}

// The same objects as flood() when only their cell sets matter (objects, not objects_t): connected
// components do not depend on the order cells are reached in, so a plain stack replaces the sorted
// waves, and each object is handed over in canonical order.
std::vector<std::vector<TripleV>> flood_sets(const Grid& g, const FloodOptions& o, std::optional<Color> bg) {
  const int h = g.h, w = g.w;
  std::vector<char> occupied(static_cast<std::size_t>(h) * w, 0);
  std::vector<std::vector<TripleV>> objects;
  std::vector<std::pair<int, int>> stack;
  for (int i0 = 0; i0 < h; ++i0)
    for (int j0 = 0; j0 < w; ++j0) {
      if (occupied[static_cast<std::size_t>(i0) * w + j0]) continue;
      const Color val = g.at(i0, j0);
      if (bg && val == *bg) continue;
      const auto joins = [&](Color v) { return o.univalued ? val == v : (!bg || v != *bg); };
      std::vector<TripleV> obj;
      occupied[static_cast<std::size_t>(i0) * w + j0] = 1;
      stack.assign(1, {i0, j0});
      while (!stack.empty()) {
        const auto [i, j] = stack.back();
        stack.pop_back();
        obj.push_back({i, j, g.at(i, j)});
        for (int di = -1; di <= 1; ++di)
          for (int dj = -1; dj <= 1; ++dj) {
            if ((di == 0 && dj == 0) || (!o.diagonal && di != 0 && dj != 0)) continue;
            const int a = i + di, b = j + dj;
            if (a < 0 || a >= h || b < 0 || b >= w) continue;
            const std::size_t at = static_cast<std::size_t>(a) * w + b;
            if (occupied[at] || !joins(g.at(a, b))) continue;
            occupied[at] = 1;
            stack.emplace_back(a, b);
          }
      }
      std::sort(obj.begin(), obj.end());
      objects.push_back(std::move(obj));
    }
  return objects;
}

// The generic flood fill of dsl.py for grids that are not dense int rectangles (rows of other
// values, ragged rows): the same waves over Values.
std::vector<std::vector<Value>> flood_generic(const Value& grid, const FloodOptions& o, const Value& bg) {
  const std::vector<Value> rows = items(grid);
  const std::int64_t h = static_cast<std::int64_t>(rows.size());
  const std::int64_t w = static_cast<std::int64_t>(len0(grid));
  const auto cell = [&](std::int64_t i, std::int64_t j) { return at(rows[static_cast<std::size_t>(i)], j); };
  std::vector<std::vector<Value>> objects;
  std::vector<char> occupied(static_cast<std::size_t>(h * w), 0);
  for (std::int64_t i0 = 0; i0 < h; ++i0)
    for (std::int64_t j0 = 0; j0 < w; ++j0) {
      if (occupied[static_cast<std::size_t>(i0 * w + j0)]) continue;
      const Value val = cell(i0, j0);
      if (eq(val, bg)) continue;
      std::vector<Value> obj;
      std::vector<std::pair<std::int64_t, std::int64_t>> cands{{i0, j0}}, next;
      while (!cands.empty()) {
        next.clear();
        for (auto [i, j] : cands) {
          const Value v = cell(i, j);
          if (!(o.univalued ? eq(val, v) : ne(v, bg))) continue;
          obj.push_back(make_tuple({Value::integer(i), Value::integer(j), v}));
          occupied[static_cast<std::size_t>(i * w + j)] = 1;
          for (int di = -1; di <= 1; ++di)
            for (int dj = -1; dj <= 1; ++dj) {
              if ((di == 0 && dj == 0) || (!o.diagonal && di != 0 && dj != 0)) continue;
              const std::int64_t a = i + di, b = j + dj;
              if (a >= 0 && a < h && b >= 0 && b < w) next.emplace_back(a, b);
            }
        }
        std::sort(next.begin(), next.end());
        next.erase(std::unique(next.begin(), next.end()), next.end());
        cands.clear();
        for (auto p : next)
          if (!occupied[static_cast<std::size_t>(p.first * w + p.second)]) cands.push_back(p);
      }
      objects.push_back(std::move(obj));
    }
  return objects;
}

// objects and objects_t: a frozenset of frozensets, or a tuple of tuples in discovery order.
Value objects_of(const Value& grid, const Value& univalued, const Value& diagonal, const Value& without_bg,
                 bool as_tuples) {
  if (is_empty_tuple(grid)) return as_tuples ? empty_tuple() : empty_set();
  const Value bg = without_bg.truthy() ? call<"mostcolor_t">(grid) : Value::none();
  const FloodOptions o{univalued.truthy(), diagonal.truthy(), without_bg.truthy()};
  // dsl.py builds its visiting order first, with asindices; for a dense grid that cannot fail.
  if (grid.kind() != Kind::Grid) (void)call<"asindices">(grid);
  std::vector<Value> objs;
  if (grid.kind() == Kind::Grid && (bg.is_none() || bg.is_int())) {
    std::optional<Color> b;
    if (bg.is_int()) {
      if (!fits_int32(bg.int_unchecked())) b = std::nullopt;
      else b = static_cast<Color>(bg.int_unchecked());
    }
    const Grid& g = grid.grid();
    charge_cells(static_cast<std::int64_t>(g.cells.size()));  // the labels it keeps, as arc-dsl's objects
    if (as_tuples) {
      for (auto& obj : flood(g, o, b)) {
        std::vector<Value> cells;
        cells.reserve(obj.size());
        for (const TripleV& t : obj) cells.push_back(Value::triple(t.i, t.j, t.c));
        objs.push_back(tuple(std::move(cells)));
      }
    } else {
      for (auto& obj : flood_sets(g, o, b)) objs.push_back(make_sorted_triples(std::move(obj)));
    }
  } else {
    for (auto& obj : flood_generic(grid, o, bg)) objs.push_back(as_tuples ? tuple(std::move(obj)) : frozenset(std::move(obj)));
  }
  return as_tuples ? tuple(std::move(objs)) : frozenset(std::move(objs));
}

Value objects(const Value& g, const Value& u, const Value& d, const Value& b) { return objects_of(g, u, d, b, false); }
Value objects_t(const Value& g, const Value& u, const Value& d, const Value& b) { return objects_of(g, u, d, b, true); }

// o_g(grid, type): objects with the flags (univalued, diagonal, without_bg) of type's three bits,
// from the highest; None for any other type.
template <Name Objects>
Value objects_by_type(const Value& grid, const Value& type) {
  for (std::int64_t k = 0; k < 8; ++k)
    if (eq(type, Value::integer(k)))
      return call<Objects>(grid, Value::boolean(k & 4), Value::boolean(k & 2), Value::boolean(k & 1));
  return Value::none();
}
Value o_g(const Value& grid, const Value& type) { return objects_by_type<"objects">(grid, type); }
Value o_g_t(const Value& grid, const Value& type) { return objects_by_type<"objects_t">(grid, type); }

// The cells of each colour of `colours`, one object per colour.
Value cells_by_colour(const Value& grid, const Value& colours) {
  std::vector<Value> objs;
  if (grid.kind() == Kind::Grid && (colours.kind() == Kind::Set || colours.size() == 0)) {
    const Grid& g = grid.grid();
    for (const Value& colour : items(colours)) {
      std::vector<TripleV> cells;
      for (int i = 0; i < g.h; ++i)
        for (int j = 0; j < g.w; ++j)
          if (py_eq(Value::integer(g.at(i, j)), colour)) cells.push_back({i, j, g.at(i, j)});
      objs.push_back(make_sorted_triples(std::move(cells)));
    }
    return frozenset(std::move(objs));
  }
  for (const Value& colour : items(colours)) {
    std::vector<Value> cells;
    std::int64_t i = 0;
    for (const Value& row : items(grid)) {
      std::int64_t j = 0;
      for (Value& c : items(row)) {
        if (eq(c, colour)) cells.push_back(make_tuple({Value::integer(i), Value::integer(j), std::move(c)}));
        ++j;
      }
      ++i;
    }
    objs.push_back(frozenset(std::move(cells)));
  }
  return frozenset(std::move(objs));
}

Value partition(const Value& grid) { return cells_by_colour(grid, call<"palette_t">(grid)); }
Value fgpartition(const Value& grid) {
  Value palette = call<"palette_t">(grid);
  return cells_by_colour(grid, py_sub(palette, make_set({call<"mostcolor_t">(grid)})));
}

Value asobject(const Value& grid) {
  if (call<"is_no_grid">(grid).truthy()) return empty_set();
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    std::vector<TripleV> cells;
    cells.reserve(g.cells.size());
    for (int i = 0; i < g.h; ++i)
      for (int j = 0; j < g.w; ++j) cells.push_back({i, j, g.at(i, j)});
    return make_sorted_triples(std::move(cells));
  }
  std::vector<Value> cells;
  std::int64_t i = 0;
  for (const Value& row : items(grid)) {
    std::int64_t j = 0;
    for (Value& c : items(row)) cells.push_back(make_tuple({Value::integer(i), Value::integer(j++), std::move(c)}));
    ++i;
  }
  return frozenset(std::move(cells));
}

Value is_no_grid(const Value& x) {
  if (!x.is_tuple()) return Value::boolean(true);
  if (x.kind() == Kind::Grid) return Value::boolean(false);
  for (const Value& inner : items(x)) {
    if (!inner.is_tuple()) return Value::boolean(true);
    for (const Value& v : items(inner))
      if (!v.is_int()) return Value::boolean(true);
  }
  return Value::boolean(false);
}

Value toobject(const Value& patch, const Value& grid) {
  const Value h = Value::integer(static_cast<std::int64_t>(len(grid)));
  const Value w = Value::integer(static_cast<std::int64_t>(len0(grid)));
  if (grid.kind() == Kind::Grid) {
    const Value indices = call<"toindices">(patch);
    if (indices.kind() == Kind::Indices || (indices.kind() == Kind::Set && indices.size() == 0)) {
      const Grid& g = grid.grid();
      std::vector<TripleV> cells;
      if (indices.kind() == Kind::Indices)
        for (const Point& p : indices.points())
          if (p.i >= 0 && p.i < g.h && p.j >= 0 && p.j < g.w) cells.push_back({p.i, p.j, g.at(p.i, p.j)});
      return make_sorted_triples(std::move(cells));  // indices ascend, so do their cells
    }
  }
  std::vector<Value> cells;
  for (const Value& m : items(call<"toindices">(patch))) {
    auto [i, j] = unpack2(m);
    if (le(kZero, i) && lt(i, h) && le(kZero, j) && lt(j, w))
      cells.push_back(make_tuple({i, j, at(at(grid, i), j)}));
  }
  return frozenset(std::move(cells));
}

Value f_ofcolor(const Value& grid, const Value& colour) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    std::vector<Point> pts;
    for (int i = 0; i < g.h; ++i)
      for (int j = 0; j < g.w; ++j)
        if (py_eq(Value::integer(g.at(i, j)), colour)) pts.push_back({i, j});
    return make_sorted_indices(std::move(pts));
  }
  std::vector<Value> pts;
  std::int64_t i = 0;
  for (const Value& row : items(grid)) {
    std::int64_t j = 0;
    for (const Value& c : items(row)) {
      if (eq(c, colour)) pts.push_back(make_tuple2(Value::integer(i), Value::integer(j)));
      ++j;
    }
    ++i;
  }
  return frozenset(std::move(pts));
}

// ---- relations between patches ----------------------------------------------------------------

template <int Which>
Value matching(const Value& a, const Value& b) {
  const std::vector<Value> x = distinct(coordinates(call<"toindices">(a), Which));
  const std::vector<Value> y = distinct(coordinates(call<"toindices">(b), Which));
  for (const Value& v : x)
    if (std::binary_search(y.begin(), y.end(), v, [](const Value& p, const Value& q) { return compare(p, q) < 0; }))
      return Value::boolean(true);
  return Value::boolean(false);
}
Value hmatching(const Value& a, const Value& b) { return matching<0>(a, b); }
Value vmatching(const Value& a, const Value& b) { return matching<1>(a, b); }

Value manhattan(const Value& a, const Value& b) {
  if (!has_len(a) || !has_len(b)) return inf();
  if (a.size() == 0 || b.size() == 0) return inf();
  const Value ia = call<"toindices">(a), ib = call<"toindices">(b);
  if (ia.kind() == Kind::Indices && ib.kind() == Kind::Indices) {
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (const Point& p : ia.points())
      for (const Point& q : ib.points())
        best = std::min(best, std::abs(static_cast<std::int64_t>(p.i) - q.i) + std::abs(static_cast<std::int64_t>(p.j) - q.j));
    return Value::integer(best);
  }
  std::vector<Value> distances;
  for (const Value& m : items(ia)) {
    auto [ai, aj] = unpack2(m);
    for (const Value& n : items(call<"toindices">(b))) {
      auto [bi, bj] = unpack2(n);
      distances.push_back(py_add(py_abs(py_sub(ai, bi)), py_abs(py_sub(aj, bj))));
    }
  }
  return min_of(distances);
}

Value adjacent(const Value& a, const Value& b) { return Value::boolean(eq(call<"manhattan">(a, b), kOne)); }

Value bordering(const Value& patch, const Value& grid) {
  if (eq(call<"uppermost">(patch), kZero) || eq(call<"leftmost">(patch), kZero)) return Value::boolean(true);
  if (eq(call<"lowermost">(patch), Value::integer(static_cast<std::int64_t>(len(grid)) - 1))) return Value::boolean(true);
  const Value right = call<"rightmost">(patch);
  return Value::boolean(eq(right, Value::integer(static_cast<std::int64_t>(len0(grid)) - 1)));
}

Value centerofmass(const Value& patch) {
  const std::vector<Value> members = items(call<"toindices">(patch));
  std::vector<Value> out;
  for (const auto& column : zip_rows(members))
    out.push_back(py_floordiv(sum_of(column), Value::integer(static_cast<std::int64_t>(len(patch)))));
  return tuple(std::move(out));
}

using dsl::body;

constexpr PrimitiveDef kTokPatches[] = {
    {.name = "mostcolor_t", .signature = "grid: Grid -> Integer", .fn = body<mostcolor_t>,
     .description = "the most common value of a grid (smallest on ties), nan when empty"},
    {.name = "mostcolor_f", .signature = "obj: Object -> Integer", .fn = body<mostcolor_f>,
     .description = "the most common colour of an object's cells, nan when empty",
     .picks_colour = true},
    {.name = "leastcolor_t", .signature = "grid: Grid -> Integer", .fn = body<leastcolor_t>,
     .description = "the least common value of a grid (smallest on ties), nan when empty"},
    {.name = "leastcolor_f", .signature = "obj: Object -> Integer", .fn = body<leastcolor_f>,
     .description = "the least common colour of an object's cells, nan when empty",
     .picks_colour = true},
    {.name = "height_t", .signature = "piece: Tuple -> Integer", .fn = body<height_t>, .description = "rows of a grid"},
    {.name = "height_f", .signature = "piece: Indices -> Integer", .fn = body<height_f>, .description = "row span of a patch"},
    {.name = "height_i", .signature = "piece: Indices -> Integer", .fn = body<height_i>, .description = "row span of indices"},
    {.name = "height_o", .signature = "piece: Object -> Integer", .fn = body<height_o>, .description = "row span of an object"},
    {.name = "width_t", .signature = "piece: Tuple -> Integer", .fn = body<width_t>, .description = "columns of a grid"},
    {.name = "width_f", .signature = "piece: Indices -> Integer", .fn = body<width_f>,
     .description = "column span of a patch"},
    {.name = "width_i", .signature = "piece: Indices -> Integer", .fn = body<width_i>,
     .description = "column span of indices"},
    {.name = "width_o", .signature = "piece: Object -> Integer", .fn = body<width_o>,
     .description = "column span of an object"},
    {.name = "shape_t", .signature = "grid: Grid -> IJ", .fn = body<shape_t>, .description = "(height_t, width_t)"},
    {.name = "shape_f", .signature = "patch: Patch -> IJ", .fn = body<shape_f>, .description = "(height_f, width_f)"},
    {.name = "col_row", .signature = "patch: Patch, type: R4 -> Integer", .fn = body<col_row>,
     .description = "lowermost, uppermost, leftmost or rightmost by type 0-3, None otherwise"},
    {.name = "lowermost", .signature = "patch: Patch -> Integer", .fn = body<lowermost>,
     .description = "largest row of a patch, nan when empty"},
    {.name = "lowermost_i", .signature = "indices: Indices -> Integer", .fn = body<lowermost_i>,
     .description = "largest row of indices, nan when empty"},
    {.name = "lowermost_o", .signature = "obj: Object -> Integer", .fn = body<lowermost_o>,
     .description = "largest row of an object, nan when empty"},
    {.name = "uppermost", .signature = "patch: Patch -> Integer", .fn = body<uppermost>,
     .description = "smallest row of a patch, nan when empty"},
    {.name = "uppermost_i", .signature = "indices: Indices -> Integer", .fn = body<uppermost_i>,
     .description = "smallest row of indices, nan when empty"},
    {.name = "uppermost_o", .signature = "obj: Object -> Integer", .fn = body<uppermost_o>,
     .description = "smallest row of an object, nan when empty"},
    {.name = "leftmost", .signature = "patch: Patch -> Integer", .fn = body<leftmost>,
     .description = "smallest column of a patch, nan when empty"},
    {.name = "leftmost_i", .signature = "indices: Indices -> Integer", .fn = body<leftmost_i>,
     .description = "smallest column of indices, nan when empty"},
    {.name = "leftmost_o", .signature = "obj: Object -> Integer", .fn = body<leftmost_o>,
     .description = "smallest column of an object, nan when empty"},
    {.name = "rightmost", .signature = "patch: Patch -> Integer", .fn = body<rightmost>,
     .description = "largest column of a patch, nan when empty"},
    {.name = "rightmost_i", .signature = "indices: Indices -> Integer", .fn = body<rightmost_i>,
     .description = "largest column of indices (0 when empty)"},
    {.name = "rightmost_o", .signature = "obj: Object -> Integer", .fn = body<rightmost_o>,
     .description = "largest column of an object (0 when empty)"},
    {.name = "square_t", .signature = "grid: Grid -> Boolean", .fn = body<square_t>,
     .description = "whether a grid has as many rows as columns"},
    {.name = "square_f", .signature = "patch: Patch -> Boolean", .fn = body<square_f>,
     .description = "whether a patch fills a square"},
    {.name = "palette_t", .signature = "element: Tuple -> IntegerSet", .fn = body<palette_t>,
     .description = "the values of a grid"},
    {.name = "palette_f", .signature = "element: FrozenSet -> IntegerSet", .fn = body<palette_f>,
     .description = "the colours of an object"},
    {.name = "normalize_t", .signature = "piece: Tuple -> Tuple", .fn = body<normalize_t>,
     .description = "a grid unchanged"},
    {.name = "normalize", .signature = "indices: Indices -> Indices", .fn = body<normalize>,
     .description = "a patch shifted so its upper-left corner is the origin", .palette = PaletteRule::Keeps0},
    {.name = "normalize_i", .signature = "indices: Indices -> Indices", .fn = body<normalize_i>,
     .description = "normalize of indices", .palette = PaletteRule::Keeps0},
    {.name = "normalize_o", .signature = "obj: Object -> Object", .fn = body<normalize_o>,
     .description = "normalize of an object", .palette = PaletteRule::Keeps0},
    {.name = "toindices", .signature = "patch: Patch -> Indices", .fn = body<toindices>,
     .description = "the (i, j) of an object's cells; indices unchanged"},
    {.name = "toindices_i", .signature = "indices: Indices -> Indices", .fn = body<toindices_i>,
     .description = "indices unchanged"},
    {.name = "toindices_o", .signature = "obj: Object -> Indices", .fn = body<toindices_o>,
     .description = "the (i, j) of an object's cells"},
    {.name = "portrait_t", .signature = "grid: Grid -> Boolean", .fn = body<portrait_t>,
     .description = "whether a grid is taller than wide"},
    {.name = "portrait_f", .signature = "patch: Patch -> Boolean", .fn = body<portrait_f>,
     .description = "whether a patch is taller than wide"},
    {.name = "colorcount_t", .signature = "grid: Grid, color: C_ -> Integer", .fn = body<colorcount_t>,
     .description = "cells of a grid with the colour"},
    {.name = "colorcount_f", .signature = "obj: Object, color: C_ -> Integer", .fn = body<colorcount_f>,
     .description = "cells of an object with the colour"},
    {.name = "colorfilter", .signature = "objs: Objects, color: C_ -> Objects", .fn = body<colorfilter>,
     .description = "the objects whose first cell has the colour"},
    {.name = "colorfilter_t", .signature = "objs: TTT_iii, color: Integer -> TTT_iii", .fn = body<colorfilter_t>,
     .description = "the tuple objects whose first cell has the colour"},
    {.name = "sizefilter", .signature = "container: Container, n: Integer -> Object", .fn = body<dsl::sizefilter>,
     .description = "the members of length n, as a frozenset"},
    {.name = "sizefilter_t", .signature = "container: Tuple, n: Integer -> Tuple", .fn = body<sizefilter_t>,
     .description = "the members of length n, as a tuple"},
    {.name = "asindices", .signature = "grid: Grid -> Indices", .fn = body<dsl::asindices>,
     .description = "every (i, j) of a grid"},
    {.name = "f_ofcolor", .signature = "grid: Grid, color: C_ -> Indices", .fn = body<f_ofcolor>,
     .description = "the (i, j) of the cells with the colour"},
    {.name = "corner", .signature = "patch: Patch, type: R4 -> IJ", .fn = body<corner>,
     .description = "ulcorner, urcorner, llcorner or lrcorner by type 0-3 (ulcorner otherwise)"},
    {.name = "ulcorner", .signature = "patch: Patch -> IJ", .fn = body<corner_patch<Corner::Ul>>,
     .description = "(min row, min column)"},
    {.name = "ulcorner_i", .signature = "indices: Indices -> IJ", .fn = body<corner_indices<Corner::Ul>>,
     .description = "ulcorner of indices"},
    {.name = "ulcorner_o", .signature = "obj: Object -> IJ", .fn = body<corner_object<Corner::Ul>>,
     .description = "ulcorner of an object"},
    {.name = "urcorner", .signature = "patch: Patch -> IJ", .fn = body<corner_patch<Corner::Ur>>,
     .description = "(min row, max column)"},
    {.name = "urcorner_i", .signature = "indices: Indices -> IJ", .fn = body<corner_indices<Corner::Ur>>,
     .description = "urcorner of indices"},
    {.name = "urcorner_o", .signature = "obj: Object -> IJ", .fn = body<corner_object<Corner::Ur>>,
     .description = "urcorner of an object"},
    {.name = "llcorner", .signature = "patch: Patch -> IJ", .fn = body<corner_patch<Corner::Ll>>,
     .description = "(max row, min column)"},
    {.name = "llcorner_i", .signature = "indices: Indices -> IJ", .fn = body<corner_indices<Corner::Ll>>,
     .description = "llcorner of indices"},
    {.name = "llcorner_o", .signature = "obj: Object -> IJ", .fn = body<corner_object<Corner::Ll>>,
     .description = "llcorner of an object"},
    {.name = "lrcorner", .signature = "patch: Patch -> IJ", .fn = body<corner_patch<Corner::Lr>>,
     .description = "(max row, max column)"},
    {.name = "lrcorner_i", .signature = "indices: Indices -> IJ", .fn = body<corner_indices<Corner::Lr>>,
     .description = "lrcorner of indices"},
    {.name = "lrcorner_o", .signature = "obj: Object -> IJ", .fn = body<corner_object<Corner::Lr>>,
     .description = "lrcorner of an object"},
    {.name = "crop", .signature = "grid: Grid, start: IJ, dims: IJ -> Grid", .fn = body<crop>,
     .description = "the sub-grid at start with dims, () when it does not fit"},
    {.name = "recolor_i", .signature = "color: C_, indices: Indices -> Object", .fn = body<recolor_i>,
     .description = "an object of the indices in one colour", .palette = PaletteRule::OfArg0},
    {.name = "recolor_o", .signature = "color: C_, obj: Object -> Object", .fn = body<recolor_o>,
     .description = "an object recoloured", .palette = PaletteRule::OfArg0},
    {.name = "shift", .signature = "patch: Patch, directions: IJ -> Patch", .fn = body<shift>,
     .description = "a patch translated by an offset", .palette = PaletteRule::Keeps0},
    {.name = "dneighbors", .signature = "loc: IJ -> Indices", .fn = body<dneighbors>,
     .description = "the four orthogonal neighbours"},
    {.name = "ineighbors", .signature = "loc: IJ -> Indices", .fn = body<ineighbors>,
     .description = "the four diagonal neighbours"},
    {.name = "neighbors", .signature = "loc: IJ -> Indices", .fn = body<neighbors>,
     .description = "all eight neighbours"},
    {.name = "objects", .signature = "grid: Grid, univalued: Boolean, diagonal: Boolean, without_bg: Boolean -> Objects",
     .fn = body<objects>, .description = "the connected components of a grid, as (i, j, c) objects"},
    {.name = "objects_t", .signature = "grid: Grid, univalued: Boolean, diagonal: Boolean, without_bg: Boolean -> TTT_iii",
     .fn = body<objects_t>, .description = "objects as tuples, in discovery order"},
    {.name = "objects_g", .signature = "grid: Grid, univalued: Boolean, diagonal: Boolean, without_bg: Boolean -> TTT_iii",
     .fn = body<objects_t>, .description = "alias of objects_t"},
    {.name = "o_g", .signature = "grid: Grid, type: R8 -> Objects", .fn = body<o_g>,
     .description = "objects with the flags (univalued, diagonal, without_bg) in type's bits 2..0"},
    {.name = "o_g_t", .signature = "grid: Grid, type: R8 -> TTT_iii", .fn = body<o_g_t>,
     .description = "o_g with objects_t"},
    {.name = "o_g_tuple", .signature = "grid: Grid, type: R8 -> TTT_iii", .fn = body<o_g_t>,
     .description = "alias of o_g_t"},
    {.name = "partition", .signature = "grid: Grid -> Objects", .fn = body<partition>,
     .description = "one object per colour"},
    {.name = "fgpartition", .signature = "grid: Grid -> Objects", .fn = body<fgpartition>,
     .description = "one object per colour but the most common"},
    {.name = "vline_i", .signature = "patch: Indices -> Boolean", .fn = body<vline_i>,
     .description = "whether indices form a vertical line"},
    {.name = "vline_o", .signature = "patch: Object -> Boolean", .fn = body<vline_o>,
     .description = "whether an object forms a vertical line"},
    {.name = "hline_i", .signature = "patch: Indices -> Boolean", .fn = body<hline_i>,
     .description = "whether indices form a horizontal line"},
    {.name = "hline_o", .signature = "patch: Object -> Boolean", .fn = body<hline_o>,
     .description = "whether an object forms a horizontal line"},
    {.name = "hmatching", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<hmatching>,
     .description = "whether two patches share a row"},
    {.name = "vmatching", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<vmatching>,
     .description = "whether two patches share a column"},
    {.name = "manhattan", .signature = "a: Patch, b: Patch -> Integer", .fn = body<manhattan>,
     .description = "smallest city-block distance between two patches, inf when one is empty"},
    {.name = "adjacent", .signature = "a: Patch, b: Patch -> Boolean", .fn = body<adjacent>,
     .description = "whether two patches are at distance 1"},
    {.name = "bordering", .signature = "patch: Patch, grid: Grid -> Boolean", .fn = body<bordering>,
     .description = "whether a patch touches the grid's edge"},
    {.name = "centerofmass", .signature = "patch: Patch -> IJ", .fn = body<centerofmass>,
     .description = "floored mean (i, j)"},
    {.name = "numcolors_t", .signature = "grid: Grid -> Integer", .fn = body<numcolors_t>,
     .description = "how many values a grid has"},
    {.name = "numcolors_f", .signature = "obj: Object -> Integer", .fn = body<numcolors_f>,
     .description = "how many colours an object has"},
    {.name = "color", .signature = "obj: Object -> Integer", .fn = body<color>,
     .description = "c of an object's first cell, -inf when empty", .picks_colour = true},
    {.name = "toobject", .signature = "patch: Patch, grid: Grid -> Object", .fn = body<toobject>,
     .description = "the cells of a grid under a patch", .palette = PaletteRule::OfArg1},
    {.name = "is_no_grid", .signature = "x ->", .fn = body<is_no_grid>,
     .description = "whether x is not a tuple of tuples of ints"},
    {.name = "asobject", .signature = "grid: Grid -> Object", .fn = body<asobject>,
     .description = "every cell of a grid as an object", .palette = PaletteRule::OfArg0},
};

}  // namespace

std::span<const PrimitiveDef> tok_patches_family() { return kTokPatches; }

}  // namespace megabatch::cpu
