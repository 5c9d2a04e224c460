// tokpidjin primitives: grids family (mir_rot_t .. vupscale): mirrors and rotations (_t of grids,
// _f/_i/_o of patches), painting, scaling, cutting, and patch geometry. See basics.cpp for how the
// bodies follow dsl.py.
#include <algorithm>
#include <cmath>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/tok/py.hpp"

namespace megabatch::cpu {
namespace {

using namespace tok;

const Value kZero = Value::integer(0), kOne = Value::integer(1);
Value I(std::int64_t v) { return Value::integer(v); }

// ---- mirrors ----------------------------------------------------------------------------------

Value hmirror_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return dsl::hmirror(grid);
  return slice(grid, std::nullopt, std::nullopt, -1);
}
Value vmirror_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return dsl::vmirror(grid);
  std::vector<Value> rows;
  for (const Value& r : items(grid)) rows.push_back(slice(r, std::nullopt, std::nullopt, -1));
  return tuple(std::move(rows));
}
// tuple(zip(*rows)) of the given rows.
Value transposed(const std::vector<Value>& rows) {
  std::vector<Value> out;
  for (auto& column : zip_rows(rows)) out.push_back(tuple(std::move(column)));
  return tuple(std::move(out));
}
Value dmirror_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return dsl::dmirror(grid);
  return transposed(items(grid));
}
Value cmirror_t(const Value& grid) {
  if (grid.kind() == Kind::Grid) return dsl::cmirror(grid);
  std::vector<Value> rows;
  for (const Value& r : items(slice(grid, std::nullopt, std::nullopt, -1)))
    rows.push_back(slice(r, std::nullopt, std::nullopt, -1));
  return transposed(rows);
}

// A patch's members mapped by `f` (a triple's i and j for cells, else the pair), as a frozenset.
enum class Member { ByFirst, Pairs, Triples };
template <class F>
Value mirrored(const Value& patch, Member member, F&& f) {
  bool cells = member == Member::Triples;
  if (member == Member::ByFirst) cells = len(first_of(patch)) == 3;
  std::vector<Value> out;
  for (const Value& m : items(patch)) {
    if (cells) {
      auto c = unpack3(m);
      auto [i, j] = f(c[0], c[1]);
      out.push_back(make_tuple({std::move(i), std::move(j), std::move(c[2])}));
    } else {
      auto [a, b] = unpack2(m);
      auto [i, j] = f(a, b);
      out.push_back(make_tuple2(std::move(i), std::move(j)));
    }
  }
  return frozenset(std::move(out));
}

// ulcorner(p)[axis] + lrcorner(p)[axis]: the sum a mirror subtracts from.
Value mirror_sum(const Value& patch, int axis) {
  Value lo = at(call<"ulcorner">(patch), axis);
  return py_add(lo, at(call<"lrcorner">(patch), axis));
}

Value hmirror_patch(const Value& patch, Member member) {
  const Value d = mirror_sum(patch, 0);
  return mirrored(patch, member, [&](const Value& i, const Value& j) { return std::pair{py_sub(d, i), j}; });
}
Value hmirror_f(const Value& p) { return hmirror_patch(p, Member::ByFirst); }
Value hmirror_i(const Value& p) { return hmirror_patch(p, Member::Pairs); }
Value hmirror_o(const Value& p) { return hmirror_patch(p, Member::Triples); }

Value vmirror_patch(const Value& patch, Member member) {
  const Value d = mirror_sum(patch, 1);
  return mirrored(patch, member, [&](const Value& i, const Value& j) { return std::pair{i, py_sub(d, j)}; });
}
Value vmirror_f(const Value& p) {
  if (is_empty_set(p)) return p;
  return vmirror_patch(p, Member::ByFirst);
}
Value vmirror_i(const Value& p) { return vmirror_patch(p, Member::Pairs); }
Value vmirror_o(const Value& p) { return vmirror_patch(p, Member::Triples); }

Value dmirror_patch(const Value& patch, Member member) {
  auto [a, b] = unpack2(call<"ulcorner">(patch));
  return mirrored(patch, member, [&a = a, &b = b](const Value& i, const Value& j) {
    Value x = py_add(py_sub(j, b), a);
    return std::pair{std::move(x), py_add(py_sub(i, a), b)};
  });
}
Value dmirror_f(const Value& p) { return dmirror_patch(p, Member::ByFirst); }
Value dmirror_i(const Value& p) { return dmirror_patch(p, Member::Pairs); }
Value dmirror_o(const Value& p) { return dmirror_patch(p, Member::Triples); }

Value cmirror_f(const Value& p) { return call<"vmirror_f">(call<"dmirror_f">(call<"vmirror_f">(p))); }

Value mir_rot_t(const Value& grid, const Value& type) {
  if (eq(type, I(0))) return call<"hmirror_t">(grid);
  if (eq(type, I(1))) return call<"dmirror_t">(grid);
  if (eq(type, I(2))) return call<"vmirror_t">(grid);
  if (eq(type, I(3))) return call<"cmirror_t">(grid);
  if (eq(type, I(4))) return call<"rot90">(grid);
  if (eq(type, I(5))) return call<"rot180">(grid);
  if (eq(type, I(6))) return call<"rot270">(grid);
  return grid;
}

Value mir_rot_f(const Value& patch, const Value& type) {
  if (eq(type, I(0))) return call<"hmirror_f">(patch);
  if (eq(type, I(1))) return call<"dmirror_f">(patch);
  if (eq(type, I(2))) return call<"vmirror_f">(patch);
  if (eq(type, I(3))) return call<"cmirror_f">(patch);
  return patch;
}

// ---- painting ---------------------------------------------------------------------------------

// Rows of a grid as lists (dsl.py's [list(row) for row in grid]), written cell by cell.
struct Rows {
  std::vector<std::vector<Value>> rows;
  explicit Rows(const Value& grid) {
    for (const Value& r : items(grid)) rows.push_back(items(r));
  }
  Value& cell(const Value& i, const Value& j) {
    const std::int64_t a = as_int(i), b = as_int(j);
    if (a < 0 || static_cast<std::size_t>(a) >= rows.size()) raise("list index out of range");
    auto& row = rows[static_cast<std::size_t>(a)];
    if (b < 0 || static_cast<std::size_t>(b) >= row.size()) raise("list assignment index out of range");
    return row[static_cast<std::size_t>(b)];
  }
  Value to_tuple() {
    std::vector<Value> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(tuple(std::move(r)));
    return tuple(std::move(out));
  }
};

bool inside(const Value& i, const Value& j, const Value& h, const Value& w) {
  return le(kZero, i) && lt(i, h) && le(kZero, j) && lt(j, w);
}

