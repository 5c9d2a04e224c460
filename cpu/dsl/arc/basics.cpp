// arc-dsl primitives: basics family (numbers, booleans, pairs, basic containers) (see cpu/dsl/arc/prims.hpp for the list this file implements).
//
// Numbers and pairs follow dsl.py's runtime dispatch: `isinstance(x, int)` is Value::is_int (bools
// included), `isinstance(x, tuple)` is Value::is_tuple (Pair/Cell/Grid/Tuple); anything else takes
// the last branch and fails the way Python does when it indexes or combines it.
#include <algorithm>
#include <unordered_set>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

namespace {

// dsl.py's four-way dispatch of add/subtract/multiply/divide.
template <class Op>
Value numeric2(const Value& a, const Value& b, Op op) {
  if (a.is_int() && b.is_int()) return op(a, b);
  if (a.kind() == Kind::Pair && b.kind() == Kind::Pair) {  // the common vector case, no indexing
    const Point p = a.point(), q = b.point();
    return make_tuple2(op(Value::integer(p.i), Value::integer(q.i)), op(Value::integer(p.j), Value::integer(q.j)));
  }
  if (a.is_tuple() && b.is_tuple()) {
    Value x = op(py_index(a, 0), py_index(b, 0));
    return make_tuple2(std::move(x), op(py_index(a, 1), py_index(b, 1)));
  }
  if (a.is_int() && b.is_tuple()) {
    Value x = op(a, py_index(b, 0));
    return make_tuple2(std::move(x), op(a, py_index(b, 1)));
  }
  Value x = op(py_index(a, 0), b);
  return make_tuple2(std::move(x), op(py_index(a, 1), b));
}

// `f(n) if isinstance(n, int) else (f(n[0]), f(n[1]))`.
template <class Op>
Value numeric1(const Value& n, Op op) {
  if (n.is_int()) return op(n);
  Value x = op(py_index(n, 0));
  return make_tuple2(std::move(x), op(py_index(n, 1)));
}

const Value kZero = Value::integer(0);
const Value kOne = Value::integer(1);
const Value kTwo = Value::integer(2);

// Charges a user-controlled element count, clamped so the budget counter cannot overflow.
void charge_count(std::int64_t n) {
  if (n > 0) charge_cells(std::min<std::int64_t>(n, std::int64_t{1} << 40));
}

// `max(set(c), key=c.count)` / `min(...)`: unique members in canonical order, the first extreme
// count wins.
Value common(const Value& container, bool most, const char* who) {
  if (!container.is_container()) throw EvalError(std::string("'") + container.type_name() + "' object is not iterable");
  if (container.is_set()) throw EvalError("'frozenset' object has no attribute 'count'");
  std::vector<Value> xs = elements(container);
  if (xs.empty()) throw EvalError(std::string(who) + "() arg is an empty sequence");
  std::sort(xs.begin(), xs.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  std::size_t best = 0, best_count = 0;
  for (std::size_t k = 0; k < xs.size();) {
    std::size_t e = k + 1;
    while (e < xs.size() && compare(xs[e], xs[k]) == 0) ++e;
    std::size_t count = e - k;
    if (k == 0 || (most ? count > best_count : count < best_count)) best = k, best_count = count;
    k = e;
  }
  return xs[best];
}

}  // namespace

namespace dsl {

Value identity(const Value& x) { return x; }

Value add(const Value& a, const Value& b) { return numeric2(a, b, py_add); }
Value subtract(const Value& a, const Value& b) { return numeric2(a, b, py_sub); }
Value multiply(const Value& a, const Value& b) { return numeric2(a, b, py_mul); }
Value divide(const Value& a, const Value& b) { return numeric2(a, b, py_floordiv); }

Value invert(const Value& n) { return numeric1(n, py_neg); }

Value even(const Value& n) { return Value::boolean(py_eq(py_mod(n, kTwo), kZero)); }

Value double_(const Value& n) {
  return numeric1(n, [](const Value& x) { return py_mul(x, kTwo); });
}

Value halve(const Value& n) {
  return numeric1(n, [](const Value& x) { return py_floordiv(x, kTwo); });
}

Value flip(const Value& b) { return Value::boolean(!b.truthy()); }

Value equality(const Value& a, const Value& b) { return Value::boolean(py_eq(a, b)); }

Value contained(const Value& value, const Value& container) {
  return Value::boolean(py_contains(container, value));
}

Value combine(const Value& a, const Value& b) {
  // type(a)((*a, *b)): both operands are unpacked before the constructor runs.
  if (a.kind() == Kind::Indices && b.kind() == Kind::Indices) {
    std::vector<Point> out;
    out.reserve(a.points().size() + b.points().size());
    std::set_union(a.points().begin(), a.points().end(), b.points().begin(), b.points().end(), std::back_inserter(out));
    return make_sorted_indices(std::move(out));
  }
  if (a.kind() == Kind::Object && b.kind() == Kind::Object) {
    std::vector<CellV> out;
    out.reserve(a.cells().size() + b.cells().size());
    std::set_union(a.cells().begin(), a.cells().end(), b.cells().begin(), b.cells().end(), std::back_inserter(out));
    return make_sorted_object(std::move(out));
  }
  if (a.kind() == Kind::Grid && b.kind() == Kind::Grid && a.grid().w == b.grid().w) {
    const Grid &x = a.grid(), &y = b.grid();
    charge_count(static_cast<std::int64_t>(x.h + y.h) * std::max(x.w, 1));
    Grid g(x.h + y.h, x.w);
    std::copy(x.cells.begin(), x.cells.end(), g.cells.begin());
    std::copy(y.cells.begin(), y.cells.end(), g.cells.begin() + x.cells.size());
    return make_grid(std::move(g));
  }
  for (const Value* v : {&a, &b})
    if (!v->is_container()) type_error(std::string("Value after * must be an iterable, not ") + v->type_name());
  std::vector<Value> all = elements(a);
  std::vector<Value> tail = elements(b);
  all.insert(all.end(), std::make_move_iterator(tail.begin()), std::make_move_iterator(tail.end()));
  return same_type(a, std::move(all));
}

Value intersection(const Value& a, const Value& b) {
  // a & b: frozenset intersection, or bitwise and on ints (bool & bool stays a bool).
  if (a.is_int() && b.is_int()) {
    std::int64_t r = a.int_unchecked() & b.int_unchecked();
    return a.is_bool() && b.is_bool() ? Value::boolean(r != 0) : Value::integer(r);
  }
  if (!a.is_set() || !b.is_set()) type_error("&", a, b);
  if (a.kind() == Kind::Indices && b.kind() == Kind::Indices) {
    std::vector<Point> out;
    std::set_intersection(a.points().begin(), a.points().end(), b.points().begin(), b.points().end(),
                          std::back_inserter(out));
    return make_sorted_indices(std::move(out));
  }
  if (a.kind() == Kind::Object && b.kind() == Kind::Object) {
    std::vector<CellV> out;
    std::set_intersection(a.cells().begin(), a.cells().end(), b.cells().begin(), b.cells().end(),
                          std::back_inserter(out));
    return make_sorted_object(std::move(out));
  }
  std::vector<Value> keep;
  for (Value& v : elements(a))
    if (py_contains(b, v)) keep.push_back(std::move(v));
  return make_set(std::move(keep));
}

Value difference(const Value& a, const Value& b) {
  // type(a)(e for e in a if e not in b): `in b` is only evaluated for members of a.
  if (a.kind() == Kind::Indices && b.kind() == Kind::Indices) {
    std::vector<Point> out;
    std::set_difference(a.points().begin(), a.points().end(), b.points().begin(), b.points().end(),
                        std::back_inserter(out));
    return make_sorted_indices(std::move(out));
  }
  if (a.kind() == Kind::Object && b.kind() == Kind::Object) {
    std::vector<CellV> out;
    std::set_difference(a.cells().begin(), a.cells().end(), b.cells().begin(), b.cells().end(),
                        std::back_inserter(out));
    return make_sorted_object(std::move(out));
  }
  std::vector<Value> keep;
  for (Value& v : elements(a))
    if (!py_contains(b, v)) keep.push_back(std::move(v));
  return same_type(a, std::move(keep));
}

Value dedupe(const Value& tup) {
  // tuple(e for i, e in enumerate(tup) if tup.index(e) == i): only tuples have .index, but an empty
  // frozenset is never asked for it.
  if (tup.is_set()) {
    if (tup.size() == 0) return empty_tuple();
    throw EvalError("'frozenset' object has no attribute 'index'");
  }
  std::vector<Value> xs = elements(tup);
  std::unordered_set<Value, ValueHash> seen;
  std::vector<Value> out;
  for (Value& v : xs)
    if (seen.insert(v).second) out.push_back(std::move(v));
  if (out.size() == xs.size()) return tup;
  return make_tuple(std::move(out));
}

Value order(const Value& container, const Value& compfunc) {
  std::vector<Value> xs = elements(container);
  if (compfunc.is_none()) return make_tuple(py_sorted(std::move(xs), nullptr));  // key=None sorts the members
  return make_tuple(py_sorted(std::move(xs), [&](const Value& x) { return call1(compfunc, x); }));
}

Value repeat(const Value& item, const Value& num) {
  // tuple(item for i in range(num)): num must be an int; n <= 0 gives ().
  std::int64_t n = num.as_int();
  if (n <= 0) return empty_tuple();
  charge_count(n);
  std::int64_t row = -1;  // item is an int-only row: the result is a dense grid
  if (item.kind() == Kind::Pair) row = 2;
  if (item.kind() == Kind::Tuple) {
    row = static_cast<std::int64_t>(item.items().size());
    for (const Value& x : item.items())
      if (!x.is_int() || x.int_unchecked() < INT32_MIN || x.int_unchecked() > INT32_MAX) row = -1;
  }
  if (row >= 0 && n <= INT32_MAX) {
    charge_count(n * std::max<std::int64_t>(row, 1));
    Grid g(static_cast<int>(n), static_cast<int>(row));
    std::vector<Color> r(static_cast<std::size_t>(row));
    for (std::int64_t k = 0; k < row; ++k) r[k] = static_cast<Color>(item.item(static_cast<std::size_t>(k)).int_unchecked());
    for (std::int64_t i = 0; i < n; ++i) std::copy(r.begin(), r.end(), g.cells.begin() + i * row);
    return make_grid(std::move(g));
  }
  std::vector<Value> out(static_cast<std::size_t>(n), item);
  return make_tuple(std::move(out));
}

Value greater(const Value& a, const Value& b) { return Value::boolean(py_gt(a, b)); }

Value size(const Value& container) { return Value::integer(static_cast<std::int64_t>(container.size())); }

Value merge(const Value& containers) {
  // type(containers)(e for c in containers for e in c)
  if (!containers.is_container()) throw EvalError(std::string("'") + containers.type_name() + "' object is not iterable");
  const std::size_t n = containers.size();
  if (containers.kind() == Kind::Set && n > 0) {
    // Sets of patches of one kind (empty sets among them add nothing) merge packed.
    bool all_indices = true, all_objects = true, all_triples = true;
    std::size_t total = 0;
    for (const Value& c : containers.items()) {
      if (c.kind() == Kind::Set && c.size() == 0) continue;
      all_indices = all_indices && c.kind() == Kind::Indices;
      all_objects = all_objects && c.kind() == Kind::Object;
      all_triples = all_triples && c.kind() == Kind::TripleSet;
    }
    if (all_indices) {
      std::vector<Point> pts;
      for (const Value& c : containers.items()) total += c.kind() == Kind::Indices ? c.points().size() : 0;
      pts.reserve(total);
      for (const Value& c : containers.items())
        if (c.kind() == Kind::Indices) pts.insert(pts.end(), c.points().begin(), c.points().end());
      return make_indices(std::move(pts));
    }
    if (all_objects) {
      std::vector<CellV> cs;
      for (const Value& c : containers.items()) total += c.kind() == Kind::Object ? c.cells().size() : 0;
      cs.reserve(total);
      for (const Value& c : containers.items())
        if (c.kind() == Kind::Object) cs.insert(cs.end(), c.cells().begin(), c.cells().end());
      return make_object(std::move(cs));
    }
    if (all_triples) {
      std::vector<TripleV> ts;
      for (const Value& c : containers.items()) total += c.kind() == Kind::TripleSet ? c.triples().size() : 0;
      ts.reserve(total);
      for (const Value& c : containers.items())
        if (c.kind() == Kind::TripleSet) ts.insert(ts.end(), c.triples().begin(), c.triples().end());
      return make_triples(std::move(ts));
    }
  }
  if (containers.kind() == Kind::Tuple && n > 0) {
    // a tuple of grids of one width stacks into a taller grid; () among them adds nothing
    // (tokpidjin's hsplit ends in () pieces when the width does not divide)
    auto items = containers.items();
    bool grids = true;
    std::int64_t h = 0;
    int w = -1;
    for (const Value& c : items) {
      if (c.kind() == Kind::Tuple && c.size() == 0) continue;
      grids = c.kind() == Kind::Grid && (w < 0 || c.grid().w == w);
      if (!grids) break;
      w = c.grid().w;
      h += c.grid().h;
    }
    if (grids && h > 0 && h <= INT32_MAX) {
      charge_count(h * std::max(w, 1));
      Grid g(static_cast<int>(h), w);
      auto out = g.cells.begin();
      for (const Value& c : items)
        if (c.kind() == Kind::Grid) out = std::copy(c.grid().cells.begin(), c.grid().cells.end(), out);
      return make_grid(std::move(g));
    }
  }
  std::vector<Value> all;
  if (containers.kind() == Kind::Grid) {  // a grid merges into its cells, row after row, without making rows
    const Grid& g = containers.grid();
    all.reserve(g.cells.size());
    for (const Color c : g.cells) all.push_back(Value::integer(c));
    return same_type(containers, std::move(all));
  }
  for (std::size_t k = 0; k < n; ++k) {
    Value c = containers.item(k);
    if (!c.is_container()) throw EvalError(std::string("'") + c.type_name() + "' object is not iterable");
    std::size_t m = c.size();
    for (std::size_t q = 0; q < m; ++q) all.push_back(c.item(q));
  }
  return same_type(containers, std::move(all));
}

Value maximum(const Value& container) {
  std::vector<Value> xs = elements(container);
  if (xs.empty()) return kZero;
  return py_max(xs, nullptr, "max");
}

Value minimum(const Value& container) {
  std::vector<Value> xs = elements(container);
  if (xs.empty()) return kZero;
  return py_min(xs, nullptr, "min");
}

Value valmax(const Value& container, const Value& compfunc) {
  // compfunc(max(container, key=compfunc, default=0)): an empty container gives compfunc(0).
  if (container.is_container() && container.size() == 0) return call1(compfunc, kZero);
  return call1(compfunc, container.item(py_arg_extreme(container, compfunc, true, "max")));
}

Value valmin(const Value& container, const Value& compfunc) {
  if (container.is_container() && container.size() == 0) return call1(compfunc, kZero);
  return call1(compfunc, container.item(py_arg_extreme(container, compfunc, false, "min")));
}

Value argmax(const Value& container, const Value& compfunc) {
  return container.item(py_arg_extreme(container, compfunc, true, "max"));
}

Value argmin(const Value& container, const Value& compfunc) {
  return container.item(py_arg_extreme(container, compfunc, false, "min"));
}

Value mostcommon(const Value& container) { return common(container, true, "max"); }
Value leastcommon(const Value& container) { return common(container, false, "min"); }

Value initset(const Value& value) {
  if (value.kind() == Kind::Pair) return make_single_indices(value.point());
  if (value.kind() == Kind::Cell) return make_single_object(value.cellv());
  return make_set({value});
}

Value both(const Value& a, const Value& b) { return a.truthy() ? b : a; }
Value either(const Value& a, const Value& b) { return a.truthy() ? a : b; }

Value increment(const Value& x) {
  return numeric1(x, [](const Value& v) { return py_add(v, kOne); });
}

Value decrement(const Value& x) {
  return numeric1(x, [](const Value& v) { return py_sub(v, kOne); });
}

Value crement(const Value& x) {
  // 0 stays 0, positives grow, negatives shrink (per component for tuples).
  return numeric1(x, [](const Value& v) {
    if (py_eq(v, kZero)) return kZero;
    return py_gt(v, kZero) ? py_add(v, kOne) : py_sub(v, kOne);
  });
}

Value sign(const Value& x) {
  return numeric1(x, [](const Value& v) {
    if (py_eq(v, kZero)) return kZero;
    return py_gt(v, kZero) ? kOne : Value::integer(-1);
  });
}

Value positive(const Value& x) { return Value::boolean(py_gt(x, kZero)); }

Value toivec(const Value& i) { return make_tuple2(i, kZero); }
Value tojvec(const Value& j) { return make_tuple2(kZero, j); }

}  // namespace dsl

namespace {

using dsl::body;

constexpr PrimitiveDef kValues[] = {
    {.name = "identity", .signature = "x: Any -> Any", .fn = body<dsl::identity>,
     .description = "returns its argument unchanged", .picks_colour = true},
    {.name = "add", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<dsl::add>,
     .description = "sum of two ints, or component-wise for pairs (an int is broadcast)"},
    {.name = "subtract", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<dsl::subtract>,
     .description = "difference of two ints, or component-wise for pairs (an int is broadcast)"},
    {.name = "multiply", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<dsl::multiply>,
     .description = "product of two ints, or component-wise for pairs (an int is broadcast)"},
    {.name = "divide", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<dsl::divide>,
     .description = "floor division of two ints, or component-wise for pairs (an int is broadcast)"},
    {.name = "invert", .signature = "n: Numerical -> Numerical", .fn = body<dsl::invert>,
     .description = "negates an int or both components of a pair"},
    {.name = "even", .signature = "n: Integer -> Boolean", .fn = body<dsl::even>,
     .description = "whether an int is divisible by two"},
    {.name = "double", .signature = "n: Numerical -> Numerical", .fn = body<dsl::double_>,
     .description = "twice an int, or twice each component of a pair"},
    {.name = "halve", .signature = "n: Numerical -> Numerical", .fn = body<dsl::halve>,
     .description = "an int floor-divided by two, or each component of a pair"},
    {.name = "flip", .signature = "b: Boolean -> Boolean", .fn = body<dsl::flip>, .description = "logical not"},
    {.name = "equality", .signature = "a: Any, b: Any -> Boolean", .fn = body<dsl::equality>,
     .description = "whether two values are equal"},
    {.name = "contained", .signature = "value: Any, container: Container -> Boolean", .fn = body<dsl::contained>,
     .description = "whether the value is a member of the container"},
    {.name = "combine", .signature = "a: Container, b: Container -> Container", .fn = body<dsl::combine>,
     .description = "both containers joined, keeping the first one's type", .palette = PaletteRule::Keeps01},
    {.name = "intersection", .signature = "a: FrozenSet, b: FrozenSet -> FrozenSet", .fn = body<dsl::intersection>,
     .description = "members common to two frozensets"},
    {.name = "difference", .signature = "a: FrozenSet, b: FrozenSet -> FrozenSet", .fn = body<dsl::difference>,
     .description = "members of the first container that are not in the second"},
    {.name = "dedupe", .signature = "tup: Tuple -> Tuple", .fn = body<dsl::dedupe>,
     .description = "a tuple with later repeats dropped, first occurrences kept in order"},
    {.name = "order", .signature = "container: Container, compfunc: Callable -> Tuple", .fn = body<dsl::order>,
     .description = "the container's members as a tuple, stably sorted by a key function"},
    {.name = "repeat", .signature = "item: Any, num: Integer -> Tuple", .fn = body<dsl::repeat>,
     .description = "a tuple holding the item the given number of times"},
    {.name = "greater", .signature = "a: Integer, b: Integer -> Boolean", .fn = body<dsl::greater>,
     .description = "whether the first value is greater than the second"},
    {.name = "size", .signature = "container: Container -> Integer", .fn = body<dsl::size>,
     .description = "number of members of a container"},
    {.name = "merge", .signature = "containers: ContainerContainer -> Container", .fn = body<dsl::merge>,
     .description = "the members of every inner container, flattened one level into the outer type",
     .palette = PaletteRule::Merge},
    {.name = "maximum", .signature = "container: IntegerSet -> Integer", .fn = body<dsl::maximum>,
     .description = "the largest member, 0 when empty"},
    {.name = "minimum", .signature = "container: IntegerSet -> Integer", .fn = body<dsl::minimum>,
     .description = "the smallest member, 0 when empty"},
    {.name = "valmax", .signature = "container: Container, compfunc: Callable -> Integer", .fn = body<dsl::valmax>,
     .description = "the largest key value over the members (key of 0 when empty)"},
    {.name = "valmin", .signature = "container: Container, compfunc: Callable -> Integer", .fn = body<dsl::valmin>,
     .description = "the smallest key value over the members (key of 0 when empty)"},
    {.name = "argmax", .signature = "container: Container, compfunc: Callable -> Any", .fn = body<dsl::argmax>,
     .description = "the first member with the largest key value"},
    {.name = "argmin", .signature = "container: Container, compfunc: Callable -> Any", .fn = body<dsl::argmin>,
     .description = "the first member with the smallest key value"},
    {.name = "mostcommon", .signature = "container: Container -> Any", .fn = body<dsl::mostcommon>,
     .description = "the most frequent member of a tuple (smallest on ties)"},
    {.name = "leastcommon", .signature = "container: Container -> Any", .fn = body<dsl::leastcommon>,
     .description = "the least frequent member of a tuple (smallest on ties)"},
    {.name = "initset", .signature = "value: Any -> FrozenSet", .fn = body<dsl::initset>,
     .description = "a frozenset holding just the value"},
    {.name = "both", .signature = "a: Boolean, b: Boolean -> Boolean", .fn = body<dsl::both>,
     .description = "logical and, returning the deciding operand"},
    {.name = "either", .signature = "a: Boolean, b: Boolean -> Boolean", .fn = body<dsl::either>,
     .description = "logical or, returning the deciding operand"},
    {.name = "increment", .signature = "x: Numerical -> Numerical", .fn = body<dsl::increment>,
     .description = "adds one to an int or to each component of a pair"},
    {.name = "decrement", .signature = "x: Numerical -> Numerical", .fn = body<dsl::decrement>,
     .description = "subtracts one from an int or from each component of a pair"},
    {.name = "crement", .signature = "x: Numerical -> Numerical", .fn = body<dsl::crement>,
     .description = "moves an int (or each pair component) one step away from zero, zero stays"},
    {.name = "sign", .signature = "x: Numerical -> Numerical", .fn = body<dsl::sign>,
     .description = "-1, 0 or 1 by the sign of an int (or of each pair component)"},
    {.name = "positive", .signature = "x: Integer -> Boolean", .fn = body<dsl::positive>,
     .description = "whether the value is greater than zero"},
    {.name = "toivec", .signature = "i: Integer -> IntegerTuple", .fn = body<dsl::toivec>,
     .description = "the pair (i, 0)"},
    {.name = "tojvec", .signature = "j: Integer -> IntegerTuple", .fn = body<dsl::tojvec>,
     .description = "the pair (0, j)"},
};

}  // namespace

std::span<const PrimitiveDef> arc_basics_family() { return kValues; }

}  // namespace megabatch::cpu
