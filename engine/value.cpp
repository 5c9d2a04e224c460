// Value model: canonical construction, the total canonical order, hashing and Python repr.
#include "engine/value.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include <pthread.h>

namespace megabatch {

namespace {

int rank(Kind k) {
  switch (k) {
    case Kind::None: return 0;
    case Kind::Int: case Kind::Float: return 1;
    case Kind::Pair: case Kind::Cell: case Kind::Triple: case Kind::Tuple: case Kind::Grid: return 2;
    case Kind::Set: case Kind::Indices: case Kind::Object: case Kind::TripleSet: return 3;
    case Kind::Func: return 4;
  }
  return 5;
}

// Numbers by value, as Python compares an int with a float (exactly, not through a rounded
// double); nan sorts above every number and equals itself (one canonical member in a set).
int compare_numbers(const Value& a, const Value& b) {
  if (!a.is_float() && !b.is_float()) return a.int_unchecked() < b.int_unchecked() ? -1 : a.int_unchecked() > b.int_unchecked();
  const double x = a.as_double(), y = b.as_double();
  const bool xn = std::isnan(x), yn = std::isnan(y);
  if (xn || yn) return xn == yn ? 0 : (xn ? 1 : -1);
  if (x != y) return x < y ? -1 : 1;
  // Equal as doubles: an int beyond 2^53 may still differ from the float.
  if (a.is_float() == b.is_float()) return 0;
  const Value& i = a.is_float() ? b : a;
  const double f = a.is_float() ? x : y;
  int c;  // the int against the float, exactly
  if (f >= 9.2233720368547758e18) c = -1;  // 2^63 and above: more than every int64
  else if (f < -9.2233720368547758e18) c = 1;
  else {
    const std::int64_t fi = static_cast<std::int64_t>(f);  // f is integral here (it equals an int as a double)
    c = i.int_unchecked() < fi ? -1 : i.int_unchecked() > fi;
  }
  return a.is_float() ? -c : c;
}

template <class T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::size_t mix(std::size_t h, std::size_t v) {
  // boost-style combine with a 64-bit golden-ratio constant
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

const char* (*primitive_repr_hook)(int) = nullptr;

// Raw Tuple nodes (no canonicalisation: callers have ruled out pairs, cells and grids).
Value tuple_node2(Value a, Value b) {
  auto* n = new TupleNode;
  n->n = 2;
  n->pair[0] = std::move(a);
  n->pair[1] = std::move(b);
  return Value::from_node(Kind::Tuple, n);
}

Value tuple_node(std::vector<Value> items) {
  if (items.size() == 2) return tuple_node2(std::move(items[0]), std::move(items[1]));
  auto* n = new TupleNode;
  n->n = static_cast<std::uint32_t>(items.size());
  n->more = std::move(items);
  return Value::from_node(Kind::Tuple, n);
}

// (a, b) as an inline pair or cell when it is one. Inline values allocate nothing and are not
// charged; beyond int32 the generic (charged) tuple is the canonical form.
std::optional<Value> inline_pair_or_cell(const Value& a, const Value& b) {
  if (a.kind() == Kind::Float || b.kind() == Kind::Float) return std::nullopt;
  if (!a.is_int() || !fits_int32(a.int_unchecked())) return std::nullopt;
  if (b.is_int() && fits_int32(b.int_unchecked())) return Value::pair(a.int_unchecked(), b.int_unchecked());
  if (b.kind() == Kind::Pair) return Value::cell(a.int_unchecked(), b.point().i, b.point().j);
  return std::nullopt;
}

// Length of an int-only tuple (a possible grid row), or -1 if `v` is not one.
long int_row_length(const Value& v) {
  if (v.kind() == Kind::Pair) return 2;
  if (v.kind() == Kind::Triple) return 3;
  if (v.kind() != Kind::Tuple) return -1;
  for (const Value& x : v.items())
    if (!x.is_int() || !fits_int32(x.int_unchecked())) return -1;
  return static_cast<long>(v.items().size());
}

Value row_value(const Grid& g, int i) {
  if (g.w == 2) return Value::pair(g.at(i, 0), g.at(i, 1));
  if (g.w == 3) return Value::triple(g.at(i, 0), g.at(i, 1), g.at(i, 2));
  std::vector<Value> items;
  items.reserve(g.w);
  for (int j = 0; j < g.w; ++j) items.push_back(Value::integer(g.at(i, j)));
  return tuple_node(std::move(items));
}

int compare_grids(const Grid& a, const Grid& b) {
  int rows = std::min(a.h, b.h), cols = std::min(a.w, b.w);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      Color x = a.at(i, j), y = b.at(i, j);
      if (x != y) return x < y ? -1 : 1;
    }
    if (a.w != b.w) return a.w < b.w ? -1 : 1;
  }
  return three_way(a.h, b.h);
}

template <class T>
int compare_spans(std::span<const T> a, std::span<const T> b) {
  auto r = std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int compare_generic_sequence(const Value& a, const Value& b) {
  const DepthGuard depth;
  std::size_t na = a.size(), nb = b.size(), n = std::min(na, nb);
  for (std::size_t k = 0; k < n; ++k)
    if (int c = compare(a.item(k), b.item(k))) return c;
  return three_way(na, nb);
}

}  // namespace

// ---------------------------------------------------------------- builders

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Python's repr: the shortest digits that read back as d, fixed notation for exponents -4..15.
  char buf[64];
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
  std::string text(buf);
  const std::size_t e = text.find('e');
  const int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (std::size_t k = 0; k < e; ++k)
    if (text[k] >= '0' && text[k] <= '9') digits += text[k];
  const std::string sign = std::signbit(d) ? "-" : "";  // -0.0 prints its sign, as Python does
  if (exponent >= -4 && exponent < 16) {
    std::string fixed;
    if (exponent < 0) {
      fixed = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      fixed = digits + std::string(static_cast<std::size_t>(exponent + 1 - static_cast<int>(digits.size())), '0') + ".0";
    } else {
      fixed = digits.substr(0, static_cast<std::size_t>(exponent + 1)) + "." + digits.substr(static_cast<std::size_t>(exponent + 1));
    }
    return sign + fixed;
  }
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) {  // appended in two steps: GCC 12 warns falsely on "." + std::string&&
    mantissa += '.';
    mantissa += digits.substr(1);
  }
  char exp[16];
  std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
  return sign + mantissa + exp;
}

