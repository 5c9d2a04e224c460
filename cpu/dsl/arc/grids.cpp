// arc-dsl primitives, grids family (rot90 .. vperiod in prims.hpp): grid transforms (rotations,
// mirrors, scaling, splitting, colour substitution) and patch geometry (corners, lines, boxes,
// frontiers, periods).
//
// Every primitive has a fast path for the canonical representations (dense Grid, sorted
// Indices/Object, Pair) and a generic path that follows dsl.py step by step on any values, so odd
// but legal inputs (tuples of tuples of tuples, Python's unpacking of 2-element sets, `+` on ints
// where tuples were meant, ...) give what CPython gives and everything CPython rejects raises
// EvalError.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {
namespace {

using i64 = std::int64_t;
using i128 = __int128;

[[noreturn]] void fail(const std::string& message) { throw EvalError(message); }

bool fits32(i128 v) {
  return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max();
}

// a * b for non-negative counts, saturating far above any budget (no 128-bit overflow).
i128 sat_mul(i128 a, i128 b) {
  constexpr i128 kHuge = i128{1} << 100;
  if (a <= 0 || b <= 0) return 0;
  if (a >= kHuge || b >= kHuge || a > kHuge / b) return kHuge;
  return a * b;
}

void precheck(i128 n) { precheck_cells(static_cast<double>(n)); }

// A dense result of h x w cells: both dimensions must fit the Grid type, the cells the budget.
void precheck_grid(i128 h, i128 w) {
  precheck(sat_mul(h, std::max<i128>(w, 1)));
  if (h > std::numeric_limits<int>::max() || w > std::numeric_limits<int>::max())
    throw BudgetExceeded("grid dimensions beyond 2^31");
}

// range(x): Python accepts only ints (bools are ints).
i64 need_int(const Value& v) {
  if (!v.is_int()) fail(std::string("'") + v.type_name() + "' object cannot be interpreted as an integer");
  return v.int_unchecked();
}

// Python's `0 <= x < n` (the comparison raises TypeError for anything but an int).
bool in_bounds(const Value& x, i64 n) {
  if (!x.is_int()) fail(std::string("'<=' not supported between instances of 'int' and '") + x.type_name() + "'");
  i64 v = x.int_unchecked();
  return v >= 0 && v < n;
}

// `h, w = len(grid), len(grid[0])`.
std::pair<i64, i64> grid_hw(const Value& grid) {
  if (grid.kind() == Kind::Grid) return {grid.grid().h, grid.grid().w};
  i64 h = static_cast<i64>(grid.size());
  Value row0 = py_index(grid, 0);
  return {h, static_cast<i64>(row0.size())};
}

// Python ints are unbounded, megabatch's are 64-bit (docs/SEMANTICS.md).
i64 narrow64(i128 v) {
  if (v < std::numeric_limits<i64>::min() || v > std::numeric_limits<i64>::max())
    fail("integer overflow beyond 64 bits");
  return static_cast<i64>(v);
}

bool is_patch(const Value& v) { return v.kind() == Kind::Indices || v.kind() == Kind::Object; }
bool is_empty_set(const Value& v) { return v.kind() == Kind::Set && v.items().empty(); }
bool is_int32(const Value& v) { return v.is_int() && fits32(v.int_unchecked()); }

// ---- generic rows: Python lists of lists built from any iterables

using Rows = std::vector<std::vector<Value>>;

Rows rows_of(const Value& grid) {
  Rows rows;
  for (const Value& r : elements(grid)) rows.push_back(elements(r));
  return rows;
}

// Python's `if 0 <= i < h and 0 <= j < w: rows[i][j] = v` on generic rows (fill, paint); with
// `only_over`, the cell is written only where it equals that background (underfill, underpaint),
// which reads the cell first and so fails with the reading message on a short row.
void put_cell(Rows& rows, const Value& i, const Value& j, i64 h, i64 w, const Value& v, const Value* only_over = nullptr) {
  if (!(in_bounds(i, h) && in_bounds(j, w))) return;
  auto& row = rows[i.int_unchecked()];
  const auto col = static_cast<std::size_t>(j.int_unchecked());
  if (col >= row.size()) fail(only_over ? "list index out of range" : "list assignment index out of range");
  if (!only_over || py_eq(row[col], *only_over)) row[col] = v;
}

Value tuple_of(Rows rows) {
  std::vector<Value> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(make_tuple(std::move(r)));
  return make_tuple(std::move(out));
}

// zip(*seqs): every argument must be iterable; stops at the shortest.
Rows zip_rows(const std::vector<Value>& seqs) {
  Rows in;
  in.reserve(seqs.size());
  for (const Value& s : seqs) in.push_back(elements(s));
  Rows out;
  if (in.empty()) return out;
  std::size_t n = in[0].size();
  for (const auto& r : in) n = std::min(n, r.size());
  out.assign(n, {});
  for (std::size_t j = 0; j < n; ++j) {
    out[j].reserve(in.size());
    for (const auto& r : in) out[j].push_back(r[j]);
  }
  return out;
}

Value reversed(const Value& t) { return py_slice(t, std::nullopt, std::nullopt, -1); }

// ---- patches in canonical form

struct Box {
  i64 i0, j0, i1, j1;  // inclusive bounds
};

Box bbox(const Value& p) {  // Indices or Object, non-empty
  Box b{std::numeric_limits<i64>::max(), std::numeric_limits<i64>::max(), std::numeric_limits<i64>::min(),
        std::numeric_limits<i64>::min()};
  auto take = [&b](i64 i, i64 j) {
    b.i0 = std::min(b.i0, i), b.i1 = std::max(b.i1, i);
    b.j0 = std::min(b.j0, j), b.j1 = std::max(b.j1, j);
  };
  if (p.kind() == Kind::Indices) {
    auto pts = p.points();
    b.i0 = pts.front().i, b.i1 = pts.back().i;  // sorted by row first
    for (Point q : pts) b.j0 = std::min<i64>(b.j0, q.j), b.j1 = std::max<i64>(b.j1, q.j);
  } else {
    for (CellV c : p.cells()) take(c.i, c.j);
  }
  return b;
}

// Sorted unique locations of an Indices or Object.
std::vector<Point> points_of(const Value& p) {
  if (p.kind() == Kind::Indices) return {p.points().begin(), p.points().end()};
  std::vector<Point> out;
  out.reserve(p.cells().size());
  for (CellV c : p.cells()) out.push_back({c.i, c.j});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool has_point(const std::vector<Point>& sorted, i64 i, i64 j) {
  if (!fits32(i) || !fits32(j)) return false;
  return std::binary_search(sorted.begin(), sorted.end(),
                            Point{static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
}

// Collects locations computed in 64 bits; beyond int32 they become generic 2-tuples.
class PointSink {
 public:
  void reserve(std::size_t n) { pts_.reserve(n); }
  void add(i128 i, i128 j) {
    if (!wide_ && fits32(i) && fits32(j)) {
      pts_.push_back({static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
      return;
    }
    if (!wide_) {
      wide_ = true;
      for (Point p : pts_) big_.push_back(Value::pair(p.i, p.j));
      pts_.clear();
    }
    big_.push_back(Value::pair(narrow64(i), narrow64(j)));
  }
  Value finish(bool sorted) {
    if (wide_) return make_set(std::move(big_));
    return sorted ? make_sorted_indices(std::move(pts_)) : make_indices(std::move(pts_));
  }

 private:
  bool wide_ = false;
  std::vector<Point> pts_;
  std::vector<Value> big_;
};

class CellSink {
 public:
  void reserve(std::size_t n) { cells_.reserve(n); }
  void add(i64 c, i128 i, i128 j) {
    if (!wide_ && fits32(c) && fits32(i) && fits32(j)) {
      cells_.push_back({static_cast<std::int32_t>(c), static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
      return;
    }
    if (!wide_) {
      wide_ = true;
      for (CellV x : cells_) big_.push_back(Value::cell(x.c, x.i, x.j));
      cells_.clear();
    }
    big_.push_back(Value::cell(c, narrow64(i), narrow64(j)));
  }
  Value finish(bool sorted) {
    if (wide_) return make_set(std::move(big_));
    return sorted ? make_sorted_object(std::move(cells_)) : make_object(std::move(cells_));
  }

 private:
  bool wide_ = false;
  std::vector<CellV> cells_;
  std::vector<Value> big_;
};

// next(iter(piece))[1] is a tuple: dsl.py's test for "an object, not indices".
bool first_is_cell(const Value& piece) {
  if (!piece.is_container()) fail(std::string("'") + piece.type_name() + "' object is not iterable");
  if (piece.size() == 0) fail("StopIteration: next() of an empty container");
  return py_index(piece.item(0), 1).is_tuple();
}

// Maps every member of a non-canonical patch: cells through f(v, i, j) -> (v, (i', j')), indices
// through g(i, j) -> (i', j'); the result is a frozenset, exactly as dsl.py rebuilds it.
template <class CellFn, class IdxFn>
Value map_patch(const Value& piece, CellFn f, IdxFn g) {
  bool cells = first_is_cell(piece);
  std::vector<Value> out;
  for (const Value& e : elements(piece)) {
    if (cells) {
      auto [v, loc] = unpack2(e);
      auto [i, j] = unpack2(loc);
      auto [ni, nj] = f(i, j);
      out.push_back(make_tuple({v, make_tuple({ni, nj})}));
    } else {
      auto [i, j] = unpack2(e);
      auto [ni, nj] = g(i, j);
      out.push_back(make_tuple({ni, nj}));
    }
  }
  return make_set(std::move(out));
}

// Python slice bounds of s[start:stop] (step 1) on a sequence of length n.
std::pair<i64, i64> slice_bounds(i128 start, i128 stop, i64 n) {
  auto norm = [n](i128 x) -> i64 {
    if (x < 0) {
      x += n;
      if (x < 0) x = 0;
    } else if (x > n) {
      x = n;
    }
    return static_cast<i64>(x);
  };
  i64 s = norm(start), e = norm(stop);
  return {s, std::max(s, e)};
}

// crop on a dense grid: tuple(r[sj:sj+w] for r in g[si:si+h]).
Value crop_grid(const Grid& g, i128 si, i128 sj, i128 h, i128 w) {
  auto [r0, r1] = slice_bounds(si, si + h, g.h);
  if (r0 == r1) return empty_tuple();
  auto [c0, c1] = slice_bounds(sj, sj + w, g.w);
  Grid r(static_cast<int>(r1 - r0), static_cast<int>(c1 - c0));
  if (r.w > 0)
    for (int i = 0; i < r.h; ++i)
      std::copy_n(g.cells.begin() + static_cast<std::size_t>(r0 + i) * g.w + c0, r.w,
                  r.cells.begin() + static_cast<std::size_t>(i) * r.w);
  return make_grid(std::move(r));
}

// Outline of the rectangle [si, ei] x [sj, ej] (si <= ei, sj <= ej), already sorted.
Value outline(i128 si, i128 sj, i128 ei, i128 ej) {
  const i128 ht = ei - si + 1, wd = ej - sj + 1;
  const i128 n = ht == 1 ? wd : (wd == 1 ? ht : 2 * wd + 2 * (ht - 2));
  precheck(n);
  PointSink s;
  s.reserve(static_cast<std::size_t>(n));
  for (i128 j = sj; j <= ej; ++j) s.add(si, j);
  for (i128 i = si + 1; i < ei; ++i) {
    s.add(i, sj);
    if (ej != sj) s.add(i, ej);
  }
  if (ei != si)
    for (i128 j = sj; j <= ej; ++j) s.add(ei, j);
  return s.finish(true);
}

// Every (i, j) with si <= i < ei, sj <= j < ej, in order.
Value rectangle(i64 si, i64 sj, i64 ei, i64 ej) {
  i128 ht = std::max<i128>(0, static_cast<i128>(ei) - si), wd = std::max<i128>(0, static_cast<i128>(ej) - sj);
  precheck(sat_mul(ht, wd));
  PointSink s;
  s.reserve(static_cast<std::size_t>(ht * wd));
  for (i64 i = si; i < ei; ++i)
    for (i64 j = sj; j < ej; ++j) s.add(i, j);
  return s.finish(true);
}

// Colour count of a row or column: does it hold exactly one distinct value?
bool uniform(const Color* first, std::size_t n, std::size_t stride) {
  if (n == 0) return false;
  for (std::size_t k = 1; k < n; ++k)
    if (first[k * stride] != first[0]) return false;
  return true;
}

// len(set(seq)) == 1 for any iterable.
bool uniform_generic(const Value& seq) { return make_set(elements(seq)).size() == 1; }

}  // namespace

namespace dsl {

// ------------------------------------------------------------------ rotations and mirrors

Value rot90(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    Grid r(g.w, g.h);
    for (int i = 0; i < r.h; ++i)
      for (int j = 0; j < r.w; ++j) r.cells[static_cast<std::size_t>(i) * r.w + j] = g.at(g.h - 1 - j, i);
    return make_grid(std::move(r));
  }
  return tuple_of(zip_rows(elements(reversed(grid))));
}

Value rot180(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    Grid r = grid.grid();
    std::reverse(r.cells.begin(), r.cells.end());
    return make_grid(std::move(r));
  }
  std::vector<Value> out;
  for (const Value& row : elements(reversed(grid))) out.push_back(reversed(row));
  return make_tuple(std::move(out));
}

Value rot270(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    Grid r(g.w, g.h);
    for (int i = 0; i < r.h; ++i)
      for (int j = 0; j < r.w; ++j) r.cells[static_cast<std::size_t>(i) * r.w + j] = g.at(j, g.w - 1 - i);
    return make_grid(std::move(r));
  }
  Rows rows = zip_rows(elements(reversed(grid)));
  std::vector<Value> out;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    std::reverse(it->begin(), it->end());
    out.push_back(make_tuple(std::move(*it)));
  }
  return make_tuple(std::move(out));
}

Value hmirror(const Value& piece) {
  if (piece.kind() == Kind::Grid) {
    const Grid& g = piece.grid();
    Grid r(g.h, g.w);
    for (int i = 0; i < g.h; ++i)
      std::copy_n(g.cells.begin() + static_cast<std::size_t>(g.h - 1 - i) * g.w, g.w,
                  r.cells.begin() + static_cast<std::size_t>(i) * g.w);
    return make_grid(std::move(r));
  }
  if (piece.is_tuple()) return reversed(piece);
  if (piece.kind() == Kind::Indices) {
    auto pts = piece.points();
    const i64 d = static_cast<i64>(pts.front().i) + pts.back().i;
    std::vector<Point> out;
    out.reserve(pts.size());
    for (std::size_t end = pts.size(); end > 0;) {  // row blocks in reverse, columns kept ascending
      std::size_t beg = end;
      while (beg > 0 && pts[beg - 1].i == pts[end - 1].i) --beg;
      for (std::size_t k = beg; k < end; ++k) out.push_back({static_cast<std::int32_t>(d - pts[k].i), pts[k].j});
      end = beg;
    }
    return make_sorted_indices(std::move(out));
  }
  if (piece.kind() == Kind::Object) {
    Box b = bbox(piece);
    const i64 d = b.i0 + b.i1;
    auto cs = piece.cells();
    std::vector<CellV> out;
    out.reserve(cs.size());
    for (std::size_t cb = 0; cb < cs.size();) {  // per colour: row blocks in reverse
      std::size_t ce = cb;
      while (ce < cs.size() && cs[ce].c == cs[cb].c) ++ce;
      for (std::size_t end = ce; end > cb;) {
        std::size_t beg = end;
        while (beg > cb && cs[beg - 1].i == cs[end - 1].i) --beg;
        for (std::size_t k = beg; k < end; ++k)
          out.push_back({cs[k].c, static_cast<std::int32_t>(d - cs[k].i), cs[k].j});
        end = beg;
      }
      cb = ce;
    }
    return make_sorted_object(std::move(out));
  }
  Value d = py_add(py_index(ulcorner(piece), 0), py_index(lrcorner(piece), 0));
  auto flip = [&d](const Value& i, const Value& j) { return std::pair{py_sub(d, i), j}; };
  return map_patch(piece, flip, flip);
}

Value vmirror(const Value& piece) {
  if (piece.kind() == Kind::Grid) {
    Grid r = piece.grid();
    for (int i = 0; i < r.h; ++i) {
      auto row = r.cells.begin() + static_cast<std::size_t>(i) * r.w;
      std::reverse(row, row + r.w);
    }
    return make_grid(std::move(r));
  }
  if (piece.is_tuple()) {
    std::vector<Value> out;
    for (const Value& row : elements(piece)) out.push_back(reversed(row));
    return make_tuple(std::move(out));
  }
  if (piece.kind() == Kind::Indices) {
    Box b = bbox(piece);
    const i64 d = b.j0 + b.j1;
    auto pts = piece.points();
    std::vector<Point> out;
    out.reserve(pts.size());
    for (std::size_t beg = 0; beg < pts.size();) {  // each row reversed
      std::size_t end = beg;
      while (end < pts.size() && pts[end].i == pts[beg].i) ++end;
      for (std::size_t k = end; k > beg; --k) out.push_back({pts[k - 1].i, static_cast<std::int32_t>(d - pts[k - 1].j)});
      beg = end;
    }
    return make_sorted_indices(std::move(out));
  }
  if (piece.kind() == Kind::Object) {
    Box b = bbox(piece);
    const i64 d = b.j0 + b.j1;
    auto cs = piece.cells();
    std::vector<CellV> out;
    out.reserve(cs.size());
    for (std::size_t beg = 0; beg < cs.size();) {  // each (colour, row) run reversed
      std::size_t end = beg;
      while (end < cs.size() && cs[end].c == cs[beg].c && cs[end].i == cs[beg].i) ++end;
      for (std::size_t k = end; k > beg; --k)
        out.push_back({cs[k - 1].c, cs[k - 1].i, static_cast<std::int32_t>(d - cs[k - 1].j)});
      beg = end;
    }
    return make_sorted_object(std::move(out));
  }
  Value d = py_add(py_index(ulcorner(piece), 1), py_index(lrcorner(piece), 1));
  auto flip = [&d](const Value& i, const Value& j) { return std::pair{i, py_sub(d, j)}; };
  return map_patch(piece, flip, flip);
}

Value dmirror(const Value& piece) {
  if (piece.kind() == Kind::Grid) {
    const Grid& g = piece.grid();
    Grid r(g.w, g.h);
    for (int i = 0; i < r.h; ++i)
      for (int j = 0; j < r.w; ++j) r.cells[static_cast<std::size_t>(i) * r.w + j] = g.at(j, i);
    return make_grid(std::move(r));
  }
  if (piece.is_tuple()) return tuple_of(zip_rows(elements(piece)));
  if (piece.kind() == Kind::Indices) {
    Box b = bbox(piece);
    PointSink s;
    s.reserve(piece.points().size());
    for (Point p : piece.points()) s.add(p.j - b.j0 + b.i0, p.i - b.i0 + b.j0);
    return s.finish(false);
  }
  if (piece.kind() == Kind::Object) {
    Box b = bbox(piece);
    CellSink s;
    s.reserve(piece.cells().size());
    for (CellV c : piece.cells()) s.add(c.c, c.j - b.j0 + b.i0, c.i - b.i0 + b.j0);
    return s.finish(false);
  }
  const auto [a, b] = unpack2(ulcorner(piece));
  auto swap = [&a = a, &b = b](const Value& i, const Value& j) {  // clang 14 cannot capture bindings directly
    Value ni = py_add(py_sub(j, b), a);  // (j - b + a, i - a + b), left to right
    return std::pair{std::move(ni), py_add(py_sub(i, a), b)};
  };
  return map_patch(piece, swap, swap);
}

Value cmirror(const Value& piece) {
  if (piece.kind() == Kind::Grid) {
    const Grid& g = piece.grid();
    Grid r(g.w, g.h);
    for (int i = 0; i < r.h; ++i)
      for (int j = 0; j < r.w; ++j) r.cells[static_cast<std::size_t>(i) * r.w + j] = g.at(g.h - 1 - j, g.w - 1 - i);
    return make_grid(std::move(r));
  }
  if (piece.is_tuple()) {
    std::vector<Value> flipped;
    for (const Value& r : elements(reversed(piece))) flipped.push_back(reversed(r));
    return tuple_of(zip_rows(flipped));
  }
  return vmirror(dmirror(vmirror(piece)));
}

// ------------------------------------------------------------------ painting

Value fill(const Value& grid, const Value& value, const Value& patch) {
  if (grid.kind() == Kind::Grid && is_int32(value) && (is_patch(patch) || is_empty_set(patch))) {
    Grid r = grid.grid();
    const Color c = static_cast<Color>(value.int_unchecked());
    if (patch.kind() == Kind::Indices) {
      for (Point p : patch.points())
        if (p.i >= 0 && p.i < r.h && p.j >= 0 && p.j < r.w) r.at(p.i, p.j) = c;
    } else if (patch.kind() == Kind::Object) {
      for (CellV x : patch.cells())
        if (x.i >= 0 && x.i < r.h && x.j >= 0 && x.j < r.w) r.at(x.i, x.j) = c;
    }
    return make_grid(std::move(r));
  }
  auto [h, w] = grid_hw(grid);
  Rows rows = rows_of(grid);
  for (const Value& e : elements(toindices(patch))) {
    auto [i, j] = unpack2(e);
    put_cell(rows, i, j, h, w, value);
  }
  return tuple_of(std::move(rows));
}

Value paint(const Value& grid, const Value& obj) {
  auto [h, w] = grid_hw(grid);
  if (grid.kind() == Kind::Grid) {
    // Write into a copy of the grid while every value written is a colour; a value that is not
    // turns the result into generic rows below.
    Grid r = grid.grid();
    auto put = [&r](CellV x) {
      if (x.i >= 0 && x.i < r.h && x.j >= 0 && x.j < r.w) r.at(x.i, x.j) = x.c;
    };
    if (obj.kind() == Kind::Object) {
      for (CellV x : obj.cells()) put(x);
      return make_grid(std::move(r));
    }
    bool dense = true;
    for (const Value& e : elements(obj)) {
      if (e.kind() == Kind::Cell) {
        put(e.cellv());
        continue;
      }
      auto [v, loc] = unpack2(e);
      auto [i, j] = unpack2(loc);
      if (!(in_bounds(i, h) && in_bounds(j, w))) continue;
      if (!is_int32(v)) {
        dense = false;
        break;
      }
      r.at(i.int_unchecked(), j.int_unchecked()) = static_cast<Color>(v.int_unchecked());
    }
    if (dense) return make_grid(std::move(r));
  }
  Rows rows = rows_of(grid);
  for (const Value& e : elements(obj)) {
    auto [v, loc] = unpack2(e);
    auto [i, j] = unpack2(loc);
    put_cell(rows, i, j, h, w, v);
  }
  return tuple_of(std::move(rows));
}

Value underfill(const Value& grid, const Value& value, const Value& patch) {
  auto [h, w] = grid_hw(grid);
  Value bg = mostcolor(grid);
  if (grid.kind() == Kind::Grid && is_int32(value) && is_int32(bg) && (is_patch(patch) || is_empty_set(patch))) {
    Grid r = grid.grid();
    const Color c = static_cast<Color>(value.int_unchecked()), b = static_cast<Color>(bg.int_unchecked());
    auto put = [&](i64 i, i64 j) {
      if (i >= 0 && i < r.h && j >= 0 && j < r.w && r.at(i, j) == b) r.at(i, j) = c;
    };
    if (patch.kind() == Kind::Indices)
      for (Point p : patch.points()) put(p.i, p.j);
    else if (patch.kind() == Kind::Object)
      for (CellV x : patch.cells()) put(x.i, x.j);
    return make_grid(std::move(r));
  }
  Rows rows = rows_of(grid);
  for (const Value& e : elements(toindices(patch))) {
    auto [i, j] = unpack2(e);
    put_cell(rows, i, j, h, w, value, &bg);
  }
  return tuple_of(std::move(rows));
}

Value underpaint(const Value& grid, const Value& obj) {
  auto [h, w] = grid_hw(grid);
  Value bg = mostcolor(grid);
  if (grid.kind() == Kind::Grid && is_int32(bg) && (obj.kind() == Kind::Object || is_empty_set(obj))) {
    Grid r = grid.grid();
    const Color b = static_cast<Color>(bg.int_unchecked());
    if (obj.kind() == Kind::Object)
      for (CellV x : obj.cells())
        if (x.i >= 0 && x.i < r.h && x.j >= 0 && x.j < r.w && r.at(x.i, x.j) == b) r.at(x.i, x.j) = x.c;
    return make_grid(std::move(r));
  }
  Rows rows = rows_of(grid);
  for (const Value& e : elements(obj)) {
    auto [v, loc] = unpack2(e);
    auto [i, j] = unpack2(loc);
    put_cell(rows, i, j, h, w, v, &bg);
  }
  return tuple_of(std::move(rows));
}

// ------------------------------------------------------------------ scaling

Value hupscale(const Value& grid, const Value& factor) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    if (g.w == 0) return grid;  // no values: factor is never looked at
    const i64 f = std::max<i64>(need_int(factor), 0);
    precheck_grid(g.h, static_cast<i128>(g.w) * f);
    Grid r(g.h, static_cast<int>(g.w * f));
    Color* out = r.cells.data();
    for (Color v : g.cells) out = std::fill_n(out, f, v);
    return make_grid(std::move(r));
  }
  std::vector<Value> out;
  for (const Value& row : elements(grid)) {
    std::vector<Value> r;
    for (const Value& v : elements(row)) {
      const i64 f = need_int(factor);
      if (f > 0) {
        precheck(static_cast<i128>(r.size()) + f);
        r.insert(r.end(), static_cast<std::size_t>(f), v);
      }
    }
    out.push_back(make_tuple(std::move(r)));
  }
  return make_tuple(std::move(out));
}

Value vupscale(const Value& grid, const Value& factor) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    const i64 f = std::max<i64>(need_int(factor), 0);
    if (f == 0) return empty_tuple();
    precheck_grid(static_cast<i128>(g.h) * f, g.w);
    Grid r(static_cast<int>(g.h * f), g.w);
    for (int i = 0; i < g.h; ++i)
      for (i64 k = 0; k < f; ++k)
        std::copy_n(g.cells.begin() + static_cast<std::size_t>(i) * g.w, g.w,
                    r.cells.begin() + static_cast<std::size_t>(i * f + k) * g.w);
    return make_grid(std::move(r));
  }
  std::vector<Value> out;
  for (const Value& row : elements(grid)) {
    const i64 f = need_int(factor);
    if (f > 0) {
      precheck(static_cast<i128>(out.size()) + f);
      out.insert(out.end(), static_cast<std::size_t>(f), row);
    }
  }
  return make_tuple(std::move(out));
}