std::optional<Color> colour_cell(const Value& v) {
  if (v.is_int() && fits_int32(v.int_unchecked())) return static_cast<Color>(v.int_unchecked());
  return std::nullopt;
}

// fill and underfill: `colour` at the patch's in-grid (i, j), all of them or those showing the
// grid's most common value.
Value fill_cells(const Value& grid, const Value& colour, const Value& patch, bool under) {
  const Value h = I(static_cast<std::int64_t>(len(grid))), w = I(static_cast<std::int64_t>(len0(grid)));
  const Value bg = under ? call<"mostcolor_t">(grid) : Value();
  const Value indices = call<"toindices">(patch);
  const auto c = colour_cell(colour);
  if (grid.kind() == Kind::Grid && c && (indices.kind() == Kind::Indices || (indices.kind() == Kind::Set && indices.size() == 0)) &&
      (!under || bg.is_int())) {
    Grid g = grid.grid();
    if (indices.kind() == Kind::Indices)
      for (const Point& p : indices.points())
        if (p.i >= 0 && p.i < g.h && p.j >= 0 && p.j < g.w && (!under || g.at(p.i, p.j) == bg.int_unchecked()))
          g.at(p.i, p.j) = *c;
    return make_grid(std::move(g));
  }
  Rows rows(grid);
  for (const Value& m : items(indices)) {
    auto [i, j] = unpack2(m);
    if (!inside(i, j, h, w)) continue;
    Value& at_cell = rows.cell(i, j);
    if (under && !eq(at_cell, bg)) continue;
    at_cell = colour;
  }
  return rows.to_tuple();
}
Value fill(const Value& g, const Value& c, const Value& p) { return fill_cells(g, c, p, false); }
Value underfill(const Value& g, const Value& c, const Value& p) { return fill_cells(g, c, p, true); }

// The packed case of paint_cells: a dense grid and cells whose (i, j, c) are plain ints; nullopt
// when some cell is anything else (the caller then takes dsl.py's general path).
std::optional<Value> paint_packed(const Grid& grid, const Value& obj, std::optional<Color> bg) {
  Grid g = grid;
  const auto put = [&](std::int64_t i, std::int64_t j, Color c) {
    if (i >= 0 && i < g.h && j >= 0 && j < g.w && (!bg || g.at(static_cast<int>(i), static_cast<int>(j)) == *bg))
      g.at(static_cast<int>(i), static_cast<int>(j)) = c;
  };
  if (obj.kind() == Kind::TripleSet) {
    for (const TripleV& t : obj.triples()) put(t.i, t.j, t.c);
    return make_grid(std::move(g));
  }
  for (const Value& m : elements(obj)) {
    const auto cell = unpack3(m);  // raises as `for i, j, c in obj` does
    const auto c = colour_cell(cell[2]);
    if (!cell[0].is_int() || !cell[1].is_int() || !c || cell[2].is_bool()) return std::nullopt;
    put(cell[0].int_unchecked(), cell[1].int_unchecked(), *c);
  }
  return make_grid(std::move(g));
}

Value paint_cells(const Value& grid, const Value& obj, bool under) {
  if (!grid.is_tuple() || grid.size() == 0) return safe_raise();  // grid[0] raises
  const Value h = I(static_cast<std::int64_t>(len(grid))), w = I(static_cast<std::int64_t>(len0(grid)));
  const Value bg = under ? call<"mostcolor_t">(grid) : Value();
  if (grid.kind() == Kind::Grid && (!under || bg.is_int())) {
    // A grid's first row (w ints) unpacks into i, j, c only when w is 3.
    if (obj.kind() == Kind::Grid && obj.grid().w != 3) return safe_raise();
    if (obj.is_container()) {
      const std::optional<Color> b = under ? std::optional<Color>(colour_cell(bg)) : std::nullopt;
      if (!under || b)
        if (auto painted = paint_packed(grid.grid(), obj, b)) return *painted;
    }
  }
  Rows rows(grid);
  for (const Value& m : items(obj)) {
    auto cell = unpack3(m);
    if (!inside(cell[0], cell[1], h, w)) continue;
    Value& at_cell = rows.cell(cell[0], cell[1]);
    if (under && !eq(at_cell, bg)) continue;
    at_cell = cell[2];
  }
  return rows.to_tuple();
}
Value paint(const Value& g, const Value& o) { return paint_cells(g, o, false); }
Value underpaint(const Value& g, const Value& o) { return paint_cells(g, o, true); }

Value cover(const Value& grid, const Value& patch) {
  Value bg = call<"mostcolor_t">(grid);
  return call<"fill">(grid, bg, call<"toindices">(patch));
}

Value move(const Value& grid, const Value& obj, const Value& offset) {
  Value covered = call<"cover">(grid, obj);
  return call<"paint">(covered, call<"shift">(obj, offset));
}

// Each value of cell (i, j) kept where the second grid's index() agrees, `fallback` elsewhere.
Value cellwise(const Value& a, const Value& b, const Value& fallback) {
  const std::int64_t h = static_cast<std::int64_t>(len(a)), w = static_cast<std::int64_t>(len0(a));
  if (a.kind() == Kind::Grid && b.kind() == Kind::Grid && colour_cell(fallback)) {
    // index(b, (i, j)) is b's value inside b and -inf (equal to no cell) outside it.
    const Grid &x = a.grid(), &y = b.grid();
    Grid out = x;
    for (int i = 0; i < x.h; ++i)
      for (int j = 0; j < x.w; ++j)
        if (!(i < y.h && j < y.w && x.at(i, j) == y.at(i, j))) out.at(i, j) = *colour_cell(fallback);
    return make_grid(std::move(out));
  }
  std::vector<Value> rows;
  for (std::int64_t i = 0; i < h; ++i) {
    std::vector<Value> row;
    for (std::int64_t j = 0; j < w; ++j) {
      Value value = at(at(a, i), j);
      row.push_back(eq(value, call<"index">(b, make_tuple2(I(i), I(j)))) ? std::move(value) : fallback);
    }
    rows.push_back(tuple(std::move(row)));
  }
  return tuple(std::move(rows));
}

Value switch_(const Value& grid, const Value& a, const Value& b) {
  if (grid.kind() == Kind::Grid && colour_cell(a) && colour_cell(b)) {
    Grid g = grid.grid();
    const Color x = *colour_cell(a), y = *colour_cell(b);
    for (Color& c : g.cells) c = c == x ? y : (c == y ? x : c);  // a == b leaves a as a
    return make_grid(std::move(g));
  }
  std::vector<Value> rows;
  for (const Value& r : items(grid)) {
    std::vector<Value> row;
    for (Value& v : items(r)) {
      if (eq(v, a)) v = eq(a, b) ? a : b;  // {a: b, b: a}[v], with one key when a == b
      else if (eq(v, b)) v = a;
      row.push_back(std::move(v));
    }
    rows.push_back(tuple(std::move(row)));
  }
  return tuple(std::move(rows));
}