Value Value::wide_pair(std::int64_t i, std::int64_t j) { return tuple_node2(Value::integer(i), Value::integer(j)); }

Value Value::wide_cell(std::int64_t c, std::int64_t i, std::int64_t j) {
  return tuple_node2(Value::integer(c), Value::pair(i, j));
}

Value Value::wide_triple(std::int64_t i, std::int64_t j, std::int64_t c) {
  return tuple_node({Value::integer(i), Value::integer(j), Value::integer(c)});
}

Value make_tuple(std::vector<Value> items) {
  const std::size_t n = items.size();
  if (n == 2)
    if (auto v = inline_pair_or_cell(items[0], items[1])) return *v;
  if (n == 3 && items[0].is_int() && items[1].is_int() && items[2].is_int() && fits_int32(items[0].int_unchecked()) &&
      fits_int32(items[1].int_unchecked()) && fits_int32(items[2].int_unchecked()))
    return Value::triple(items[0].int_unchecked(), items[1].int_unchecked(), items[2].int_unchecked());
  charge_cells(static_cast<std::int64_t>(n));
  if (n >= 1) {
    // Lengths first (cheap), member types only when every row has the same length: a ragged
    // tuple of long rows is then rejected without reading its members.
    const auto row_length = [](const Value& v) -> long {
      return v.kind() == Kind::Pair     ? 2
             : v.kind() == Kind::Triple ? 3
             : v.kind() == Kind::Tuple  ? static_cast<long>(v.items().size())
                                        : -1;
    };
    const long width = row_length(items[0]);
    bool grid = width >= 0;
    for (std::size_t k = 1; grid && k < n; ++k) grid = row_length(items[k]) == width;
    for (std::size_t k = 0; grid && k < n; ++k) grid = int_row_length(items[k]) == width;
    if (grid) {
      Grid g(static_cast<int>(n), static_cast<int>(width));
      for (std::size_t r = 0; r < n; ++r) {
        if (items[r].kind() == Kind::Pair) {
          g.at(r, 0) = items[r].point().i;
          g.at(r, 1) = items[r].point().j;
        } else if (items[r].kind() == Kind::Triple) {
          const TripleV t = items[r].triplev();
          g.at(r, 0) = t.i, g.at(r, 1) = t.j, g.at(r, 2) = t.c;
        } else {
          auto row = items[r].items();
          for (long c = 0; c < width; ++c) g.at(r, c) = static_cast<Color>(row[c].int_unchecked());
        }
      }
      auto* node = new GridNode;
      node->grid = std::move(g);
      return Value::from_node(Kind::Grid, node);
    }
  }
  return tuple_node(std::move(items));
}

Value make_tuple2(Value a, Value b) {
  if (auto v = inline_pair_or_cell(a, b)) return *v;
  // Two packed rows of one width (a pair of tokpidjin cells, of points): the 2-row grid directly,
  // charged as make_tuple charges it.
  if ((a.kind() == Kind::Triple || a.kind() == Kind::Pair) && a.kind() == b.kind()) {
    charge_cells(2);
    const bool triple = a.kind() == Kind::Triple;
    Grid g(2, triple ? 3 : 2);
    if (triple) {
      const TripleV x = a.triplev(), y = b.triplev();
      g.at(0, 0) = x.i, g.at(0, 1) = x.j, g.at(0, 2) = x.c, g.at(1, 0) = y.i, g.at(1, 1) = y.j, g.at(1, 2) = y.c;
    } else {
      const Point x = a.point(), y = b.point();
      g.at(0, 0) = x.i, g.at(0, 1) = x.j, g.at(1, 0) = y.i, g.at(1, 1) = y.j;
    }
    auto* node = new GridNode;
    node->grid = std::move(g);
    return Value::from_node(Kind::Grid, node);
  }
  const long width = int_row_length(a);
  if (width >= 0 && int_row_length(b) == width) return make_tuple({std::move(a), std::move(b)});  // a grid
  charge_cells(2);
  return tuple_node2(std::move(a), std::move(b));
}