Value upscale(const Value& element, const Value& factor) {
  if (element.kind() == Kind::Grid) {
    const Grid& g = element.grid();
    const i64 f = std::max<i64>(need_int(factor), 0);
    if (f == 0) return empty_tuple();
    precheck_grid(static_cast<i128>(g.h) * f, static_cast<i128>(g.w) * f);
    const std::size_t rw = static_cast<std::size_t>(g.w) * f;
    Grid r(static_cast<int>(g.h * f), static_cast<int>(rw));
    for (int i = 0; i < g.h; ++i) {
      Color* first = r.cells.data() + static_cast<std::size_t>(i) * f * rw;
      Color* out = first;
      for (int j = 0; j < g.w; ++j) out = std::fill_n(out, f, g.at(i, j));
      for (i64 k = 1; k < f; ++k) std::copy_n(first, rw, first + k * rw);
    }
    return make_grid(std::move(r));
  }
  if (element.is_tuple()) {
    std::vector<Value> out;
    for (const Value& row : elements(element)) {
      std::vector<Value> up;
      for (const Value& v : elements(row)) {
        const i64 f = need_int(factor);
        if (f > 0) {
          precheck(static_cast<i128>(up.size()) + f);
          up.insert(up.end(), static_cast<std::size_t>(f), v);
        }
      }
      const i64 f = need_int(factor);
      Value r = make_tuple(std::move(up));
      if (f > 0) {
        precheck(static_cast<i128>(out.size()) + f);
        out.insert(out.end(), static_cast<std::size_t>(f), r);
      }
    }
    return make_tuple(std::move(out));
  }
  if (element.size() == 0) return empty_set();  // len(): TypeError for ints and functions
  if (element.kind() == Kind::Object) {
    const i64 f = need_int(factor);
    if (f <= 0) return empty_set();
    auto cs = element.cells();
    precheck(sat_mul(sat_mul(static_cast<i128>(cs.size()), f), f));
    Box b = bbox(element);
    CellSink s;
    s.reserve(cs.size() * static_cast<std::size_t>(f * f));
    // Per colour and source row, emit the f output rows in order: the result comes out sorted.
    for (std::size_t beg = 0; beg < cs.size();) {
      std::size_t end = beg;
      while (end < cs.size() && cs[end].c == cs[beg].c && cs[end].i == cs[beg].i) ++end;
      const i128 row0 = b.i0 + static_cast<i128>(cs[beg].i - b.i0) * f;
      for (i64 io = 0; io < f; ++io)
        for (std::size_t k = beg; k < end; ++k) {
          const i128 col0 = b.j0 + static_cast<i128>(cs[k].j - b.j0) * f;
          for (i64 jo = 0; jo < f; ++jo) s.add(cs[k].c, row0 + io, col0 + jo);
        }
      beg = end;
    }
    return s.finish(true);
  }
  auto [ui, uj] = unpack2(ulcorner(element));
  Value normed = shift(element, make_tuple({py_neg(ui), py_neg(uj)}));
  std::vector<Value> o;
  for (const Value& e : elements(normed)) {
    auto [v, loc] = unpack2(e);
    auto [i, j] = unpack2(loc);
    const i64 f = need_int(factor);
    if (f <= 0) continue;
    precheck(static_cast<i128>(o.size()) + sat_mul(f, f));
    for (i64 io = 0; io < f; ++io)
      for (i64 jo = 0; jo < f; ++jo)
        o.push_back(make_tuple({v, make_tuple({py_add(py_mul(i, factor), Value::integer(io)),
                                               py_add(py_mul(j, factor), Value::integer(jo))})}));
  }
  return shift(make_set(std::move(o)), make_tuple({ui, uj}));
}

