// arc-dsl primitives: functional family (see cpu/dsl/arc/prims.hpp for the list this file implements).
//
// Filters and maps keep the container's Python type (`type(container)(...)`); closures are FuncNode
// values that cpu/dsl/registry.cpp's `call` applies.
#include <algorithm>
#include <limits>

#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

namespace {

// CPython builds power(f, n) by recursing n levels deep; at the top level of a script the default
// recursion limit (1000) stops it from n == 1000 on. megabatch mirrors that bound explicitly.
constexpr std::int64_t kMaxPowerExponent = 999;

void charge_count(std::int64_t n) {
  if (n > 0) charge_cells(std::min<std::int64_t>(n, std::int64_t{1} << 40));
}

[[noreturn]] void not_iterable(const Value& v) {
  throw EvalError(std::string("'") + v.type_name() + "' object is not iterable");
}

bool int32_valued(const Value& v) {
  return v.is_int() && v.int_unchecked() >= std::numeric_limits<std::int32_t>::min() &&
         v.int_unchecked() <= std::numeric_limits<std::int32_t>::max();
}

// Copies the rows of `g` whose flags are set into a new grid (the empty tuple when none are).
Value grid_rows(const Grid& g, const std::vector<char>& keep) {
  int h = static_cast<int>(std::count(keep.begin(), keep.end(), 1));
  if (h == static_cast<int>(keep.size())) return Value();  // caller keeps the original
  Grid out(h, g.w);
  std::size_t at = 0;
  for (int i = 0; i < g.h; ++i)
    if (keep[i]) {
      std::copy(g.cells.begin() + static_cast<std::size_t>(i) * g.w,
                g.cells.begin() + static_cast<std::size_t>(i + 1) * g.w, out.cells.begin() + at);
      at += g.w;
    }
  return make_grid(std::move(out));
}

}  // namespace