Value make_grid(Grid g) {
  if (g.h <= 0) return empty_tuple();
  charge_cells(static_cast<std::int64_t>(g.h) * std::max(g.w, 1));
  auto* node = new GridNode;
  node->grid = std::move(g);
  return Value::from_node(Kind::Grid, node);
}

// The empty tuple and frozenset are immutable and very common (connect of unaligned points, empty
// filters, tokpidjin's safe defaults): one node each for the whole program, handed out uncounted,
// so they cost no allocation and no atomic operation.
Value empty_tuple() {
  static const Node* const node = new TupleNode;
  return Value::immortal(Kind::Tuple, node);
}

Value empty_set() {
  static const Node* const node = new SetNode;
  return Value::immortal(Kind::Set, node);
}

Value make_sorted_indices(std::vector<Point> points) {
  if (points.empty()) return empty_set();
  if (points.size() == 1) return make_single_indices(points[0]);
  charge_cells(static_cast<std::int64_t>(points.size()));
  auto* node = new IndicesNode;
  node->many = std::move(points);
  return Value::from_node(Kind::Indices, node);
}

Value make_sorted_object(std::vector<CellV> cells) {
  if (cells.empty()) return empty_set();
  if (cells.size() == 1) return make_single_object(cells[0]);
  charge_cells(static_cast<std::int64_t>(cells.size()));
  auto* node = new ObjectNode;
  node->many = std::move(cells);
  return Value::from_node(Kind::Object, node);
}

namespace {
template <class NodeT, class Member>
Value single_patch(Kind kind, Member m) {
  charge_cells(1);
  auto* node = new NodeT;
  node->single = true;
  node->one = m;
  return Value::from_node(kind, node);
}
}  // namespace

Value make_single_indices(Point p) { return single_patch<IndicesNode>(Kind::Indices, p); }

TripleSetNode::~TripleSetNode() {
  if (const Node* cached = points_cache.load(std::memory_order_acquire)) (void)Value::from_node(Kind::Indices, cached);
}

Value triple_points(const Value& triples) {
  const auto* node = static_cast<const TripleSetNode*>(triples.node());
  const Node* cached = node->points_cache.load(std::memory_order_acquire);
  if (!cached) {
    // (i, j, c) ascending gives (i, j) ascending, equal ones side by side.
    auto* made = new IndicesNode;
    const auto ts = node->triples();
    if (ts.size() == 1) {
      made->single = true;
      made->one = {ts[0].i, ts[0].j};
    } else {
      made->many.reserve(ts.size());
      for (const TripleV& t : ts)
        if (made->many.empty() || made->many.back() != Point{t.i, t.j}) made->many.push_back({t.i, t.j});
      if (made->many.size() == 1) made->single = true, made->one = made->many[0], made->many.clear();
    }
    const Node* expected = nullptr;
    if (node->points_cache.compare_exchange_strong(expected, made, std::memory_order_acq_rel)) {
      cached = made;
    } else {
      delete made;  // another thread got there first
      cached = expected;
    }
  }
  const auto* indices = static_cast<const IndicesNode*>(cached);
  charge_cells(static_cast<std::int64_t>(indices->points().size()));
  return Value::shared_node(Kind::Indices, cached);
}
Value make_single_object(CellV c) { return single_patch<ObjectNode>(Kind::Object, c); }

Value make_sorted_triples(std::vector<TripleV> triples) {
  if (triples.empty()) return empty_set();
  if (triples.size() == 1) return single_patch<TripleSetNode>(Kind::TripleSet, triples[0]);
  charge_cells(static_cast<std::int64_t>(triples.size()));
  auto* node = new TripleSetNode;
  node->many = std::move(triples);
  return Value::from_node(Kind::TripleSet, node);
}