Value downscale(const Value& grid, const Value& factor) {
  auto [h, w] = grid_hw(grid);
  if (grid.kind() == Kind::Grid && factor.is_int()) {
    const Grid& g = grid.grid();
    i64 f = factor.int_unchecked();
    if (f == 0) fail("integer division or modulo by zero");
    if (f == 1) return grid;
    f = f < 0 ? (f == std::numeric_limits<i64>::min() ? std::numeric_limits<i64>::max() : -f) : f;
    // j % factor == 0 exactly when |factor| divides j
    auto kept = [f](i64 n) { return static_cast<int>(n == 0 ? 0 : (n - 1) / f + 1); };  // multiples of f below n
    const int nh = kept(g.h), nw = kept(g.w);
    Grid r(nh, nw);
    for (int i = 0; i < nh; ++i)
      for (int j = 0; j < nw; ++j) r.cells[static_cast<std::size_t>(i) * nw + j] = g.at(i * f, j * f);
    return make_grid(std::move(r));
  }
  std::vector<Value> rows;
  for (i64 i = 0; i < h; ++i) {
    std::vector<Value> r;
    for (i64 j = 0; j < w; ++j)
      if (!py_mod(Value::integer(j), factor).truthy()) r.push_back(py_index(py_index(grid, i), j));
    rows.push_back(make_tuple(std::move(r)));
  }
  std::vector<Value> out;
  for (i64 i = 0; i < static_cast<i64>(rows.size()); ++i)
    if (!py_mod(Value::integer(i), factor).truthy()) out.push_back(rows[i]);
  return make_tuple(std::move(out));
}