namespace dsl {

Value sfilter(const Value& container, const Value& condition) {
  // type(container)(e for e in container if condition(e))
  switch (container.kind()) {
    case Kind::Indices: {
      std::vector<Point> keep;
      for (Point p : container.points())
        if (call1(condition, Value::pair(p.i, p.j)).truthy()) keep.push_back(p);
      if (keep.size() == container.points().size()) return container;
      return make_sorted_indices(std::move(keep));
    }
    case Kind::Object: {
      std::vector<CellV> keep;
      for (CellV c : container.cells())
        if (call1(condition, Value::cell(c.c, c.i, c.j)).truthy()) keep.push_back(c);
      if (keep.size() == container.cells().size()) return container;
      return make_sorted_object(std::move(keep));
    }
    case Kind::TripleSet: {  // tokpidjin's cells
      std::vector<TripleV> keep;
      for (TripleV t : container.triples())
        if (call1(condition, Value::triple(t.i, t.j, t.c)).truthy()) keep.push_back(t);
      if (keep.size() == container.triples().size()) return container;
      return make_sorted_triples(std::move(keep));
    }
    case Kind::Grid: {
      const Grid& g = container.grid();
      std::vector<char> keep(static_cast<std::size_t>(g.h), 0);
      for (int i = 0; i < g.h; ++i) keep[i] = call1(condition, container.item(i)).truthy() ? 1 : 0;
      Value r = grid_rows(g, keep);
      return r.kind() == Kind::Int ? container : r;
    }
    case Kind::Int: case Kind::Func: not_iterable(container);
    default: break;
  }
  std::vector<Value> keep;
  const std::size_t n = container.size();
  for (std::size_t k = 0; k < n; ++k) {
    Value e = container.item(k);
    if (call1(condition, e).truthy()) keep.push_back(std::move(e));
  }
  if (container.kind() != Kind::Set) return same_type(container, std::move(keep));
  // what a canonical set keeps is still ascending and unique
  return keep.size() == n ? container : make_sorted_set(std::move(keep));
}

Value mfilter(const Value& container, const Value& function) { return merge(sfilter(container, function)); }

Value extract(const Value& container, const Value& condition) {
  // next(e for e in container if condition(e)): StopIteration when nothing matches.
  if (!container.is_container()) not_iterable(container);
  for (std::size_t k = 0, n = container.size(); k < n; ++k) {
    Value e = container.item(k);
    if (call1(condition, e).truthy()) return e;
  }
  throw EvalError("StopIteration: no member satisfies the condition");
}

Value totuple(const Value& container) {
  if (container.is_tuple()) return container;  // tuple(t) is t
  if (container.kind() == Kind::Indices) {
    auto pts = container.points();
    charge_count(static_cast<std::int64_t>(pts.size()) * 2);
    Grid g(static_cast<int>(pts.size()), 2);
    for (std::size_t k = 0; k < pts.size(); ++k) g.cells[2 * k] = pts[k].i, g.cells[2 * k + 1] = pts[k].j;
    return make_grid(std::move(g));
  }
  return make_tuple(elements(container));
}

Value first(const Value& container) {
  if (!container.is_container()) not_iterable(container);
  if (container.size() == 0) throw EvalError("StopIteration: the container is empty");
  return container.item(0);
}

Value last(const Value& container) {
  // max(enumerate(container))[1]: the last member in iteration order.
  if (!container.is_container()) not_iterable(container);
  std::size_t n = container.size();
  if (n == 0) throw EvalError("max() arg is an empty sequence");
  return container.item(n - 1);
}

Value insert(const Value& value, const Value& container) {
  // container.union(frozenset({value})): only frozensets have .union.
  if (!container.is_set())
    throw EvalError(std::string("'") + container.type_name() + "' object has no attribute 'union'");
  if (container.kind() == Kind::Indices && value.kind() == Kind::Pair) {
    auto pts = container.points();
    Point p = value.point();
    auto at = std::lower_bound(pts.begin(), pts.end(), p);
    if (at != pts.end() && *at == p) return container;
    std::vector<Point> out;
    out.reserve(pts.size() + 1);
    out.insert(out.end(), pts.begin(), at);
    out.push_back(p);
    out.insert(out.end(), at, pts.end());
    return make_sorted_indices(std::move(out));
  }
  if (container.kind() == Kind::Object && value.kind() == Kind::Cell) {
    auto cs = container.cells();
    CellV c = value.cellv();
    auto at = std::lower_bound(cs.begin(), cs.end(), c);
    if (at != cs.end() && *at == c) return container;
    std::vector<CellV> out;
    out.reserve(cs.size() + 1);
    out.insert(out.end(), cs.begin(), at);
    out.push_back(c);
    out.insert(out.end(), at, cs.end());
    return make_sorted_object(std::move(out));
  }
  std::vector<Value> all = elements(container);
  all.push_back(value);
  return make_set(std::move(all));
}

Value remove(const Value& value, const Value& container) {
  // type(container)(e for e in container if e != value)
  if (container.kind() == Kind::Indices) {
    if (value.kind() != Kind::Pair) return container;
    Point p = value.point();
    auto pts = container.points();
    if (!std::binary_search(pts.begin(), pts.end(), p)) return container;
    std::vector<Point> out;
    out.reserve(pts.size());
    for (Point q : pts)
      if (q != p) out.push_back(q);
    return make_sorted_indices(std::move(out));
  }
  if (container.kind() == Kind::Object) {
    if (value.kind() != Kind::Cell) return container;
    CellV c = value.cellv();
    auto cs = container.cells();
    if (!std::binary_search(cs.begin(), cs.end(), c)) return container;
    std::vector<CellV> out;
    out.reserve(cs.size());
    for (CellV q : cs)
      if (q != c) out.push_back(q);
    return make_sorted_object(std::move(out));
  }
  if (container.kind() == Kind::Grid) {
    if (!value.is_tuple()) return container;  // no row equals a non-tuple
    const Grid& g = container.grid();
    std::vector<char> keep(static_cast<std::size_t>(g.h), 1);
    for (int i = 0; i < g.h; ++i) keep[i] = py_eq(container.item(i), value) ? 0 : 1;
    Value r = grid_rows(g, keep);
    return r.kind() == Kind::Int ? container : r;
  }
  if (!container.is_container()) not_iterable(container);
  std::vector<Value> keep;
  for (std::size_t k = 0, n = container.size(); k < n; ++k) {
    Value e = container.item(k);
    if (!py_eq(e, value)) keep.push_back(std::move(e));
  }
  return same_type(container, std::move(keep));
}

Value other(const Value& container, const Value& value) { return first(remove(value, container)); }

Value interval(const Value& start, const Value& stop, const Value& step) {
  // tuple(range(start, stop, step))
  const std::int64_t a = start.as_int(), b = stop.as_int(), s = step.as_int();
  if (s == 0) throw EvalError("range() arg 3 must not be zero");
  __int128 len = 0;
  if (s > 0 && a < b) len = ((static_cast<__int128>(b) - a - 1) / s) + 1;
  if (s < 0 && a > b) len = ((static_cast<__int128>(a) - b - 1) / -static_cast<__int128>(s)) + 1;
  charge_count(len > (std::int64_t{1} << 40) ? (std::int64_t{1} << 40) : static_cast<std::int64_t>(len));
  std::vector<Value> out;
  out.reserve(static_cast<std::size_t>(len));
  __int128 v = a;
  for (__int128 k = 0; k < len; ++k, v += s) out.push_back(Value::integer(static_cast<std::int64_t>(v)));
  return make_tuple(std::move(out));
}

Value astuple(const Value& a, const Value& b) { return make_tuple2(a, b); }

Value product(const Value& a, const Value& b) {
  // frozenset((i, j) for j in b for i in a): `a` is only iterated once `b` has a member.
  std::vector<Value> ys = elements(b);
  if (ys.empty()) return empty_set();
  std::vector<Value> xs = elements(a);
  charge_count(static_cast<std::int64_t>(xs.size()) * static_cast<std::int64_t>(ys.size()));
  bool ints = std::all_of(xs.begin(), xs.end(), int32_valued) && std::all_of(ys.begin(), ys.end(), int32_valued);
  if (ints) {
    std::vector<Point> pts;
    pts.reserve(xs.size() * ys.size());
    for (const Value& y : ys)
      for (const Value& x : xs)
        pts.push_back({static_cast<std::int32_t>(x.int_unchecked()), static_cast<std::int32_t>(y.int_unchecked())});
    return make_indices(std::move(pts));
  }
  std::vector<Value> out;
  out.reserve(xs.size() * ys.size());
  if (a.is_set() && b.is_set()) {
    // Both sides ascending and unique: generating x-major gives the pairs already in canonical
    // (lexicographic) order and unique, so nothing is sorted or compared.
    for (const Value& x : xs)
      for (const Value& y : ys) out.push_back(make_tuple2(x, y));
    return make_sorted_set(std::move(out));
  } else {
    for (const Value& y : ys)
      for (const Value& x : xs) out.push_back(make_tuple2(x, y));
  }
  return make_set(std::move(out));
}

Value pair(const Value& a, const Value& b) {
  // tuple(zip(a, b)): stops at the shorter one.
  std::vector<Value> xs = elements(a);
  std::vector<Value> ys = elements(b);
  std::size_t n = std::min(xs.size(), ys.size());
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(make_tuple2(xs[k], ys[k]));
  return make_tuple(std::move(out));
}

Value branch(const Value& condition, const Value& a, const Value& b) { return condition.truthy() ? a : b; }

Value compose(const Value& outer, const Value& inner) { return make_func(FuncKind::Compose, 1, {outer, inner}); }

Value chain(const Value& h, const Value& g, const Value& f) { return make_func(FuncKind::Chain, 1, {h, g, f}); }

Value matcher(const Value& function, const Value& target) {
  return make_func(FuncKind::Matcher, 1, {function, target});
}

namespace {
// rbind/lbind look at function.__code__.co_argcount: 2 -> one free argument, 3 -> two, else three.
int bound_arity(const Value& function) {
  if (!function.is_callable())
    throw EvalError(std::string("'") + function.type_name() + "' object has no attribute '__code__'");
  int n = argcount(function);
  return n == 2 ? 1 : (n == 3 ? 2 : 3);
}
}  // namespace

Value rbind(const Value& function, const Value& fixed) {
  return make_func(FuncKind::Rbind, bound_arity(function), {function, fixed});
}

Value lbind(const Value& function, const Value& fixed) {
  return make_func(FuncKind::Lbind, bound_arity(function), {function, fixed});
}

Value power(const Value& function, const Value& n) {
  // n == 1 gives the function itself; otherwise compose(function, power(function, n - 1)).
  if (n.is_int() && n.int_unchecked() == 1) return function;
  if (!n.is_int()) type_error("-", n, Value::integer(1));
  if (n.int_unchecked() < 1) throw EvalError("power: exponent must be >= 1 (RecursionError in CPython)");
  if (n.int_unchecked() > kMaxPowerExponent)
    throw EvalError("power: exponent " + std::to_string(n.int_unchecked()) + " exceeds " +
                    std::to_string(kMaxPowerExponent) + " (RecursionError in CPython)");
  return make_func(FuncKind::Power, 1, {function}, n.int_unchecked());
}

Value fork(const Value& outer, const Value& a, const Value& b) { return make_func(FuncKind::Fork, 1, {outer, a, b}); }

Value apply(const Value& function, const Value& container) {
  // type(container)(function(e) for e in container)
  if (!container.is_container()) not_iterable(container);
  std::size_t n = container.size();
  if (n == 2 && container.is_tuple()) {  // pairs and cells: no intermediate vector
    Value x = call1(function, container.item(0));
    return make_tuple2(std::move(x), call1(function, container.item(1)));
  }
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(call1(function, container.item(k)));
  return same_type(container, std::move(out));
}

Value rapply(const Value& functions, const Value& value) {
  // type(functions)(function(value) for function in functions)
  if (!functions.is_container()) not_iterable(functions);
  std::size_t n = functions.size();
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(call1(functions.item(k), value));
  return same_type(functions, std::move(out));
}

Value mapply(const Value& function, const Value& container) {
  // merge(apply(f, s)) over a frozenset is the union of the results: the intermediate frozenset of
  // results (a sort of whole sets) only removes duplicates that the union removes anyway.
  if (container.is_set() && container.size() > 0) {
    const std::size_t n = container.size();
    std::vector<Value> results;
    results.reserve(n);
    bool all_indices = true, all_objects = true;
    for (std::size_t k = 0; k < n; ++k) {
      results.push_back(call1(function, container.item(k)));
      all_indices = all_indices && results.back().kind() == Kind::Indices;
      all_objects = all_objects && results.back().kind() == Kind::Object;
    }
    if (all_indices) {
      std::vector<Point> pts;
      for (const Value& r : results) pts.insert(pts.end(), r.points().begin(), r.points().end());
      return make_indices(std::move(pts));
    }
    if (all_objects) {
      std::vector<CellV> cs;
      for (const Value& r : results) cs.insert(cs.end(), r.cells().begin(), r.cells().end());
      return make_object(std::move(cs));
    }
    return merge(make_set(std::move(results)));
  }
  return merge(apply(function, container));
}

Value papply(const Value& function, const Value& a, const Value& b) {
  // tuple(function(i, j) for i, j in zip(a, b))
  std::vector<Value> xs = elements(a);
  std::vector<Value> ys = elements(b);
  std::size_t n = std::min(xs.size(), ys.size());
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(call2(function, xs[k], ys[k]));
  return make_tuple(std::move(out));
}

Value mpapply(const Value& function, const Value& a, const Value& b) { return merge(papply(function, a, b)); }

Value prapply(const Value& function, const Value& a, const Value& b) {
  // frozenset(function(i, j) for j in b for i in a)
  std::vector<Value> ys = elements(b);
  if (ys.empty()) return empty_set();
  std::vector<Value> xs = elements(a);
  std::vector<Value> out;
  out.reserve(xs.size() * ys.size());
  for (const Value& y : ys)
    for (const Value& x : xs) out.push_back(call2(function, x, y));
  return make_set(std::move(out));
}

}  // namespace dsl