namespace {

// Key coordinates of a point or a cell, most significant first.
inline std::array<std::int64_t, 3> coords(const Point& p) { return {0, p.i, p.j}; }
inline std::array<std::int64_t, 3> coords(const CellV& c) { return {c.c, c.i, c.j}; }
inline std::array<std::int64_t, 3> coords(const TripleV& t) { return {t.i, t.j, t.c}; }
inline void assign(Point& p, const std::array<std::int64_t, 3>& k) {
  p = {static_cast<std::int32_t>(k[1]), static_cast<std::int32_t>(k[2])};
}
inline void assign(CellV& c, const std::array<std::int64_t, 3>& k) {
  c = {static_cast<std::int32_t>(k[0]), static_cast<std::int32_t>(k[1]), static_cast<std::int32_t>(k[2])};
}
inline void assign(TripleV& t, const std::array<std::int64_t, 3>& k) {
  t = {static_cast<std::int32_t>(k[0]), static_cast<std::int32_t>(k[1]), static_cast<std::int32_t>(k[2])};
}

// Sorts and deduplicates points or cells into canonical order. Unions of shifted copies (mapply,
// occurrences) hand over many duplicates inside a small bounding box: there one bit per box
// position does it in O(n + box) instead of a comparison sort.
template <class T>
void canonicalise(std::vector<T>& v) {
  if (v.size() < 2) return;
  // Where the first strictly ascending runs start (no allocation: most inputs are one run).
  constexpr std::size_t kMaxRuns = 8;
  std::array<std::size_t, kMaxRuns + 1> starts{};
  std::size_t run_count = 1;
  for (std::size_t k = 1; k < v.size(); ++k)
    if (!(v[k - 1] < v[k]) && run_count++ < starts.size()) starts[run_count - 1] = k;
  if (run_count == 1) return;
  if (run_count <= kMaxRuns) {
    // A merge of a few sorted sets (merge, mapply of objects): merge the runs pairwise.
    std::vector<std::size_t> runs(starts.begin(), starts.begin() + static_cast<std::ptrdiff_t>(run_count));
    runs.push_back(v.size());
    while (runs.size() > 2) {
      std::vector<std::size_t> merged{0};
      for (std::size_t r = 0; r + 1 < runs.size(); r += 2) {
        const bool pair = r + 2 < runs.size();
        if (pair)
          std::inplace_merge(v.begin() + static_cast<std::ptrdiff_t>(runs[r]), v.begin() + static_cast<std::ptrdiff_t>(runs[r + 1]),
                             v.begin() + static_cast<std::ptrdiff_t>(runs[r + 2]));
        merged.push_back(runs[pair ? r + 2 : r + 1]);
      }
      runs = std::move(merged);
    }
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return;
  }
  std::array<std::int64_t, 3> lo = coords(v[0]), hi = lo;
  for (const T& x : v) {
    const auto c = coords(x);
    for (int d = 0; d < 3; ++d) lo[d] = std::min(lo[d], c[d]), hi[d] = std::max(hi[d], c[d]);
  }
  const std::int64_t ext1 = hi[1] - lo[1] + 1, ext2 = hi[2] - lo[2] + 1;
  const std::int64_t limit = std::max<std::int64_t>(4096, 128 * static_cast<std::int64_t>(v.size()));
  const std::int64_t ext0 = hi[0] - lo[0] + 1;
  if (ext0 > limit || ext1 > limit || ext2 > limit || ext0 * ext1 > limit || ext0 * ext1 * ext2 > limit) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return;
  }
  std::vector<std::uint64_t> bits(static_cast<std::size_t>((ext0 * ext1 * ext2 + 63) / 64), 0);
  for (const T& x : v) {
    const auto c = coords(x);
    const std::uint64_t at = static_cast<std::uint64_t>(((c[0] - lo[0]) * ext1 + (c[1] - lo[1])) * ext2 + (c[2] - lo[2]));
    bits[at >> 6] |= std::uint64_t{1} << (at & 63);
  }
  // Positions come out ascending: track the row (first two coordinates) incrementally instead of
  // dividing every position back into coordinates (three integer divisions per member).
  std::size_t n = 0;
  std::int64_t row_start = 0, c0 = 0, c1 = 0;
  for (std::size_t w = 0; w < bits.size(); ++w)
    for (std::uint64_t word = bits[w]; word; word &= word - 1) {
      const std::int64_t at = static_cast<std::int64_t>(w * 64 + std::countr_zero(word));
      while (at >= row_start + ext2) {
        row_start += ext2;
        if (++c1 == ext1) c1 = 0, ++c0;
      }
      assign(v[n++], {lo[0] + c0, lo[1] + c1, lo[2] + (at - row_start)});
    }
  v.resize(n);
}

std::uint64_t biased(std::int32_t v) { return static_cast<std::uint32_t>(v) ^ 0x80000000u; }