Value index(const Value& grid, const Value& loc) {
  if (is_empty_tuple(loc)) return neg_inf();
  if (grid.kind() == Kind::Grid && loc.kind() == Kind::Pair) {
    const Grid& g = grid.grid();
    const Point p = loc.point();
    return p.i >= 0 && p.i < g.h && p.j >= 0 && p.j < g.w ? Value::integer(g.at(p.i, p.j)) : neg_inf();
  }
  if (!unpacks_into(loc, 2) || !grid.is_tuple() || grid.size() == 0) return safe_raise();  // i, j = loc; grid[0]
  auto [i, j] = unpack2(loc);
  const Value h = I(static_cast<std::int64_t>(len(grid))), w = I(static_cast<std::int64_t>(len0(grid)));
  if (!(le(kZero, i) && lt(i, h)) || !(le(kZero, j) && lt(j, w))) return neg_inf();
  return at(at(grid, at(loc, 0)), at(loc, 1));
}

// ---- building grids ---------------------------------------------------------------------------

Value canvas(const Value& colour, const Value& dimensions) {
  const std::int64_t h = as_int(at(dimensions, 0));
  if (h <= 0) return empty_tuple();  // the inner range is never built
  const std::int64_t w = as_int(at(dimensions, 1));
  if (const auto c = colour_cell(colour); c && w > 0) {
    charge_cells(std::min<std::int64_t>(h * std::max<std::int64_t>(w, 1), std::int64_t{1} << 40));
    if (h > (1 << 20) || w > (1 << 20)) raise("MemoryError");
    return make_grid(Grid(static_cast<int>(h), static_cast<int>(w), *c));
  }
  charge_cells(std::min<std::int64_t>(h * std::max<std::int64_t>(w, 1), std::int64_t{1} << 40));
  Value row = tuple(std::vector<Value>(static_cast<std::size_t>(std::max<std::int64_t>(w, 0)), colour));
  return tuple(std::vector<Value>(static_cast<std::size_t>(h), row));
}

// `n` copies of `v` appended (a range(factor) dsl.py makes only when it gets there), charged first.
void repeat_into(std::vector<Value>& out, const Value& v, const Value& factor) {
  const std::int64_t n = as_int(factor);
  if (n <= 0) return;
  charge_cells(std::min<std::int64_t>(n, std::int64_t{1} << 40));
  out.insert(out.end(), static_cast<std::size_t>(n), v);
}

Value upscale_t(const Value& grid, const Value& factor) {
  if (grid.kind() == Kind::Grid && factor.is_int() && factor.int_unchecked() > 0 && grid.grid().w > 0) {
    const Grid& g = grid.grid();
    const std::int64_t f = factor.int_unchecked();
    charge_cells(std::min<std::int64_t>(static_cast<std::int64_t>(g.cells.size()) * std::min<std::int64_t>(f, 1 << 20) * f,
                                        std::int64_t{1} << 40));
    Grid out(static_cast<int>(g.h * f), static_cast<int>(g.w * f));
    for (int i = 0; i < out.h; ++i)
      for (int j = 0; j < out.w; ++j) out.at(i, j) = g.at(static_cast<int>(i / f), static_cast<int>(j / f));
    return make_grid(std::move(out));
  }
  std::vector<Value> rows;
  for (const Value& row : items(grid)) {
    std::vector<Value> up;
    for (const Value& v : items(row)) repeat_into(up, v, factor);
    repeat_into(rows, tuple(std::move(up)), factor);
  }
  return tuple(std::move(rows));
}

Value hupscale(const Value& grid, const Value& factor) {
  std::vector<Value> rows;
  for (const Value& row : items(grid)) {
    std::vector<Value> up;
    for (const Value& v : items(row)) repeat_into(up, v, factor);
    rows.push_back(tuple(std::move(up)));
  }
  return tuple(std::move(rows));
}

Value vupscale(const Value& grid, const Value& factor) {
  std::vector<Value> rows;
  for (const Value& row : items(grid)) repeat_into(rows, row, factor);
  return tuple(std::move(rows));
}

Value upscale_f(const Value& obj, const Value& factor) {
  if (len(obj) == 0) return empty_set();
  auto [di_inv, dj_inv] = unpack2(call<"ulcorner">(obj));
  const Value normed = call<"shift">(obj, make_tuple2(py_neg(di_inv), py_neg(dj_inv)));
  std::vector<Value> cells;
  const std::vector<std::int64_t> steps = range(0, as_int(factor));
  // dsl.py builds every scaled cell before the frozenset holding them, whose charge exceeds the cell
  // budget when there are more than it has left (a factor of 1000 makes a million cells of each
  // cell: built first, 400 tasks of one such candidate took 13 GB). Cells of ints cannot fail, so
  // their count is known before any is built; other members are counted a row at a time.
  const auto sides = static_cast<double>(steps.size());
  if (normed.kind() == Kind::TripleSet) precheck_cells(static_cast<double>(normed.size()) * sides * sides);
  for (const Value& m : items(normed)) {
    auto c = unpack3(m);
    for (std::int64_t io : steps) {
      for (std::int64_t jo : steps)
        cells.push_back(make_tuple({py_add(py_mul(c[0], factor), I(io)), py_add(py_mul(c[1], factor), I(jo)), c[2]}));
      precheck_cells(static_cast<double>(cells.size()));
    }
  }
  return call<"shift">(frozenset(std::move(cells)), make_tuple2(di_inv, dj_inv));
}

Value downscale(const Value& grid, const Value& factor) {
  const std::int64_t h = static_cast<std::int64_t>(len(grid)), w = static_cast<std::int64_t>(len0(grid));
  if (grid.kind() == Kind::Grid && factor.is_int() && factor.int_unchecked() != 0 && w > 0) {
    // Python's j % factor == 0 keeps the multiples of factor, whatever its sign.
    const std::int64_t f = factor.int_unchecked() < 0 ? -factor.int_unchecked() : factor.int_unchecked();
    const Grid& g = grid.grid();
    Grid out(static_cast<int>((h + f - 1) / f), static_cast<int>((w + f - 1) / f));
    for (int i = 0; i < out.h; ++i)
      for (int j = 0; j < out.w; ++j) out.at(i, j) = g.at(static_cast<int>(i * f), static_cast<int>(j * f));
    return make_grid(std::move(out));
  }
  std::vector<Value> kept_rows;
  for (std::int64_t i = 0; i < h; ++i) {
    std::vector<Value> r;
    for (std::int64_t j = 0; j < w; ++j)
      if (eq(py_mod(I(j), factor), kZero)) r.push_back(at(at(grid, i), j));
    kept_rows.push_back(tuple(std::move(r)));
  }
  std::vector<Value> out;
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(kept_rows.size()); ++i)
    if (eq(py_mod(I(i), factor), kZero)) out.push_back(kept_rows[static_cast<std::size_t>(i)]);
  return tuple(std::move(out));
}