// ------------------------------------------------------------------ concatenation and splitting

Value hconcat(const Value& a, const Value& b) {
  if (a.kind() == Kind::Grid && b.kind() == Kind::Grid) {
    const Grid &x = a.grid(), &y = b.grid();
    Grid r(std::min(x.h, y.h), x.w + y.w);
    for (int i = 0; i < r.h; ++i) {
      auto out = r.cells.begin() + static_cast<std::size_t>(i) * r.w;
      out = std::copy_n(x.cells.begin() + static_cast<std::size_t>(i) * x.w, x.w, out);
      std::copy_n(y.cells.begin() + static_cast<std::size_t>(i) * y.w, y.w, out);
    }
    return make_grid(std::move(r));
  }
  std::vector<Value> xs = elements(a), ys = elements(b), out;
  const std::size_t n = std::min(xs.size(), ys.size());
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(py_add(xs[k], ys[k]));
  return make_tuple(std::move(out));
}

Value vconcat(const Value& a, const Value& b) {
  if (a.kind() == Kind::Grid && b.kind() == Kind::Grid && a.grid().w == b.grid().w) {
    const Grid &x = a.grid(), &y = b.grid();
    precheck_grid(static_cast<i128>(x.h) + y.h, x.w);
    Grid r(x.h + y.h, x.w);
    std::copy(y.cells.begin(), y.cells.end(), std::copy(x.cells.begin(), x.cells.end(), r.cells.begin()));
    return make_grid(std::move(r));
  }
  return py_add(a, b);
}

Value subgrid(const Value& patch, const Value& grid) {
  if (is_patch(patch) && grid.kind() == Kind::Grid) {
    Box b = bbox(patch);
    return crop_grid(grid.grid(), b.i0, b.j0, static_cast<i128>(b.i1) - b.i0 + 1, static_cast<i128>(b.j1) - b.j0 + 1);
  }
  Value start = ulcorner(patch);
  Value dims = shape(patch);
  return crop(grid, start, dims);
}

Value hsplit(const Value& grid, const Value& n) {
  auto [h, full_w] = grid_hw(grid);
  const i64 w = need_int(py_floordiv(Value::integer(full_w), n));
  const i64 offset = py_mod(Value::integer(full_w), n).truthy() ? 1 : 0;
  const i64 count = need_int(n);
  precheck(count);
  std::vector<Value> out;
  for (i64 i = 0; i < count; ++i) {
    const i64 sj = w * i + i * offset;
    if (grid.kind() == Kind::Grid) out.push_back(crop_grid(grid.grid(), 0, sj, h, w));
    else out.push_back(crop(grid, Value::pair(0, sj), Value::pair(h, w)));
  }
  return make_tuple(std::move(out));
}

Value vsplit(const Value& grid, const Value& n) {
  const i64 full_h = static_cast<i64>(grid.size());
  const i64 h = need_int(py_floordiv(Value::integer(full_h), n));
  const i64 w = grid_hw(grid).second;
  const i64 offset = py_mod(Value::integer(full_h), n).truthy() ? 1 : 0;
  const i64 count = need_int(n);
  precheck(count);
  std::vector<Value> out;
  for (i64 i = 0; i < count; ++i) {
    const i64 si = h * i + i * offset;
    if (grid.kind() == Kind::Grid) out.push_back(crop_grid(grid.grid(), si, 0, h, w));
    else out.push_back(crop(grid, Value::pair(si, 0), Value::pair(h, w)));
  }
  return make_tuple(std::move(out));
}