// Sorts and deduplicates a set of patches (sets of points, of cells or of triples, the empty set
// allowed) by a key made of their first members, comparing member sequences only on ties:
// prapply(connect, ...) and friends build thousands of patches, mostly empty or duplicated, and
// comparing whole member sequences dominated. Returns false, leaving `items` alone, when the
// members are not all of one such kind.
bool sort_sets_of_cells(std::vector<Value>& items) {
  Kind patch = Kind::Set;
  for (const Value& v : items) {
    if (v.kind() == Kind::Set && v.items().empty()) continue;
    if (v.kind() != Kind::Indices && v.kind() != Kind::Object && v.kind() != Kind::TripleSet) return false;
    if (patch != Kind::Set && patch != v.kind()) return false;
    patch = v.kind();
  }
  struct Keyed {
    std::uint64_t a, b;
    std::uint32_t index;
  };
  std::vector<Keyed> keys;
  keys.reserve(items.size());
  bool has_empty = false;
  for (std::uint32_t k = 0; k < items.size(); ++k) {
    const Value& v = items[k];
    if (v.kind() == Kind::Set) {
      has_empty = true;
    } else if (v.kind() == Kind::Indices) {
      auto p = v.points();
      keys.push_back({biased(p[0].i) << 32 | biased(p[0].j), p.size() > 1 ? biased(p[1].i) << 32 | biased(p[1].j) : 0, k});
    } else if (v.kind() == Kind::TripleSet) {
      auto t = v.triples();
      keys.push_back({biased(t[0].i) << 32 | biased(t[0].j), biased(t[0].c) << 32 | (t.size() > 1 ? biased(t[1].i) : 0), k});
    } else {
      auto c = v.cells();
      keys.push_back({biased(c[0].c) << 32 | biased(c[0].i), biased(c[0].j) << 32 | (c.size() > 1 ? biased(c[1].c) : 0), k});
    }
  }
  // Ties compare the member sequences directly (the key already covers the first members).
  auto tie = [&](const Value& p, const Value& q) {
    if (patch == Kind::TripleSet) return compare_spans(p.triples(), q.triples());
    return patch == Kind::Indices ? compare_spans(p.points(), q.points()) : compare_spans(p.cells(), q.cells());
  };
  std::sort(keys.begin(), keys.end(), [&](const Keyed& x, const Keyed& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return tie(items[x.index], items[y.index]) < 0;
  });
  std::vector<Value> sorted;
  sorted.reserve(keys.size() + 1);
  if (has_empty) sorted.push_back(empty_set());  // the empty set precedes every other set
  for (std::size_t k = 0; k < keys.size(); ++k) {
    Value& v = items[keys[k].index];
    const bool same_key = k > 0 && keys[k].a == keys[k - 1].a && keys[k].b == keys[k - 1].b;
    if (!same_key || tie(v, sorted.back()) != 0) sorted.push_back(std::move(v));
  }
  items = std::move(sorted);
  return true;
}

}  // namespace

Value make_indices(std::vector<Point> points) {
  canonicalise(points);
  return make_sorted_indices(std::move(points));
}

Value make_object(std::vector<CellV> cells) {
  canonicalise(cells);
  return make_sorted_object(std::move(cells));
}

Value make_triples(std::vector<TripleV> triples) {
  canonicalise(triples);
  return make_sorted_triples(std::move(triples));
}

namespace {

// A set whose members are all pairs or all cells takes the packed representation; `sorted` says the
// members are already ascending and unique.
std::optional<Value> packed_set(const std::vector<Value>& items, bool sorted) {
  bool all_pairs = true, all_cells = true, all_triples = true;
  for (const Value& v : items) {
    all_pairs = all_pairs && v.kind() == Kind::Pair;
    all_cells = all_cells && v.kind() == Kind::Cell;
    all_triples = all_triples && v.kind() == Kind::Triple;
  }
  if (all_triples) {
    std::vector<TripleV> ts;
    ts.reserve(items.size());
    for (const Value& v : items) ts.push_back(v.triplev());
    return sorted ? make_sorted_triples(std::move(ts)) : make_triples(std::move(ts));
  }
  if (all_pairs) {
    std::vector<Point> pts;
    pts.reserve(items.size());
    for (const Value& v : items) pts.push_back(v.point());
    return sorted ? make_sorted_indices(std::move(pts)) : make_indices(std::move(pts));
  }
  if (all_cells) {
    std::vector<CellV> cs;
    cs.reserve(items.size());
    for (const Value& v : items) cs.push_back(v.cellv());
    return sorted ? make_sorted_object(std::move(cs)) : make_object(std::move(cs));
  }
  return std::nullopt;
}

Value set_node(std::vector<Value> items) {
  auto* node = new SetNode;
  node->items = std::move(items);
  return Value::from_node(Kind::Set, node);
}

}  // namespace

Value make_sorted_set(std::vector<Value> items) {
  if (items.empty()) return empty_set();
  if (auto packed = packed_set(items, true)) return *packed;
  charge_cells(static_cast<std::int64_t>(items.size()));
  return set_node(std::move(items));
}

Value make_set(std::vector<Value> items) {
  if (items.empty()) return empty_set();
  if (auto packed = packed_set(items, false)) return *packed;
  charge_cells(static_cast<std::int64_t>(items.size()));
  // Producers such as filters and objects() usually hand over strictly ascending members already,
  // and merges of sets a few ascending runs: the runs are found with the compares that check order.
  std::vector<std::size_t> runs{0};
  for (std::size_t k = 1; k < items.size(); ++k)
    if (compare(items[k - 1], items[k]) >= 0) runs.push_back(k);
  if (runs.size() > 1 && !sort_sets_of_cells(items)) {
    const auto less = [](const Value& a, const Value& b) { return compare(a, b) < 0; };
    if (runs.size() <= 64) {
      // Merge neighbouring runs pairwise until one is left: n log(runs) compares, not n log n.
      runs.push_back(items.size());
      while (runs.size() > 2) {
        std::vector<std::size_t> merged{0};
        for (std::size_t r = 0; r + 1 < runs.size(); r += 2) {
          const std::size_t end = r + 2 < runs.size() ? runs[r + 2] : runs[r + 1];
          if (r + 2 < runs.size())
            std::inplace_merge(items.begin() + static_cast<std::ptrdiff_t>(runs[r]),
                               items.begin() + static_cast<std::ptrdiff_t>(runs[r + 1]),
                               items.begin() + static_cast<std::ptrdiff_t>(end), less);
          merged.push_back(end);
        }
        runs = std::move(merged);
      }
    } else {
      std::sort(items.begin(), items.end(), less);
    }
    items.erase(std::unique(items.begin(), items.end(), [](const Value& a, const Value& b) { return compare(a, b) == 0; }),
                items.end());
  }
  return set_node(std::move(items));
}