// ---- cutting ----------------------------------------------------------------------------------

Value subgrid(const Value& patch, const Value& grid) {
  if (is_empty_set(patch) || is_empty_tuple(patch)) return empty_tuple();
  Value start = call<"ulcorner">(patch);
  return call<"crop">(grid, start, call<"shape_f">(patch));
}

// hsplit / vsplit: n crops of equal size along one axis, a leftover line skipped between them.
Value split(const Value& grid, const Value& n, bool columns) {
  const Value rows = I(static_cast<std::int64_t>(len(grid))), cols = I(static_cast<std::int64_t>(len0(grid)));
  const Value along = columns ? cols : rows;
  const Value size = py_floordiv(along, n);
  const Value offset = Value::boolean(ne(py_mod(along, n), kZero));
  std::vector<Value> parts;
  for (std::int64_t i : range(0, as_int(n))) {
    const Value at_i = py_add(py_mul(size, I(i)), py_mul(I(i), offset));
    Value start = columns ? make_tuple2(kZero, at_i) : make_tuple2(at_i, kZero);
    Value dims = columns ? make_tuple2(rows, size) : make_tuple2(size, cols);
    parts.push_back(call<"crop">(grid, start, dims));
  }
  return tuple(std::move(parts));
}
Value hsplit(const Value& grid, const Value& n) { return split(grid, n, true); }
Value vsplit(const Value& grid, const Value& n) { return split(grid, n, false); }

Value lefthalf(const Value& grid) { return call<"rot270">(call<"tophalf">(call<"rot90">(grid))); }
Value righthalf(const Value& grid) { return call<"rot270">(call<"bottomhalf">(call<"rot90">(grid))); }

// The indices of rows (or columns, through dmirror_t) holding a single value.
std::vector<std::int64_t> uniform_lines(const Value& grid) {
  std::vector<std::int64_t> out;
  std::int64_t k = 0;
  for (const Value& r : items(grid)) {
    if (distinct(items(r)).size() == 1) out.push_back(k);
    ++k;
  }
  return out;
}

Value frontiers(const Value& grid) {
  const std::int64_t h = static_cast<std::int64_t>(len(grid)), w = static_cast<std::int64_t>(len0(grid));
  const std::vector<std::int64_t> rows = uniform_lines(grid);
  const std::vector<std::int64_t> cols = uniform_lines(call<"dmirror_t">(grid));
  std::vector<Value> lines;
  for (std::int64_t i : rows) {
    std::vector<Value> cells;
    for (std::int64_t j = 0; j < w; ++j) cells.push_back(make_tuple({I(i), I(j), at(at(grid, i), j)}));
    lines.push_back(frozenset(std::move(cells)));
  }
  Value hf = frozenset(std::move(lines));
  lines.clear();
  for (std::int64_t j : cols) {
    std::vector<Value> cells;
    for (std::int64_t i = 0; i < h; ++i) cells.push_back(make_tuple({I(i), I(j), at(at(grid, i), j)}));
    lines.push_back(frozenset(std::move(cells)));
  }
  return bit_or(hf, frozenset(std::move(lines)));
}

Value compress(const Value& grid) {
  const std::vector<std::int64_t> rows = uniform_lines(grid);
  const std::vector<std::int64_t> cols = uniform_lines(call<"dmirror_t">(grid));
  std::vector<Value> out;
  std::int64_t i = 0;
  for (const Value& r : items(grid)) {
    if (!std::binary_search(rows.begin(), rows.end(), i++)) {
      std::vector<Value> row;
      std::int64_t j = 0;
      for (Value& v : items(r))
        if (!std::binary_search(cols.begin(), cols.end(), j++)) row.push_back(std::move(v));
      out.push_back(tuple(std::move(row)));
    }
  }
  return tuple(std::move(out));
}

// ---- patch geometry ---------------------------------------------------------------------------

Value center(const Value& patch) {
  if (patch.kind() == Kind::Indices || patch.kind() == Kind::TripleSet) {
    // uppermost, leftmost, height_f and width_f of a packed patch, read at once.
    std::int32_t lo_i = INT32_MAX, hi_i = INT32_MIN, lo_j = INT32_MAX, hi_j = INT32_MIN;
    const auto see = [&](std::int32_t i, std::int32_t j) {
      lo_i = std::min(lo_i, i), hi_i = std::max(hi_i, i), lo_j = std::min(lo_j, j), hi_j = std::max(hi_j, j);
    };
    if (patch.kind() == Kind::Indices)
      for (const Point& p : patch.points()) see(p.i, p.j);
    else
      for (const TripleV& t : patch.triples()) see(t.i, t.j);
    const auto half = [](std::int64_t extent) { return extent >= 0 ? extent / 2 : -((1 - extent) / 2); };  // floor
    return Value::pair(lo_i + half(std::int64_t{hi_i} - lo_i + 1), lo_j + half(std::int64_t{hi_j} - lo_j + 1));
  }
  const Value up = call<"uppermost">(patch);
  if (up.is_float() && std::isnan(up.float_unchecked())) return empty_tuple();  // `is math.nan`
  const Value left = call<"leftmost">(patch);
  if (left.is_float() && std::isnan(left.float_unchecked())) return empty_tuple();
  Value i = py_add(call<"uppermost">(patch), py_floordiv(call<"height_f">(patch), I(2)));
  return make_tuple2(std::move(i), py_add(call<"leftmost">(patch), py_floordiv(call<"width_f">(patch), I(2))));
}

Value position(const Value& a, const Value& b) {
  const Value ca = call<"center">(call<"toindices">(a));
  if (!unpacks_into(ca, 2)) return safe_raise();  // center of nothing is ()
  auto [ia, ja] = unpack2(ca);
  const Value cb = call<"center">(call<"toindices">(b));
  if (!unpacks_into(cb, 2)) return safe_raise();
  auto [ib, jb] = unpack2(cb);
  const auto sign_j = [&ja = ja, &jb = jb] { return lt(ja, jb) ? kOne : I(-1); };
  if (eq(ia, ib)) return make_tuple2(kZero, sign_j());
  if (eq(ja, jb)) return make_tuple2(lt(ia, ib) ? kOne : I(-1), kZero);
  if (lt(ia, ib)) return make_tuple2(kOne, sign_j());
  if (gt(ia, ib)) return make_tuple2(I(-1), sign_j());
  return Value::none();
}