// ------------------------------------------------------------------ cell-wise colour operations

Value cellwise(const Value& a, const Value& b, const Value& fallback) {
  auto [h, w] = grid_hw(a);
  if (a.kind() == Kind::Grid && w == 0) return a;  // b is never looked at
  if (a.kind() == Kind::Grid && b.kind() == Kind::Grid && is_int32(fallback) && b.grid().h >= h &&
      b.grid().w >= w) {
    const Grid &x = a.grid(), &y = b.grid();
    const Color fb = static_cast<Color>(fallback.int_unchecked());
    Grid r(x.h, x.w);
    for (int i = 0; i < x.h; ++i) {
      const Color* xr = x.cells.data() + static_cast<std::size_t>(i) * x.w;
      const Color* yr = y.cells.data() + static_cast<std::size_t>(i) * y.w;
      Color* out = r.cells.data() + static_cast<std::size_t>(i) * r.w;
      for (int j = 0; j < x.w; ++j) out[j] = xr[j] == yr[j] ? xr[j] : fb;
    }
    return make_grid(std::move(r));
  }
  std::vector<Value> rows;
  for (i64 i = 0; i < h; ++i) {
    std::vector<Value> r;
    for (i64 j = 0; j < w; ++j) {
      Value av = py_index(py_index(a, i), j);
      r.push_back(py_eq(av, py_index(py_index(b, i), j)) ? av : fallback);
    }
    rows.push_back(make_tuple(std::move(r)));
  }
  return make_tuple(std::move(rows));
}

Value replace(const Value& grid, const Value& replacee, const Value& replacer) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    if (!is_int32(replacee)) return grid;  // no cell can equal it
    const Color from = static_cast<Color>(replacee.int_unchecked());
    if (std::find(g.cells.begin(), g.cells.end(), from) == g.cells.end()) return grid;
    if (is_int32(replacer)) {
      Grid r = g;
      std::replace(r.cells.begin(), r.cells.end(), from, static_cast<Color>(replacer.int_unchecked()));
      return make_grid(std::move(r));
    }
  }
  std::vector<Value> out;
  for (const Value& row : elements(grid)) {
    std::vector<Value> r;
    for (const Value& v : elements(row)) r.push_back(py_eq(v, replacee) ? replacer : v);
    out.push_back(make_tuple(std::move(r)));
  }
  return make_tuple(std::move(out));
}

Value switch_(const Value& grid, const Value& a, const Value& b) {
  if (grid.kind() == Kind::Grid && is_int32(a) && is_int32(b)) {
    Grid r = grid.grid();
    const Color x = static_cast<Color>(a.int_unchecked()), y = static_cast<Color>(b.int_unchecked());
    for (Color& v : r.cells) v = v == y ? x : (v == x ? y : v);  // {a: b, b: a}[v], b's entry last
    return make_grid(std::move(r));
  }
  std::vector<Value> out;
  for (const Value& row : elements(grid)) {
    std::vector<Value> r;
    for (const Value& v : elements(row)) {
      if (py_eq(v, b)) r.push_back(a);
      else if (py_eq(v, a)) r.push_back(b);
      else r.push_back(v);
    }
    out.push_back(make_tuple(std::move(r)));
  }
  return make_tuple(std::move(out));
}

// ------------------------------------------------------------------ locations

Value center(const Value& patch) {
  if (is_patch(patch)) {
    Box b = bbox(patch);
    return Value::pair(b.i0 + (b.i1 - b.i0 + 1) / 2, b.j0 + (b.j1 - b.j0 + 1) / 2);
  }
  Value two = Value::integer(2);
  // Python's left-to-right order: each operand before the next (C++ leaves argument order open)
  Value top = uppermost(patch);
  Value i = py_add(top, py_floordiv(height(patch), two));
  Value left = leftmost(patch);
  Value j = py_add(left, py_floordiv(width(patch), two));
  return make_tuple({i, j});
}

Value position(const Value& a, const Value& b) {
  auto [ia, ja] = unpack2(is_patch(a) ? center(a) : center(toindices(a)));
  auto [ib, jb] = unpack2(is_patch(b) ? center(b) : center(toindices(b)));
  auto side = [&ja = ja, &jb = jb]() { return Value::integer(py_lt(ja, jb) ? 1 : -1); };
  if (py_eq(ia, ib)) return make_tuple({Value::integer(0), side()});
  if (py_eq(ja, jb)) return make_tuple({Value::integer(py_lt(ia, ib) ? 1 : -1), Value::integer(0)});
  if (py_lt(ia, ib)) return make_tuple({Value::integer(1), side()});
  if (py_gt(ia, ib)) return make_tuple({Value::integer(-1), side()});
  return Value::none();  // centres that compare neither way: arc-dsl falls off the end of its ifs
}

Value index(const Value& grid, const Value& loc) {
  auto [i, j] = unpack2(loc);
  auto [h, w] = grid_hw(grid);
  if (!(in_bounds(i, h) && in_bounds(j, w))) return Value::none();
  if (grid.kind() == Kind::Grid && loc.kind() == Kind::Pair)
    return Value::integer(grid.grid().at(loc.point().i, loc.point().j));
  return py_index(py_index(grid, need_int(py_index(loc, 0))), need_int(py_index(loc, 1)));
}

Value canvas(const Value& value, const Value& dimensions) {
  const i64 h = need_int(py_index(dimensions, 0));
  if (h <= 0) return empty_tuple();
  const i64 w = std::max<i64>(need_int(py_index(dimensions, 1)), 0);
  precheck_grid(h, w);
  if (is_int32(value) || w == 0)
    return make_grid(Grid(static_cast<int>(h), static_cast<int>(w), w ? static_cast<Color>(value.int_unchecked()) : 0));
  precheck(static_cast<i128>(h) * w);
  Value row = make_tuple(std::vector<Value>(static_cast<std::size_t>(w), value));
  return make_tuple(std::vector<Value>(static_cast<std::size_t>(h), row));
}

Value corners(const Value& patch) {
  if (is_patch(patch)) {
    Box b = bbox(patch);
    PointSink s;
    s.add(b.i0, b.j0), s.add(b.i0, b.j1), s.add(b.i1, b.j0), s.add(b.i1, b.j1);
    return s.finish(false);
  }
  return make_set({ulcorner(patch), urcorner(patch), llcorner(patch), lrcorner(patch)});
}

Value connect(const Value& a, const Value& b) {
  auto [ai_v, aj_v] = unpack2(a);
  auto [bi_v, bj_v] = unpack2(b);
  if (!ai_v.is_int() || !aj_v.is_int() || !bi_v.is_int() || !bj_v.is_int())
    fail("connect needs integer coordinates (min/max and + 1 on them)");
  const i128 ai = ai_v.int_unchecked(), aj = aj_v.int_unchecked(), bi = bi_v.int_unchecked(), bj = bj_v.int_unchecked();
  const i128 si = std::min(ai, bi), ei = std::max(ai, bi) + 1, sj = std::min(aj, bj), ej = std::max(aj, bj) + 1;
  PointSink s;
  if (ai == bi) {
    precheck(ej - sj);
    s.reserve(static_cast<std::size_t>(ej - sj));
    for (i128 j = sj; j < ej; ++j) s.add(ai, j);
  } else if (aj == bj) {
    precheck(ei - si);
    s.reserve(static_cast<std::size_t>(ei - si));
    for (i128 i = si; i < ei; ++i) s.add(i, aj);
  } else if (bi - ai == bj - aj) {
    precheck(ei - si);
    s.reserve(static_cast<std::size_t>(ei - si));
    for (i128 k = 0; k < ei - si; ++k) s.add(si + k, sj + k);
  } else if (bi - ai == aj - bj) {
    precheck(ei - si);
    s.reserve(static_cast<std::size_t>(ei - si));
    for (i128 k = 0; k < ei - si; ++k) s.add(si + k, ej - 1 - k);
  }
  return s.finish(true);
}

Value cover(const Value& grid, const Value& patch) {
  Value bg = mostcolor(grid);
  return fill(grid, bg, is_patch(patch) ? patch : toindices(patch));
}

Value trim(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    return crop_grid(g, 1, 1, static_cast<i128>(g.h) - 2, static_cast<i128>(g.w) - 2);
  }
  std::vector<Value> out;
  for (const Value& r : elements(py_slice(grid, 1, -1))) out.push_back(py_slice(r, 1, -1));
  return make_tuple(std::move(out));
}