Value make_func(FuncKind kind, int argcount, std::initializer_list<Value> parts, std::int64_t n) {
  if (parts.size() > 3) throw std::logic_error("make_func: at most three parts");
  auto* node = new FuncNode;
  node->kind = kind;
  node->argcount = argcount;
  node->n = static_cast<std::int32_t>(n);  // power checks the exponent first
  for (const Value& v : parts) node->parts[node->nparts++] = v;
  return Value::from_node(Kind::Func, node);
}

// ---------------------------------------------------------------- inspection

void Value::not_an_int() const {
  throw EvalError(std::string("'") + type_name() + "' object cannot be interpreted as an integer");  // range()'s words
}

void no_len(const Value& v) {
  throw EvalError(std::string("object of type '") + v.type_name() + "' has no len()");
}

void not_subscriptable(const Value& v) {
  throw EvalError(std::string("'") + v.type_name() + "' object is not subscriptable");
}

Value grid_row(const Value& grid, std::size_t i) { return row_value(grid.grid(), static_cast<int>(i)); }

const char* closure_maker(FuncKind kind) {
  switch (kind) {
    case FuncKind::Chain: return "chain";
    case FuncKind::Fork: return "fork";
    case FuncKind::Matcher: return "matcher";
    case FuncKind::Lbind: return "lbind";
    case FuncKind::Rbind: return "rbind";
    case FuncKind::SafeCallable: return "_get_safe_default";
    case FuncKind::Primitive: case FuncKind::Compose: case FuncKind::Power: break;
  }
  return "compose";
}

const char* Value::type_name() const {
  switch (kind_) {
    case Kind::Int: return is_bool() ? "bool" : "int";
    case Kind::Float: return "float";
    case Kind::None: return "NoneType";
    case Kind::Pair: case Kind::Cell: case Kind::Triple: case Kind::Tuple: case Kind::Grid: return "tuple";
    case Kind::Set: case Kind::Indices: case Kind::Object: case Kind::TripleSet: return "frozenset";
    case Kind::Func: return "function";
  }
  return "?";
}

// Python's rule: equal values hash alike, whatever their representation here. 3.0 hashes as 3, and
// every tuple-like value (a pair, a cell, a grid, a generic tuple) is one fold over its items, every
// set-like one (indices, objects, cell sets, a generic frozenset) one fold over its members in their
// canonical order, so (0, 0) and (0.0, 0), or a grid and a tuple of equal rows, hash alike.
namespace {
constexpr std::size_t kTupleSeed = 0x7475706c65ULL, kSetSeed = 0x66726f7a656eULL;
std::size_t int_hash(std::int64_t v) { return std::hash<std::int64_t>{}(v); }
std::size_t pair_hash(std::int64_t i, std::int64_t j) { return mix(mix(kTupleSeed, int_hash(i)), int_hash(j)); }
}  // namespace

std::size_t Value::hash() const {
  switch (kind_) {
    case Kind::Int: return int_hash(i_);
    case Kind::None: return 0x4e6f6e65;
    case Kind::Float: {
      // Equal values hash alike: an integral float as its int (Python's rule), every nan as one.
      if (std::isnan(d_)) return 0x6e616e;
      if (d_ >= -9.2233720368547758e18 && d_ < 9.2233720368547758e18 && d_ == std::floor(d_))
        return int_hash(static_cast<std::int64_t>(d_));
      return std::hash<double>{}(d_);
    }
    case Kind::Triple: return mix(pair_hash(y_, z_), int_hash(x_));  // (i, j, c)
    case Kind::Pair: return pair_hash(y_, z_);
    case Kind::Cell: return mix(mix(kTupleSeed, int_hash(x_)), pair_hash(y_, z_));  // (c, (i, j))
    case Kind::Func:
      if (flags_ & kPrimFlag) return mix(0x53, static_cast<std::size_t>(x_));
      return std::hash<const void*>{}(p_);
    default: break;
  }
  std::size_t cached = p_->hash_cache.load(std::memory_order_relaxed);
  if (cached) return cached;
  std::size_t h = is_set() ? kSetSeed : kTupleSeed;
  switch (kind_) {
    case Kind::Tuple: case Kind::Set: {
      const DepthGuard depth;
      for (const Value& v : items()) h = mix(h, v.hash());
      break;
    }
    case Kind::Grid: {
      const Grid& g = grid();
      for (int i = 0; i < g.h; ++i) {
        std::size_t row = kTupleSeed;
        for (int j = 0; j < g.w; ++j) row = mix(row, int_hash(g.at(i, j)));
        h = mix(h, row);
      }
      break;
    }
    case Kind::Indices:
      for (Point p : points()) h = mix(h, pair_hash(p.i, p.j));
      break;
    case Kind::Object:
      for (CellV c : cells()) h = mix(h, mix(mix(kTupleSeed, int_hash(c.c)), pair_hash(c.i, c.j)));
      break;
    case Kind::TripleSet:
      for (TripleV t : triples()) h = mix(h, mix(pair_hash(t.i, t.j), int_hash(t.c)));
      break;
    default: break;
  }
  if (h == 0) h = 1;  // 0 marks "not computed yet"
  p_->hash_cache.store(h, std::memory_order_relaxed);
  return h;
}