Value corners(const Value& patch) {
  Value ul = call<"ulcorner">(patch), ur = call<"urcorner">(patch);
  Value ll = call<"llcorner">(patch), lr = call<"lrcorner">(patch);
  return frozenset({std::move(ul), std::move(ur), std::move(ll), std::move(lr)});
}

// connect of two int locations, packed: the same points, and the same charges for its range()s.
Value connect_points(Point a, Point b) {
  const std::int64_t si = std::min(a.i, b.i), ei = std::int64_t{std::max(a.i, b.i)} + 1;
  const std::int64_t sj = std::min(a.j, b.j), ej = std::int64_t{std::max(a.j, b.j)} + 1;
  const auto charge_range = [](std::int64_t n) { charge_cells(std::min<std::int64_t>(n, std::int64_t{1} << 40)); };
  std::vector<Point> pts;
  if (a.i == b.i) {
    charge_range(ej - sj);
    for (std::int64_t j = sj; j < ej; ++j) pts.push_back({a.i, static_cast<std::int32_t>(j)});
  } else if (a.j == b.j) {
    charge_range(ei - si);
    for (std::int64_t i = si; i < ei; ++i) pts.push_back({static_cast<std::int32_t>(i), a.j});
  } else if (std::int64_t{b.i} - a.i == std::int64_t{b.j} - a.j || std::int64_t{b.i} - a.i == std::int64_t{a.j} - b.j) {
    const bool rising = std::int64_t{b.i} - a.i != std::int64_t{b.j} - a.j;  // j falls as i grows
    charge_range(ei - si), charge_range(ej - sj);
    for (std::int64_t k = 0; k < std::min(ei - si, ej - sj); ++k)
      pts.push_back({static_cast<std::int32_t>(si + k), static_cast<std::int32_t>(rising ? ej - 1 - k : sj + k)});
  }
  return pts.empty() ? empty_set() : make_indices(std::move(pts));
}

Value connect(const Value& a, const Value& b) {
  if (a.kind() == Kind::Pair && b.kind() == Kind::Pair) return connect_points(a.point(), b.point());
  if (is_empty_tuple(a) || is_empty_tuple(b)) return empty_set();
  auto [ai, aj] = unpack2(a);
  auto [bi, bj] = unpack2(b);
  const auto min2 = [](const Value& x, const Value& y) { return lt(y, x) ? y : x; };
  const auto max2 = [](const Value& x, const Value& y) { return gt(y, x) ? y : x; };
  const Value si = min2(ai, bi), ei = py_add(max2(ai, bi), kOne);
  const Value sj = min2(aj, bj), ej = py_add(max2(aj, bj), kOne);
  std::vector<Value> pts;
  if (eq(ai, bi)) {
    for (std::int64_t j : range(as_int(sj), as_int(ej))) pts.push_back(make_tuple2(ai, I(j)));
  } else if (eq(aj, bj)) {
    for (std::int64_t i : range(as_int(si), as_int(ei))) pts.push_back(make_tuple2(I(i), aj));
  } else if (eq(py_sub(bi, ai), py_sub(bj, aj))) {
    const auto is = range(as_int(si), as_int(ei)), js = range(as_int(sj), as_int(ej));
    for (std::size_t k = 0; k < std::min(is.size(), js.size()); ++k) pts.push_back(make_tuple2(I(is[k]), I(js[k])));
  } else if (eq(py_sub(bi, ai), py_sub(aj, bj))) {
    const auto is = range(as_int(si), as_int(ei)), js = range(as_int(ej) - 1, as_int(sj) - 1, -1);
    for (std::size_t k = 0; k < std::min(is.size(), js.size()); ++k) pts.push_back(make_tuple2(I(is[k]), I(js[k])));
  }
  return frozenset(std::move(pts));
}

Value hfrontier(const Value& location) {
  if (is_empty_tuple(location)) return empty_set();
  const Value i = at(location, 0);
  std::vector<Value> pts;
  for (std::int64_t j = 0; j < 30; ++j) pts.push_back(make_tuple2(i, I(j)));
  return frozenset(std::move(pts));
}

Value backdrop(const Value& patch) {
  if (!has_len(patch) || patch.size() == 0) return empty_set();
  const Value ul = call<"ulcorner">(patch);
  if (!unpacks_into(ul, 2)) return safe_raise();  // the corners of what is not a patch are ()
  auto [si, sj] = unpack2(ul);
  const Value lr = call<"lrcorner">(patch);
  if (!unpacks_into(lr, 2)) return safe_raise();
  auto [ei, ej] = unpack2(lr);
  std::vector<Value> pts;
  // The inner range is made once the outer one has a member (a generator's inner loop). The box's
  // cells are charged when the frozenset is made: a box too big for the budget stops before.
  const std::vector<std::int64_t> is = range(as_int(si), as_int(py_add(ei, kOne)));
  if (is.empty()) return frozenset(std::move(pts));
  const std::int64_t j0 = as_int(sj), j1 = as_int(py_add(ej, kOne));
  if (j1 > j0) precheck_cells(static_cast<double>(is.size()) * static_cast<double>(j1 - j0));
  for (std::int64_t i : is)
    for (std::int64_t j : range(j0, j1)) pts.push_back(make_tuple2(I(i), I(j)));
  return frozenset(std::move(pts));
}

Value delta(const Value& patch) {
  if (!has_len(patch) || patch.size() == 0) return empty_set();
  Value box = call<"backdrop">(patch);
  return py_sub(box, call<"toindices">(patch));
}

Value gravitate(const Value& source, const Value& destination) {
  if (!destination.truthy()) return source;
  auto [si, sj] = unpack2(call<"center">(source));
  auto [di, dj] = unpack2(call<"center">(destination));
  Value i = kZero, j = kZero;
  if (call<"vmatching">(source, destination).truthy()) i = lt(si, di) ? kOne : I(-1);
  else j = lt(sj, dj) ? kOne : I(-1);
  Value gi = i, gj = j, current = source;
  // adjacent is asked before the step count, also on the 43rd round.
  for (int c = 0; !call<"adjacent">(current, destination).truthy() && c < 42; ++c) {
    gi = py_add(gi, i);
    gj = py_add(gj, j);
    current = call<"shift">(current, make_tuple2(i, j));
  }
  return make_tuple2(py_sub(gi, i), py_sub(gj, j));
}