Value move(const Value& grid, const Value& obj, const Value& offset) {
  if (grid.kind() == Kind::Grid && obj.kind() == Kind::Object && offset.kind() == Kind::Pair) {
    Value bg = mostcolor(grid);
    if (is_int32(bg)) {
      Grid r = grid.grid();
      const Color b = static_cast<Color>(bg.int_unchecked());
      const i64 di = offset.point().i, dj = offset.point().j;
      for (CellV x : obj.cells())
        if (x.i >= 0 && x.i < r.h && x.j >= 0 && x.j < r.w) r.at(x.i, x.j) = b;
      for (CellV x : obj.cells()) {
        const i64 i = x.i + di, j = x.j + dj;
        if (i >= 0 && i < r.h && j >= 0 && j < r.w) r.at(static_cast<int>(i), static_cast<int>(j)) = x.c;
      }
      return make_grid(std::move(r));
    }
  }
  Value covered = cover(grid, obj);
  return paint(covered, shift(obj, offset));
}

// ------------------------------------------------------------------ halves

Value tophalf(const Value& grid) {
  const i64 n = static_cast<i64>(grid.size());
  if (grid.kind() == Kind::Grid) return crop_grid(grid.grid(), 0, 0, n / 2, grid.grid().w);
  return py_slice(grid, std::nullopt, n / 2);
}

Value bottomhalf(const Value& grid) {
  const i64 n = static_cast<i64>(grid.size());
  if (grid.kind() == Kind::Grid) return crop_grid(grid.grid(), n / 2 + n % 2, 0, n / 2, grid.grid().w);
  return py_slice(grid, n / 2 + n % 2, std::nullopt);
}

Value lefthalf(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    if (g.w / 2 == 0) return empty_tuple();  // the rotated grid's top half is empty
    return crop_grid(g, 0, 0, g.h, g.w / 2);
  }
  return rot270(tophalf(rot90(grid)));
}

Value righthalf(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    if (g.w / 2 == 0) return empty_tuple();
    return crop_grid(g, 0, g.w / 2 + g.w % 2, g.h, g.w / 2);
  }
  return rot270(bottomhalf(rot90(grid)));
}

// ------------------------------------------------------------------ lines and boxes

Value vfrontier(const Value& location) {
  Value j = py_index(location, 1);
  if (is_int32(j)) {
    std::vector<Point> pts;
    pts.reserve(30);
    for (int i = 0; i < 30; ++i) pts.push_back({i, static_cast<std::int32_t>(j.int_unchecked())});
    return make_sorted_indices(std::move(pts));
  }
  std::vector<Value> out;
  for (int i = 0; i < 30; ++i) out.push_back(make_tuple({Value::integer(i), j}));
  return make_set(std::move(out));
}

Value hfrontier(const Value& location) {
  Value i = py_index(location, 0);
  if (is_int32(i)) {
    std::vector<Point> pts;
    pts.reserve(30);
    for (int j = 0; j < 30; ++j) pts.push_back({static_cast<std::int32_t>(i.int_unchecked()), j});
    return make_sorted_indices(std::move(pts));
  }
  std::vector<Value> out;
  for (int j = 0; j < 30; ++j) out.push_back(make_tuple({i, Value::integer(j)}));
  return make_set(std::move(out));
}

Value backdrop(const Value& patch) {
  if (patch.size() == 0) return empty_set();
  if (is_patch(patch)) {
    Box b = bbox(patch);
    return rectangle(b.i0, b.j0, b.i1 + 1, b.j1 + 1);
  }
  Value indices = toindices(patch);
  auto [si, sj] = unpack2(ulcorner(indices));
  auto [ei, ej] = unpack2(lrcorner(patch));
  return rectangle(need_int(si), need_int(sj), need_int(py_add(ei, Value::integer(1))),
                   need_int(py_add(ej, Value::integer(1))));
}

Value delta(const Value& patch) {
  if (patch.size() == 0) return empty_set();
  if (is_patch(patch)) {
    Box b = bbox(patch);
    std::vector<Point> inside = points_of(patch);
    const i128 area = (static_cast<i128>(b.i1) - b.i0 + 1) * (static_cast<i128>(b.j1) - b.j0 + 1);
    precheck(area - static_cast<i128>(inside.size()));
    std::vector<Point> out;
    out.reserve(static_cast<std::size_t>(area - static_cast<i128>(inside.size())));
    std::size_t k = 0;
    for (i64 i = b.i0; i <= b.i1; ++i)
      for (i64 j = b.j0; j <= b.j1; ++j) {
        Point p{static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)};
        if (k < inside.size() && inside[k] == p) ++k;
        else out.push_back(p);
      }
    return make_sorted_indices(std::move(out));
  }
  return py_sub(backdrop(patch), toindices(patch));
}

Value gravitate(const Value& source, const Value& destination) {
  if (is_patch(source) && is_patch(destination)) {
    Box sb = bbox(source), db = bbox(destination);
    const i64 si = sb.i0 + (sb.i1 - sb.i0 + 1) / 2, sj = sb.j0 + (sb.j1 - sb.j0 + 1) / 2;
    const i64 di = db.i0 + (db.i1 - db.i0 + 1) / 2, dj = db.j0 + (db.j1 - db.j0 + 1) / 2;
    const std::vector<Point> src = points_of(source), dst = points_of(destination);
    // vmatching: a column shared by both patches
    std::vector<std::int32_t> sc, dc;
    for (Point p : src) sc.push_back(p.j);
    for (Point p : dst) dc.push_back(p.j);
    std::sort(sc.begin(), sc.end());
    std::sort(dc.begin(), dc.end());
    bool shared = false;
    for (std::size_t x = 0, y = 0; x < sc.size() && y < dc.size() && !shared;) {
      if (sc[x] == dc[y]) shared = true;
      else if (sc[x] < dc[y]) ++x;
      else ++y;
    }
    i64 i = 0, j = 0;
    if (shared) i = si < di ? 1 : -1;
    else j = sj < dj ? 1 : -1;
    // adjacent: the closest Manhattan distance between the shifted source and dst is exactly 1
    auto adjacent_at = [&](i64 oi, i64 oj) {
      bool touching = false;
      for (Point p : src) {
        const i64 pi = p.i + oi, pj = p.j + oj;
        if (has_point(dst, pi, pj)) return false;
        if (!touching)
          touching = has_point(dst, pi - 1, pj) || has_point(dst, pi + 1, pj) || has_point(dst, pi, pj - 1) ||
                     has_point(dst, pi, pj + 1);
      }
      return touching;
    };
    i64 gi = i, gj = j, oi = 0, oj = 0;
    for (int c = 0; c < 42 && !adjacent_at(oi, oj); ++c) gi += i, gj += j, oi += i, oj += j;
    return Value::pair(gi - i, gj - j);
  }
  auto [si, sj] = unpack2(center(source));
  auto [di, dj] = unpack2(center(destination));
  i64 i = 0, j = 0;
  if (vmatching(source, destination).truthy()) i = py_lt(si, di) ? 1 : -1;
  else j = py_lt(sj, dj) ? 1 : -1;
  i64 gi = i, gj = j;
  Value src = source;
  const Value step = Value::pair(i, j);
  for (int c = 0; c < 42 && !adjacent(src, destination).truthy(); ++c) {
    gi += i, gj += j;
    src = shift(src, step);
  }
  return Value::pair(gi - i, gj - j);
}

Value inbox(const Value& patch) {
  i128 ai, aj, bi, bj;
  if (is_patch(patch)) {
    Box b = bbox(patch);
    ai = b.i0 + 1, aj = b.j0 + 1, bi = b.i1 - 1, bj = b.j1 - 1;
  } else {
    ai = i128{need_int(uppermost(patch))} + 1, aj = i128{need_int(leftmost(patch))} + 1;
    bi = i128{need_int(lowermost(patch))} - 1, bj = i128{need_int(rightmost(patch))} - 1;
  }
  return outline(std::min(ai, bi), std::min(aj, bj), std::max(ai, bi), std::max(aj, bj));
}

Value outbox(const Value& patch) {
  i128 ai, aj, bi, bj;
  if (is_patch(patch)) {
    Box b = bbox(patch);
    ai = b.i0 - 1, aj = b.j0 - 1, bi = b.i1 + 1, bj = b.j1 + 1;
  } else {
    ai = i128{need_int(uppermost(patch))} - 1, aj = i128{need_int(leftmost(patch))} - 1;
    bi = i128{need_int(lowermost(patch))} + 1, bj = i128{need_int(rightmost(patch))} + 1;
  }
  return outline(std::min(ai, bi), std::min(aj, bj), std::max(ai, bi), std::max(aj, bj));
}

Value box(const Value& patch) {
  if (patch.size() == 0) return patch;
  i128 ai, aj, bi, bj;
  if (is_patch(patch)) {
    Box b = bbox(patch);
    ai = b.i0, aj = b.j0, bi = b.i1, bj = b.j1;
  } else {
    auto [x, y] = unpack2(ulcorner(patch));
    auto [u, v] = unpack2(lrcorner(patch));
    ai = need_int(x), aj = need_int(y), bi = need_int(u), bj = need_int(v);
  }
  return outline(std::min(ai, bi), std::min(aj, bj), std::max(ai, bi), std::max(aj, bj));
}