// ---------------------------------------------------------------- order

namespace {
// Closures order by how they were built (maker, arity, exponent, then the captured parts), so that a
// set of closures iterates alike in every run; CPython orders them by id(), which no run repeats.
// Only closures built alike fall back to their identity: they are distinct members (equality is
// identity, as in CPython) that behave alike, so which comes first changes no value. Past a depth
// bound (power chains nest hundreds deep) identity decides too, to keep the recursion bounded.
int compare_closures(const Value& a, const Value& b, int depth = 0) {
  if (a.node() == b.node()) return 0;
  const FuncNode& x = a.func();
  const FuncNode& y = b.func();
  constexpr int kMaxDepth = 64;
  if (depth < kMaxDepth) {
    if (int c = three_way(static_cast<int>(x.kind), static_cast<int>(y.kind))) return c;
    if (int c = three_way(x.argcount, y.argcount)) return c;
    if (int c = three_way(x.n, y.n)) return c;
    if (int c = three_way(x.nparts, y.nparts)) return c;
    for (std::uint8_t k = 0; k < x.nparts; ++k) {
      const Value& p = x.parts[k];
      const Value& q = y.parts[k];
      const bool closures = p.is_callable() && !p.is_primitive() && q.is_callable() && !q.is_primitive();
      if (int c = closures ? compare_closures(p, q, depth + 1) : compare(p, q)) return c;
      // Equal parts that print apart (1, 1.0 and True; (0, 0) and (0.0, 0)) still make different
      // closures: order them by their text, so that even these never fall back to an address.
      if (!closures && (p.kind() != q.kind() || p.is_bool() != q.is_bool() || p.is_container()))
        if (int c = repr(p).compare(repr(q))) return c < 0 ? -1 : 1;
    }
  }
  return three_way(a.node(), b.node());
}
}  // namespace

int compare(const Value& a, const Value& b) {
  const Kind ka = a.kind(), kb = b.kind();
  const int ra = rank(ka), rb = rank(kb);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ka == Kind::Int && kb == Kind::Int) return three_way(a.int_unchecked(), b.int_unchecked());
  if (ra == 1) return compare_numbers(a, b);
  if (ka == Kind::None) return 0;
  if (ka == kb) {
    switch (ka) {
      case Kind::Pair: return three_way(a.point(), b.point());
      case Kind::Cell: return three_way(a.cellv(), b.cellv());
      case Kind::Triple: return three_way(a.triplev(), b.triplev());
      case Kind::TripleSet:
        if (a.node() == b.node()) return 0;
        return compare_spans(a.triples(), b.triples());
      case Kind::Grid:
        if (a.node() == b.node()) return 0;
        return compare_grids(a.grid(), b.grid());
      case Kind::Indices:
        if (a.node() == b.node()) return 0;
        return compare_spans(a.points(), b.points());
      case Kind::Object:
        if (a.node() == b.node()) return 0;
        return compare_spans(a.cells(), b.cells());
      case Kind::Tuple: case Kind::Set: {
        if (a.node() == b.node()) return 0;
        const DepthGuard depth;  // members may nest as deeply as a program made them
        auto x = a.items(), y = b.items();
        std::size_t n = std::min(x.size(), y.size());
        for (std::size_t k = 0; k < n; ++k)
          if (int c = compare(x[k], y[k])) return c;
        return three_way(x.size(), y.size());
      }
      case Kind::Func: {
        if (a.is_primitive() && b.is_primitive()) return three_way(a.primitive_id(), b.primitive_id());
        if (a.is_primitive() != b.is_primitive()) return a.is_primitive() ? -1 : 1;
        return compare_closures(a, b);
      }
      default: break;
    }
  }
  if (ka == Kind::Func) return a.is_primitive() ? -1 : 1;
  return compare_generic_sequence(a, b);
}

// ---------------------------------------------------------------- repr