// The outline of the rectangle with corners (ai, aj) and (bi, bj), whichever way round.
Value outline(const Value& ai, const Value& aj, const Value& bi, const Value& bj) {
  const auto min2 = [](const Value& x, const Value& y) { return lt(y, x) ? y : x; };
  const auto max2 = [](const Value& x, const Value& y) { return gt(y, x) ? y : x; };
  const Value si = min2(ai, bi), sj = min2(aj, bj), ei = max2(ai, bi), ej = max2(aj, bj);
  std::vector<Value> pts;
  const auto is = range(as_int(si), as_int(py_add(ei, kOne)));
  const auto js = range(as_int(sj), as_int(py_add(ej, kOne)));
  for (std::int64_t i : is) pts.push_back(make_tuple2(I(i), sj)), pts.push_back(make_tuple2(I(i), ej));
  for (std::int64_t j : js) pts.push_back(make_tuple2(si, I(j))), pts.push_back(make_tuple2(ei, I(j)));
  return frozenset(std::move(pts));
}

Value inbox(const Value& patch) {
  if (is_empty_set(patch) || is_empty_tuple(patch)) return empty_set();
  Value ai = py_add(call<"uppermost">(patch), kOne), aj = py_add(call<"leftmost">(patch), kOne);
  Value bi = py_sub(call<"lowermost">(patch), kOne), bj = py_sub(call<"rightmost">(patch), kOne);
  return outline(ai, aj, bi, bj);
}

Value outbox(const Value& patch) {
  if (is_empty_set(patch) || is_empty_tuple(patch)) return empty_set();
  Value ai = py_sub(call<"uppermost">(patch), kOne), aj = py_sub(call<"leftmost">(patch), kOne);
  Value bi = py_add(call<"lowermost">(patch), kOne), bj = py_add(call<"rightmost">(patch), kOne);
  return outline(ai, aj, bi, bj);
}

Value box(const Value& patch) {
  if (is_empty_set(patch) || is_empty_tuple(patch)) return empty_set();
  auto [ai, aj] = unpack2(call<"ulcorner">(patch));
  auto [bi, bj] = unpack2(call<"lrcorner">(patch));
  return outline(ai, aj, bi, bj);
}

Value shoot(const Value& start, const Value& direction) {
  if (is_empty_tuple(start) || is_empty_set(start) || is_empty_tuple(direction) || is_empty_set(direction))
    return empty_set();
  const Value forty_two = I(42);
  Value i = py_add(at(start, 0), py_mul(forty_two, at(direction, 0)));
  Value j = py_add(at(start, 1), py_mul(forty_two, at(direction, 1)));
  return call<"connect">(start, make_tuple2(std::move(i), std::move(j)));
}