Value shoot(const Value& start, const Value& direction) {
  Value fortytwo = Value::integer(42);
  // start[0] + 42 * direction[0], ...: start's item is read first, as in Python
  Value si = py_index(start, 0);
  Value i = py_add(si, py_mul(fortytwo, py_index(direction, 0)));
  Value sj = py_index(start, 1);
  Value j = py_add(sj, py_mul(fortytwo, py_index(direction, 1)));
  return connect(start, make_tuple({i, j}));
}

// ------------------------------------------------------------------ pattern queries

Value occurrences(const Value& grid, const Value& obj) {
  if (grid.kind() == Kind::Grid && (obj.kind() == Kind::Object || is_empty_set(obj))) {
    const Grid& g = grid.grid();
    if (is_empty_set(obj)) return rectangle(0, 0, i64{g.h} + 1, i64{g.w} + 1);  // the empty shape fits anywhere
    Box b = bbox(obj);
    std::vector<CellV> normed;
    normed.reserve(obj.cells().size());
    for (CellV c : obj.cells())
      normed.push_back({c.c, static_cast<std::int32_t>(c.i - b.i0), static_cast<std::int32_t>(c.j - b.j0)});
    const i64 h2 = g.h - (b.i1 - b.i0 + 1) + 1, w2 = g.w - (b.j1 - b.j0 + 1) + 1;
    std::vector<Point> out;
    for (i64 i = 0; i < h2; ++i)
      for (i64 j = 0; j < w2; ++j) {
        bool ok = true;
        for (const CellV& c : normed)
          if (g.at(static_cast<int>(i + c.i), static_cast<int>(j + c.j)) != c.c) {
            ok = false;
            break;
          }
        if (ok) out.push_back({static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
      }
    return make_sorted_indices(std::move(out));
  }
  Value normed = normalize(obj);
  auto [h, w] = grid_hw(grid);
  auto [oh, ow] = unpack2(shape(obj));
  const i64 h2 = need_int(py_add(py_sub(Value::integer(h), oh), Value::integer(1)));
  const i64 w2 = need_int(py_add(py_sub(Value::integer(w), ow), Value::integer(1)));
  PointSink s;
  for (i64 i = 0; i < h2; ++i)
    for (i64 j = 0; j < w2; ++j) {
      bool occurs = true;
      for (const Value& e : elements(shift(normed, Value::pair(i, j)))) {
        auto [v, loc] = unpack2(e);
        auto [a, b] = unpack2(loc);
        if (!(in_bounds(a, h) && in_bounds(b, w) && py_eq(py_index(py_index(grid, a.int_unchecked()), b.int_unchecked()), v))) {
          occurs = false;
          break;
        }
      }
      if (occurs) s.add(i, j);
    }
  return s.finish(true);
}

Value frontiers(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    std::vector<Value> out;
    for (int i = 0; i < g.h; ++i)
      if (uniform(g.cells.data() + static_cast<std::size_t>(i) * g.w, g.w, 1)) {
        std::vector<CellV> cs;
        for (int j = 0; j < g.w; ++j) cs.push_back({g.at(i, j), i, j});
        out.push_back(make_sorted_object(std::move(cs)));
      }
    for (int j = 0; j < g.w; ++j)
      if (uniform(g.cells.data() + j, g.h, g.w)) {
        std::vector<CellV> cs;
        for (int i = 0; i < g.h; ++i) cs.push_back({g.at(i, j), i, j});
        out.push_back(make_sorted_object(std::move(cs)));
      }
    return make_set(std::move(out));
  }
  auto [h, w] = grid_hw(grid);
  std::vector<Value> rows = elements(grid), out;
  for (i64 i = 0; i < static_cast<i64>(rows.size()); ++i)
    if (uniform_generic(rows[i])) {
      std::vector<Value> cs;
      for (i64 j = 0; j < w; ++j) cs.push_back(make_tuple({py_index(py_index(grid, i), j), Value::pair(i, j)}));
      out.push_back(make_set(std::move(cs)));
    }
  std::vector<Value> cols = elements(dmirror(grid));
  for (i64 j = 0; j < static_cast<i64>(cols.size()); ++j)
    if (uniform_generic(cols[j])) {
      std::vector<Value> cs;
      for (i64 i = 0; i < h; ++i) cs.push_back(make_tuple({py_index(py_index(grid, i), j), Value::pair(i, j)}));
      out.push_back(make_set(std::move(cs)));
    }
  return make_set(std::move(out));
}

Value compress(const Value& grid) {
  if (grid.kind() == Kind::Grid) {
    const Grid& g = grid.grid();
    std::vector<int> keep_rows, keep_cols;
    for (int i = 0; i < g.h; ++i)
      if (!uniform(g.cells.data() + static_cast<std::size_t>(i) * g.w, g.w, 1)) keep_rows.push_back(i);
    for (int j = 0; j < g.w; ++j)
      if (!uniform(g.cells.data() + j, g.h, g.w)) keep_cols.push_back(j);
    Grid r(static_cast<int>(keep_rows.size()), static_cast<int>(keep_cols.size()));
    Color* out = r.cells.data();
    for (int i : keep_rows)
      for (int j : keep_cols) *out++ = g.at(i, j);
    return make_grid(std::move(r));
  }
  // Python finds the uniform rows before it mirrors the grid for the columns: errors come in that order
  std::vector<Value> rows = elements(grid);
  std::vector<bool> drop_row(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) drop_row[i] = uniform_generic(rows[i]);
  std::vector<Value> cols = elements(dmirror(grid));
  std::vector<bool> drop_col(cols.size());
  for (std::size_t j = 0; j < cols.size(); ++j) drop_col[j] = uniform_generic(cols[j]);
  std::vector<Value> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (drop_row[i]) continue;
    const Value& r = rows[i];
    std::vector<Value> vals = elements(r), kept;
    for (std::size_t j = 0; j < vals.size(); ++j)
      if (j >= drop_col.size() || !drop_col[j]) kept.push_back(vals[j]);
    out.push_back(make_tuple(std::move(kept)));
  }
  return make_tuple(std::move(out));
}

namespace {
// Smallest p in 1..extent-1 such that every cell, moved back by p along one axis and still on the
// non-negative side, lands on a cell of the same colour; extent when there is none.
Value period(const Value& obj, bool horizontal) {
  if (obj.kind() == Kind::Object) {
    Box b = bbox(obj);
    auto cs = obj.cells();
    const i64 extent = horizontal ? b.j1 - b.j0 + 1 : b.i1 - b.i0 + 1;
    for (i64 p = 1; p < extent; ++p) {
      bool ok = true;
      for (CellV c : cs) {
        if (horizontal ? c.j - b.j0 < p : c.i - b.i0 < p) continue;
        CellV back = horizontal ? CellV{c.c, c.i, static_cast<std::int32_t>(c.j - p)}
                                : CellV{c.c, static_cast<std::int32_t>(c.i - p), c.j};
        if (!std::binary_search(cs.begin(), cs.end(), back)) {
          ok = false;
          break;
        }
      }
      if (ok) return Value::integer(p);
    }
    return Value::integer(extent);
  }
  Value normalized = normalize(obj);
  Value extent_v = horizontal ? width(normalized) : height(normalized);
  const i64 extent = need_int(extent_v);
  for (i64 p = 1; p < extent; ++p) {
    Value offsetted = shift(normalized, horizontal ? Value::pair(0, -p) : Value::pair(-p, 0));
    bool subset = true;
    std::vector<Value> pruned;
    for (const Value& e : elements(offsetted)) {
      auto [c, loc] = unpack2(e);
      auto [i, j] = unpack2(loc);
      if (!py_lt(horizontal ? j : i, Value::integer(0))) pruned.push_back(make_tuple({c, make_tuple({i, j})}));
    }
    for (const Value& e : pruned)
      if (!py_contains(normalized, e)) {
        subset = false;
        break;
      }
    if (subset) return Value::integer(p);
  }
  return extent_v;
}
}  // namespace

Value hperiod(const Value& obj) { return period(obj, true); }
Value vperiod(const Value& obj) { return period(obj, false); }

}  // namespace dsl