namespace {
void repr_into(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Kind::Int:
      if (v.is_bool()) out += v.int_unchecked() ? "True" : "False";
      else out += std::to_string(v.int_unchecked());
      return;
    case Kind::Float: out += float_repr(v.float_unchecked()); return;
    case Kind::None: out += "None"; return;
    case Kind::Pair: case Kind::Cell: case Kind::Triple: case Kind::Tuple: case Kind::Grid: {
      const DepthGuard depth;
      std::size_t n = v.size();
      out += '(';
      for (std::size_t k = 0; k < n; ++k) {
        if (k) out += ", ";
        repr_into(v.item(k), out);
      }
      if (n == 1) out += ',';
      out += ')';
      return;
    }
    case Kind::Set: case Kind::Indices: case Kind::Object: case Kind::TripleSet: {
      const DepthGuard depth;
      std::size_t n = v.size();
      if (n == 0) {
        out += "frozenset()";
        return;
      }
      out += "frozenset({";
      for (std::size_t k = 0; k < n; ++k) {
        if (k) out += ", ";
        repr_into(v.item(k), out);
      }
      out += "})";
      return;
    }
    case Kind::Func:
      if (v.is_primitive()) {
        // the cpu layer installs the reprs; the engine alone knows only that it is a primitive
        out += primitive_repr_hook ? primitive_repr_hook(v.primitive_id()) : "<function <primitive>>";
      } else if (v.func().kind == FuncKind::SafeCallable) {
        out += "<function _get_safe_default.<locals>.safe_callable>";
      } else {
        out += "<function ";
        out += closure_maker(v.func().kind);
        out += ".<locals>.<lambda>>";
      }
      return;
  }
}
}  // namespace

std::string repr(const Value& v) {
  std::string out;
  repr_into(v, out);
  return out;
}

void set_primitive_repr_hook(const char* (*hook)(int id)) { primitive_repr_hook = hook; }


// ---------------------------------------------------------------- freeing and depth

namespace {
// Nodes waiting to be freed by this thread. Plain data, never destroyed: a value freed while the
// thread or the program exits (a static, a thread-local) still finds it usable.
struct FreeList {
  const Node** items = nullptr;
  std::size_t size = 0, capacity = 0;
  bool draining = false;
};
thread_local FreeList tls_free;

void push_free(const Node* n) {
  FreeList& f = tls_free;
  if (f.size == f.capacity) {
    const std::size_t grown = f.capacity ? 2 * f.capacity : 256;
    auto* items = static_cast<const Node**>(std::realloc(static_cast<void*>(f.items), grown * sizeof(const Node*)));
    if (!items) std::abort();  // out of memory while freeing memory: nothing sensible is left to do
    f.items = items;
    f.capacity = grown;
  }
  f.items[f.size++] = n;
}
}  // namespace

void release_thread_free_list() {
  FreeList& f = tls_free;
  if (f.draining || f.size > 0) return;  // not from inside a free; a later push_free would start again
  std::free(static_cast<void*>(f.items));
  f.items = nullptr;
  f.capacity = 0;
}

void Value::destroy(Kind k, const Node* n) {
  // Grids, patches and cell sets hold no handles: nothing below them to free.
  if (k == Kind::Grid || k == Kind::Indices || k == Kind::Object) {
    delete n;
    return;
  }
  FreeList& f = tls_free;
  if (f.draining) {  // inside another node's destructor: its loop below frees this one
    push_free(n);
    return;
  }
  f.draining = true;
  delete n;
  while (f.size > 0) delete f.items[--f.size];
  f.draining = false;
}

std::uintptr_t stack_floor() {
  // The reserve covers the deepest non-recursive work done between two checks (a primitive's
  // body, the sort inside make_set, an exception being thrown and caught).
  constexpr std::uintptr_t kReserve = 256 * 1024;
  pthread_attr_t attr;
  void* low = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_destroy(&attr);
  }
  const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  if (!low || size == 0) return here > kReserve ? here - kReserve : 1;  // unknown: a reserve below here
  const std::uintptr_t reserve = size >= 4 * kReserve ? std::max<std::uintptr_t>(kReserve, size / 8) : size / 2;
  return reinterpret_cast<std::uintptr_t>(low) + reserve;
}

void stack_exhausted() { throw BudgetExceeded("recursion depth exceeded (values or closures nested too deeply)"); }

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void precheck_cells(double n) {
  if (n <= 0) return;
  const Budget* b = current_budget();
  if (!b) {
    if (n > static_cast<double>(std::int64_t{1} << 26)) throw BudgetExceeded("allocation of more than 2^26 elements without a budget");
    return;
  }
  if (n > static_cast<double>(b->max_cells - b->cells_used)) budget_exceeded(*b, "cells");
}

void budget_exceeded(const Budget& b, const char* what) {
  std::string w = what;
  if (w == "cells") throw BudgetExceeded("cell budget of " + std::to_string(b.max_cells) + " exceeded");
  if (w == "calls") throw BudgetExceeded("call budget of " + std::to_string(b.max_calls) + " exceeded");
  throw BudgetExceeded("wall-time budget exceeded", true);
}

}  // namespace megabatch