Value occurrences(const Value& grid, const Value& obj) {
  const Value normed = call<"normalize">(obj);
  const Value h = I(static_cast<std::int64_t>(len(grid))), w = I(static_cast<std::int64_t>(len0(grid)));
  auto [oh, ow] = unpack2(call<"shape_f">(obj));
  const Value h2 = py_add(py_sub(h, oh), kOne), w2 = py_add(py_sub(w, ow), kOne);
  std::vector<Value> found;
  if (grid.kind() == Kind::Grid && (normed.kind() == Kind::TripleSet || normed.size() == 0) && h2.is_int() &&
      w2.is_int()) {
    // The same test without building each shifted copy: every cell of the normalized object, moved
    // by (i, j), must land inside the grid on its own colour.
    const Grid& g = grid.grid();
    const auto cells = normed.kind() == Kind::TripleSet ? normed.triples() : std::span<const TripleV>();
    std::vector<Point> at;
    for (std::int64_t i = 0; i < h2.int_unchecked(); ++i)
      for (std::int64_t j = 0; j < w2.int_unchecked(); ++j) {
        bool occurs = true;
        for (const TripleV& t : cells) {
          const std::int64_t a = t.i + i, b = t.j + j;
          if (a < 0 || a >= g.h || b < 0 || b >= g.w || g.at(static_cast<int>(a), static_cast<int>(b)) != t.c) {
            occurs = false;
            break;
          }
        }
        if (occurs) at.push_back({static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
      }
    return make_sorted_indices(std::move(at));
  }
  for (std::int64_t i : range(0, as_int(h2)))
    for (std::int64_t j : range(0, as_int(w2))) {
      bool occurs = true;
      for (const Value& m : items(call<"shift">(normed, make_tuple2(I(i), I(j))))) {
        auto c = unpack3(m);
        if (!(le(kZero, c[0]) && lt(c[0], h) && le(kZero, c[1]) && lt(c[1], w) && eq(at(at(grid, c[0]), c[1]), c[2]))) {
          occurs = false;
          break;
        }
      }
      if (occurs) found.push_back(make_tuple2(I(i), I(j)));
    }
  return frozenset(std::move(found));
}

// hperiod / vperiod: the smallest shift p in 1..extent-1 under which the normalized object's
// cells still inside it are a subset of it; the extent when none.
template <bool Horizontal>
Value period(const Value& obj) {
  const Value normalized = call<"normalize">(obj);
  const Value extent = Horizontal ? call<"width_f">(normalized) : call<"height_f">(normalized);
  for (std::int64_t p : range(1, as_int(extent))) {
    const Value offset = Horizontal ? make_tuple2(kZero, I(-p)) : make_tuple2(I(-p), kZero);
    const Value shifted = call<"shift">(normalized, offset);
    if (shifted.kind() == Kind::TripleSet && normalized.kind() == Kind::TripleSet) {
      const auto& have = normalized.triples();  // ascending: a binary search finds a member
      const bool subset = std::all_of(shifted.triples().begin(), shifted.triples().end(), [&](const TripleV& t) {
        return (Horizontal ? t.j : t.i) < 0 || std::binary_search(have.begin(), have.end(), t);
      });
      if (subset) return I(p);
      continue;
    }
    bool subset = true;
    std::vector<Value> pruned;
    for (const Value& m : items(shifted)) {
      auto c = unpack3(m);
      if (ge(Horizontal ? c[1] : c[0], kZero)) pruned.push_back(make_tuple({c[0], c[1], c[2]}));
    }
    for (const Value& m : distinct(std::move(pruned)))
      if (!py_contains(normalized, m)) {
        subset = false;
        break;
      }
    if (subset) return I(p);
  }
  return extent;
}
Value hperiod(const Value& obj) { return period<true>(obj); }
Value vperiod(const Value& obj) { return period<false>(obj); }

using dsl::body;

// Device bodies (`.device`): the 17 primitives whose result equals the device op's wherever out_shape
// takes the shapes, and whose charges are the op's or follow `.device_charge` (upscale_t counts its cells
// twice, downscale copies even by 1); tests/gpu/test_parity.cpp runs every device case through them too.
// mir_rot_t's angle selects one of them (`.device_select`). lefthalf and righthalf are built of three
// calls here, and hupscale and vupscale build tuples row by row: no device body.
// mir_rot_t's device body by angle: the primitive it delegates to (two calls), or the grid itself (one).
constexpr DeviceSelection mir_rot_t_device(std::int64_t angle) {
  constexpr GridOp kByAngle[] = {GridOp::Hmirror, GridOp::Dmirror, GridOp::Vmirror, GridOp::Cmirror,
                                 GridOp::Rot90,   GridOp::Rot180,  GridOp::Rot270};
  if (angle < 0 || angle > 6) return {.identity = true};
  return {.op = kByAngle[angle], .calls = 2};
}

constexpr PrimitiveDef kTokGrids[] = {
    {.name = "mir_rot_t", .signature = "grid: Grid, type: A8 -> Grid", .fn = body<mir_rot_t>,
     .description = "by angle 0-6: hmirror_t, dmirror_t, vmirror_t, cmirror_t, rot90, rot180, rot270; else the grid",
     .device_select = mir_rot_t_device},
    {.name = "mir_rot_f", .signature = "patch: Patch, type: A4 -> Patch", .fn = body<mir_rot_f>,
     .description = "by angle 0-3: hmirror_f, dmirror_f, vmirror_f, cmirror_f; else the patch",
     .palette = PaletteRule::Keeps0},
    {.name = "hmirror_t", .signature = "grid: Grid -> Grid", .fn = body<hmirror_t>, .description = "rows reversed",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Hmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Hmirror},
    {.name = "hmirror_f", .signature = "patch: Patch -> Patch", .fn = body<hmirror_f>,
     .description = "a patch flipped upside down in its bounding box", .palette = PaletteRule::Keeps0},
    {.name = "hmirror_i", .signature = "indices: Indices -> Indices", .fn = body<hmirror_i>,
     .description = "hmirror_f of indices", .palette = PaletteRule::Keeps0},
    {.name = "hmirror_o", .signature = "obj: Object -> Object", .fn = body<hmirror_o>,
     .description = "hmirror_f of an object", .palette = PaletteRule::Keeps0},
    {.name = "vmirror_t", .signature = "grid: Grid -> Grid", .fn = body<vmirror_t>, .description = "each row reversed",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Vmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Vmirror},
    {.name = "vmirror_f", .signature = "patch: Patch -> Patch", .fn = body<vmirror_f>,
     .description = "a patch flipped left to right in its bounding box", .palette = PaletteRule::Keeps0},
    {.name = "vmirror_i", .signature = "indices: Indices -> Indices", .fn = body<vmirror_i>,
     .description = "vmirror_f of indices", .palette = PaletteRule::Keeps0},
    {.name = "vmirror_o", .signature = "obj: Object -> Object", .fn = body<vmirror_o>,
     .description = "vmirror_f of an object", .palette = PaletteRule::Keeps0},
    {.name = "dmirror_t", .signature = "grid: Grid -> Grid", .fn = body<dmirror_t>, .description = "transposed",
     .shape = ShapeRule::TransposedOfFirst, .colour = ColourOp::Dmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Dmirror},
    {.name = "dmirror_f", .signature = "patch: Patch -> Patch", .fn = body<dmirror_f>,
     .description = "a patch transposed about its upper-left corner", .palette = PaletteRule::Keeps0},
    {.name = "dmirror_i", .signature = "indices: Indices -> Indices", .fn = body<dmirror_i>,
     .description = "dmirror_f of indices", .palette = PaletteRule::Keeps0},
    {.name = "dmirror_o", .signature = "obj: Object -> Object", .fn = body<dmirror_o>,
     .description = "dmirror_f of an object", .palette = PaletteRule::Keeps0},
    {.name = "cmirror_t", .signature = "grid: Grid -> Grid", .fn = body<cmirror_t>,
     .description = "transposed across the anti-diagonal", .shape = ShapeRule::TransposedOfFirst,
     .colour = ColourOp::Cmirror, .palette = PaletteRule::Keeps0,
     .device = GridOp::Cmirror},
    {.name = "cmirror_f", .signature = "patch: Patch -> Patch", .fn = body<cmirror_f>,
     .description = "vmirror_f(dmirror_f(vmirror_f(patch)))", .palette = PaletteRule::Keeps0},
    {.name = "cmirror_i", .signature = "indices: Indices -> Indices", .fn = body<cmirror_f>,
     .description = "cmirror_f of indices", .palette = PaletteRule::Keeps0},
    {.name = "cmirror_o", .signature = "obj: Object -> Object", .fn = body<cmirror_f>,
     .description = "cmirror_f of an object", .palette = PaletteRule::Keeps0},
    {.name = "upscale_t", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<upscale_t>,
     .description = "every cell as a factor x factor block", .palette = PaletteRule::Keeps0,
     .device = GridOp::Upscale, .device_charge = DeviceCharge::TwiceOutput},
    {.name = "upscale_f", .signature = "obj: Object, factor: Integer -> Object", .fn = body<upscale_f>,
     .description = "an object scaled about its upper-left corner", .palette = PaletteRule::Keeps0},
    {.name = "downscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<downscale>,
     .description = "every factor-th row and column",
     .device = GridOp::Downscale, .device_charge = DeviceCharge::Output},
    {.name = "hconcat", .signature = "a: Grid, b: Grid -> Grid", .fn = body<dsl::hconcat>,
     .description = "two grids side by side",
     .device = GridOp::Hconcat},
    {.name = "vconcat", .signature = "a: Grid, b: Grid -> Grid", .fn = body<dsl::vconcat>,
     .description = "one grid above another",
     .device = GridOp::Vconcat},
    {.name = "subgrid", .signature = "patch: Patch, grid: Grid -> Grid", .fn = body<subgrid>,
     .description = "the part of a grid under a patch's bounding box"},
    {.name = "hsplit", .signature = "grid: Grid, n: Integer -> Tuple", .fn = body<hsplit>,
     .description = "n pieces side by side"},
    {.name = "vsplit", .signature = "grid: Grid, n: Integer -> Tuple", .fn = body<vsplit>,
     .description = "n pieces stacked"},
    {.name = "cellwise", .signature = "a: Grid, b: Grid, fallback: Integer -> Grid", .fn = body<cellwise>,
     .description = "a's cells where index(b) agrees, the fallback elsewhere", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Cellwise,
     .device = GridOp::Cellwise},
    {.name = "replace", .signature = "grid: Grid, replacee: C_, replacer: C_ -> Grid", .fn = body<dsl::replace>,
     .description = "one value recoloured", .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Replace,
     .device = GridOp::Replace},
    {.name = "switch", .signature = "grid: Grid, a: C_, b: C_ -> Grid", .fn = body<switch_>,
     .description = "two values swapped", .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Switch,
     .device = GridOp::Switch},
    {.name = "center", .signature = "patch: Patch -> IJ", .fn = body<center>,
     .description = "the middle of a patch's bounding box, () when empty"},
    {.name = "position", .signature = "a: Patch, b: Patch -> IJ", .fn = body<position>,
     .description = "unit direction from a's centre toward b's"},
    {.name = "index", .signature = "grid: Grid, loc: IJ -> Integer", .fn = body<index>,
     .description = "the value at a location, -inf outside"},
    {.name = "canvas", .signature = "color: C_, dimensions: IJ -> Grid", .fn = body<canvas>,
     .description = "a grid of one value"},
    {.name = "corners", .signature = "patch: Patch -> Indices", .fn = body<corners>,
     .description = "the four corners of a patch's bounding box"},
    {.name = "connect", .signature = "a: IJ, b: IJ -> Indices", .fn = body<connect>,
     .description = "the straight or diagonal segment between two points"},
    {.name = "cover", .signature = "grid: Grid, patch: Patch -> Grid", .fn = body<cover>,
     .description = "a patch painted in the grid's most common value", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Cover},
    {.name = "trim", .signature = "grid: Grid -> Grid", .fn = body<dsl::trim>, .description = "the border dropped",
     .device = GridOp::Trim},
    {.name = "move", .signature = "grid: Grid, obj: Object, offset: IJ -> Grid", .fn = body<move>,
     .description = "an object covered and painted shifted"},
    {.name = "tophalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::tophalf>, .description = "the upper half",
     .device = GridOp::Tophalf},
    {.name = "bottomhalf", .signature = "grid: Grid -> Grid", .fn = body<dsl::bottomhalf>,
     .description = "the lower half",
     .device = GridOp::Bottomhalf},
    {.name = "lefthalf", .signature = "grid: Grid -> Grid", .fn = body<lefthalf>, .description = "the left half"},
    {.name = "righthalf", .signature = "grid: Grid -> Grid", .fn = body<righthalf>, .description = "the right half"},
    {.name = "vfrontier", .signature = "location: IJ -> Indices", .fn = body<dsl::vfrontier>,
     .description = "the column through a location, rows 0-29"},
    {.name = "hfrontier", .signature = "location: IJ -> Indices", .fn = body<hfrontier>,
     .description = "the row through a location, columns 0-29"},
    {.name = "backdrop", .signature = "patch: Patch -> Indices", .fn = body<backdrop>,
     .description = "every location of a patch's bounding box"},
    {.name = "delta", .signature = "patch: Patch -> Indices", .fn = body<delta>,
     .description = "the bounding box without the patch"},
    {.name = "gravitate", .signature = "source: Patch, destination: Patch -> IJ", .fn = body<gravitate>,
     .description = "the offset sliding the source toward the destination until adjacent (at most 42 steps)"},
    {.name = "inbox", .signature = "patch: Patch -> Indices", .fn = body<inbox>,
     .description = "the outline one step inside the bounding box"},
    {.name = "outbox", .signature = "patch: Patch -> Indices", .fn = body<outbox>,
     .description = "the outline one step outside the bounding box"},
    {.name = "box", .signature = "patch: Patch -> Indices", .fn = body<box>, .description = "the bounding box's outline"},
    {.name = "shoot", .signature = "start: IJ, direction: IJ -> Indices", .fn = body<shoot>,
     .description = "the segment from a point 42 steps along a direction"},
    {.name = "occurrences", .signature = "grid: Grid, obj: Object -> Indices", .fn = body<occurrences>,
     .description = "offsets where the normalized object matches the grid"},
    {.name = "frontiers", .signature = "grid: Grid -> Objects", .fn = body<frontiers>,
     .description = "the single-valued full rows and columns, as objects"},
    {.name = "compress", .signature = "grid: Grid -> Grid", .fn = body<compress>,
     .description = "the single-valued full rows and columns removed"},
    {.name = "hperiod", .signature = "obj: Object -> Integer", .fn = body<hperiod>,
     .description = "the smallest horizontal period of an object"},
    {.name = "vperiod", .signature = "obj: Object -> Integer", .fn = body<vperiod>,
     .description = "the smallest vertical period of an object"},
    {.name = "rot90", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot90>, .description = "a quarter turn clockwise",
     .shape = ShapeRule::TransposedOfFirst, .colour = ColourOp::Rot90, .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot90},
    {.name = "rot180", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot180>, .description = "a half turn",
     .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Rot180, .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot180},
    {.name = "rot270", .signature = "grid: Grid -> Grid", .fn = body<dsl::rot270>,
     .description = "a quarter turn anticlockwise", .shape = ShapeRule::TransposedOfFirst, .colour = ColourOp::Rot270,
     .palette = PaletteRule::Keeps0,
     .device = GridOp::Rot270},
    {.name = "fill", .signature = "grid: Grid, color: C_, patch: Patch -> Grid", .fn = body<fill>,
     .description = "a colour at the patch's in-grid locations", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Fill},
    {.name = "paint", .signature = "grid: Grid, obj: Object -> Grid", .fn = body<paint>,
     .description = "an object's in-grid cells drawn", .shape = ShapeRule::SameAsFirst, .colour = ColourOp::Paint},
    {.name = "underfill", .signature = "grid: Grid, color: C_, patch: Patch -> Grid", .fn = body<underfill>,
     .description = "fill where the grid shows its most common value", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Fill},
    {.name = "underpaint", .signature = "grid: Grid, obj: Object -> Grid", .fn = body<underpaint>,
     .description = "paint where the grid shows its most common value", .shape = ShapeRule::SameAsFirst,
     .colour = ColourOp::Paint},
    {.name = "hupscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<hupscale>,
     .description = "every column factor times"},
    {.name = "vupscale", .signature = "grid: Grid, factor: Integer -> Grid", .fn = body<vupscale>,
     .description = "every row factor times"},
};

}  // namespace

std::span<const PrimitiveDef> tok_grids_family() { return kTokGrids; }

}  // namespace megabatch::cpu