namespace {

using dsl::body;

constexpr PrimitiveDef kFunctional[] = {
    {.name = "sfilter", .signature = "container: Container, condition: Callable -> Container",
     .fn = body<dsl::sfilter>, .description = "the members satisfying a condition, keeping the container's type",
     .palette = PaletteRule::Keeps0},
    {.name = "mfilter", .signature = "container: Container, function: Callable -> FrozenSet",
     .fn = body<dsl::mfilter>, .description = "the members satisfying a condition, merged one level",
     .palette = PaletteRule::Keeps0},
    {.name = "extract", .signature = "container: Container, condition: Callable -> Any", .fn = body<dsl::extract>,
     .description = "the first member satisfying a condition (error when none does)"},
    {.name = "totuple", .signature = "container: FrozenSet -> Tuple", .fn = body<dsl::totuple>,
     .description = "the container's members as a tuple in iteration order"},
    {.name = "first", .signature = "container: Container -> Any", .fn = body<dsl::first>,
     .description = "the first member in iteration order"},
    {.name = "last", .signature = "container: Container -> Any", .fn = body<dsl::last>,
     .description = "the last member in iteration order"},
    {.name = "insert", .signature = "value: Any, container: FrozenSet -> FrozenSet", .fn = body<dsl::insert>,
     .description = "a frozenset with the value added"},
    {.name = "remove", .signature = "value: Any, container: Container -> Container", .fn = body<dsl::remove>,
     .description = "the container without members equal to the value, keeping its type"},
    {.name = "other", .signature = "container: Container, value: Any -> Any", .fn = body<dsl::other>,
     .description = "the first member that differs from the value"},
    {.name = "interval", .signature = "start: Integer, stop: Integer, step: Integer -> Tuple",
     .fn = body<dsl::interval>, .description = "the ints from start up to (excluding) stop by step, as a tuple"},
    {.name = "astuple", .signature = "a: Integer, b: Integer -> IntegerTuple", .fn = body<dsl::astuple>,
     .description = "the 2-tuple of both values"},
    {.name = "product", .signature = "a: Container, b: Container -> FrozenSet", .fn = body<dsl::product>,
     .description = "the frozenset of all (x, y) with x from the first and y from the second container",
     .palette = PaletteRule::Keeps01},
    {.name = "pair", .signature = "a: Tuple, b: Tuple -> TupleTuple", .fn = body<dsl::pair>,
     .description = "the tuple of position-wise 2-tuples of two containers, as long as the shorter"},
    {.name = "branch", .signature = "condition: Boolean, a: Any, b: Any -> Any", .fn = body<dsl::branch>,
     .description = "the second argument if the condition holds, else the third"},
    {.name = "compose", .signature = "outer: Callable, inner: Callable -> Callable", .fn = body<dsl::compose>,
     .description = "the function x -> outer(inner(x))", .builds = FuncKind::Compose},
    {.name = "chain", .signature = "h: Callable, g: Callable, f: Callable -> Callable", .fn = body<dsl::chain>,
     .description = "the function x -> h(g(f(x)))", .builds = FuncKind::Chain},
    {.name = "matcher", .signature = "function: Callable, target: Any -> Callable", .fn = body<dsl::matcher>,
     .description = "the predicate x -> function(x) == target", .builds = FuncKind::Matcher},
    {.name = "rbind", .signature = "function: Callable, fixed: Any -> Callable", .fn = body<dsl::rbind>,
     .description = "the function with its last argument fixed", .builds = FuncKind::Rbind},
    {.name = "lbind", .signature = "function: Callable, fixed: Any -> Callable", .fn = body<dsl::lbind>,
     .description = "the function with its first argument fixed", .builds = FuncKind::Lbind},
    {.name = "power", .signature = "function: Callable, n: Integer -> Callable", .fn = body<dsl::power>,
     .description = "the function applied n times in a row", .builds = FuncKind::Power},
    {.name = "fork", .signature = "outer: Callable, a: Callable, b: Callable -> Callable", .fn = body<dsl::fork>,
     .description = "the function x -> outer(a(x), b(x))", .builds = FuncKind::Fork},
    {.name = "apply", .signature = "function: Callable, container: Container -> Container", .fn = body<dsl::apply>,
     .description = "the function applied to every member, keeping the container's type",
     .palette = PaletteRule::Applied},
    {.name = "rapply", .signature = "functions: Container, value: Any -> Container", .fn = body<dsl::rapply>,
     .description = "every function of a container applied to one value, keeping the container's type"},
    {.name = "mapply", .signature = "function: Callable, container: ContainerContainer -> FrozenSet",
     .fn = body<dsl::mapply>, .description = "the function applied to every member, results merged one level",
     .palette = PaletteRule::MapOver},
    {.name = "papply", .signature = "function: Callable, a: Tuple, b: Tuple -> Tuple", .fn = body<dsl::papply>,
     .description = "a two-argument function applied position-wise to two containers, as a tuple"},
    {.name = "mpapply", .signature = "function: Callable, a: Tuple, b: Tuple -> Tuple", .fn = body<dsl::mpapply>,
     .description = "papply with the results merged one level"},
    {.name = "prapply", .signature = "function, a: Container, b: Container -> FrozenSet", .fn = body<dsl::prapply>,
     .description = "a two-argument function applied to every pair across two containers, as a frozenset"},
};

}  // namespace

std::span<const PrimitiveDef> arc_functional_family() { return kFunctional; }

}  // namespace megabatch::cpu