namespace {

using dsl::body;

constexpr PrimitiveDef kGrids[] = {
    {.name = "rot90", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot90>,
     .description = "rotate a grid a quarter turn clockwise", .shape = ShapeRule::TransposedOfFirst,
     .colour = ColourOp::Rot90, .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot90},
    {.name = "rot180", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot180>,
     .description = "rotate a grid half a turn", .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Rot180,
     .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot180},
    {.name = "rot270", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot270>,
     .description = "rotate a grid a quarter turn anticlockwise", .shape = ShapeRule::TransposedOfFirst,
     .colour = ColourOp::Rot270, .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot270},
    {.name = "hmirror", .signature = "piece: Piece -> Piece", .fn = body<dsl::hmirror>,
     .description = "flip a grid or patch upside down (patches within their bounding box)",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Hmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Hmirror},
    {.name = "vmirror", .signature = "piece: Piece -> Piece", .fn = body<dsl::vmirror>,
     .description = "flip a grid or patch left to right (patches within their bounding box)",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Vmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Vmirror},
    {.name = "dmirror", .signature = "piece: Piece -> Piece", .fn = body<dsl::dmirror>,
     .description = "transpose a grid or patch across its main diagonal", .shape = ShapeRule::TransposedOfFirst,
     .colour = ColourOp::Dmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Dmirror},
    {.name = "cmirror", .signature = "piece: Piece -> Piece", .fn = body<dsl::cmirror>,
     .description = "transpose a grid or patch across its anti-diagonal", .shape = ShapeRule::TransposedOfFirst,
     .colour = ColourOp::Cmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Cmirror},
    {.name = "fill", .signature = "grid: Grid, value: Integer, patch: Patch -> Grid", .fn = body<dsl::fill>,
     .description = "set the given colour at every in-grid location of a patch", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Fill},
    {.name = "paint", .signature = "grid: Grid, obj: Object -> Grid", .fn = body<dsl::paint>,
     .description = "draw an object's cells onto a grid, ignoring cells outside it",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Paint},
    {.name = "underfill", .signature = "grid: Grid, value: Integer, patch: Patch -> Grid",
     .fn = body<dsl::underfill>, .description = "like fill, but only where the grid shows its most common colour",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Fill},
    {.name = "underpaint", .signature = "grid: Grid, obj: Object -> Grid", .fn = body<dsl::underpaint>,
     .description = "like paint, but only where the grid shows its most common colour",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Paint},
    {.name = "hupscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<dsl::hupscale>,
     .description = "repeat every column of a grid factor times",
     .device = GridOp::Hupscale},
    {.name = "vupscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<dsl::vupscale>,
     .description = "repeat every row of a grid factor times",
     .device = GridOp::Vupscale},
    {.name = "upscale", .signature = "element: Element, factor: Integer -> Element", .fn = body<dsl::upscale>,
     .description = "scale a grid, or an object about its upper-left corner, by an integer factor",
     .palette = PaletteRule::Keeps0,
     .device = GridOp::Upscale},
    {.name = "downscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<dsl::downscale>,
     .description = "keep every factor-th row and column of a grid, starting with the first",
     .device = GridOp::Downscale},
    {.name = "hconcat", .signature = "a: Grid, b: Grid -> Grid", .fn = body<dsl::hconcat>,
     .description = "place two grids side by side",
     .device = GridOp::Hconcat},
    {.name = "vconcat", .signature = "a: Grid, b: Grid -> Grid", .fn = body<dsl::vconcat>,
     .description = "stack one grid above another",
     .device = GridOp::Vconcat},
    {.name = "subgrid", .signature = "patch: Patch, grid: Grid -> Grid", .fn = body<dsl::subgrid>,
     .description = "cut out the part of a grid under a patch's bounding box"},
    {.name = "hsplit", .signature = "grid: Grid, n: Integer -> Tuple", .fn = body<dsl::hsplit>,
     .description = "cut a grid into n pieces side by side (a leftover column is skipped between them)"},
    {.name = "vsplit", .signature = "grid: Grid, n: Integer -> Tuple", .fn = body<dsl::vsplit>,
     .description = "cut a grid into n pieces stacked vertically (a leftover row is skipped between them)"},
    {.name = "cellwise", .signature = "a: Grid, b: Grid, fallback: Integer -> Grid", .fn = body<dsl::cellwise>,
     .description = "keep the first grid's cells where both grids agree, the fallback elsewhere",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Cellwise,
     .device = GridOp::Cellwise},
    {.name = "replace", .signature = "grid: Grid, replacee: Integer, replacer: Integer -> Grid",
     .fn = body<dsl::replace>, .description = "recolour every cell of one colour with another",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Replace,
     .device = GridOp::Replace},
    {.name = "switch", .signature = "grid: Grid, a: Integer, b: Integer -> Grid", .fn = body<dsl::switch_>,
     .description = "swap two colours throughout a grid", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Switch,
     .device = GridOp::Switch},
    {.name = "center", .signature = "patch: Patch -> IntegerTuple", .fn = body<dsl::center>,
     .description = "middle location of a patch's bounding box (rounded toward the lower right)"},
    {.name = "position", .signature = "a: Patch, b: Patch -> IntegerTuple", .fn = body<dsl::position>,
     .description = "unit direction from the first patch's centre toward the second's"},
    {.name = "index", .signature = "grid: Grid, loc: IntegerTuple -> Integer", .fn = body<dsl::index>,
     .description = "colour of a grid at a location"},
    {.name = "canvas", .signature = "value: Integer, dimensions: IntegerTuple -> Grid", .fn = body<dsl::canvas>,
     .description = "a grid of the given dimensions filled with one value"},
    {.name = "corners", .signature = "patch: Patch -> Indices", .fn = body<dsl::corners>,
     .description = "the four corner locations of a patch's bounding box"},
    {.name = "connect", .signature = "a: IntegerTuple, b: IntegerTuple -> Indices", .fn = body<dsl::connect>,
     .description = "locations of the straight (row, column or diagonal) segment between two points"},
    {.name = "cover", .signature = "grid: Grid, patch: Patch -> Grid", .fn = body<dsl::cover>,
     .description = "paint a patch's locations in the grid's most common colour", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Cover},
    {.name = "trim", .signature = "grid: Grid -> Grid", .fn = body<dsl::trim>,
     .description = "drop a grid's outermost rows and columns",
     .device = GridOp::Trim},
    {.name = "move", .signature = "grid: Grid, obj: Object, offset: IntegerTuple -> Grid", .fn = body<dsl::move>,
     .description = "erase an object from a grid and redraw it shifted by an offset"},
    {.name = "tophalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::tophalf>,
     .description = "the upper half of a grid's rows (the middle row of an odd height excluded)",
     .device = GridOp::Tophalf},
    {.name = "bottomhalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::bottomhalf>,
     .description = "the lower half of a grid's rows (the middle row of an odd height excluded)",
     .device = GridOp::Bottomhalf},
    {.name = "lefthalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::lefthalf>,
     .description = "the left half of a grid's columns (the middle column of an odd width excluded)",
     .device = GridOp::Lefthalf},
    {.name = "righthalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::righthalf>,
     .description = "the right half of a grid's columns (the middle column of an odd width excluded)",
     .device = GridOp::Righthalf},
    {.name = "vfrontier", .signature = "location: IntegerTuple -> Indices", .fn = body<dsl::vfrontier>,
     .description = "the column through a location, rows 0 to 29"},
    {.name = "hfrontier", .signature = "location: IntegerTuple -> Indices", .fn = body<dsl::hfrontier>,
     .description = "the row through a location, columns 0 to 29"},
    {.name = "backdrop", .signature = "patch: Patch -> Indices", .fn = body<dsl::backdrop>,
     .description = "every location in a patch's bounding box"},
    {.name = "delta", .signature = "patch: Patch -> Indices", .fn = body<dsl::delta>,
     .description = "bounding-box locations that the patch does not cover"},
    {.name = "gravitate", .signature = "source: Patch, destination: Patch -> IntegerTuple",
     .fn = body<dsl::gravitate>,
     .description = "offset that slides the first patch toward the second until they touch (at most 42 steps)"},
    {.name = "inbox", .signature = "patch: Patch -> Indices", .fn = body<dsl::inbox>,
     .description = "outline of the rectangle one step inside a patch's bounding box"},
    {.name = "outbox", .signature = "patch: Patch -> Indices", .fn = body<dsl::outbox>,
     .description = "outline of the rectangle one step outside a patch's bounding box"},
    {.name = "box", .signature = "patch: Patch -> Indices", .fn = body<dsl::box>,
     .description = "outline of a patch's bounding box"},
    {.name = "shoot", .signature = "start: IntegerTuple, direction: IntegerTuple -> Indices",
     .fn = body<dsl::shoot>, .description = "the segment from a point 42 steps along a direction"},
    {.name = "occurrences", .signature = "grid: Grid, obj: Object -> Indices", .fn = body<dsl::occurrences>,
     .description = "upper-left offsets at which an object's normalised copy matches the grid exactly"},
    {.name = "frontiers", .signature = "grid: Grid -> Objects", .fn = body<dsl::frontiers>,
     .description = "the single-coloured full rows and columns of a grid, as objects"},
    {.name = "compress", .signature = "grid: Grid -> Grid", .fn = body<dsl::compress>,
     .description = "remove every single-coloured full row and column from a grid"},
    {.name = "hperiod", .signature = "obj: Object -> Integer", .fn = body<dsl::hperiod>,
     .description = "smallest horizontal shift under which an object repeats itself"},
    {.name = "vperiod", .signature = "obj: Object -> Integer", .fn = body<dsl::vperiod>,
     .description = "smallest vertical shift under which an object repeats itself"},
};

}  // namespace

std::span<const PrimitiveDef> arc_grids_family() { return kGrids; }

}  // namespace megabatch::cpu
