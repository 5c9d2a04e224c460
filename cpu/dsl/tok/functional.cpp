// tokpidjin primitives: functional family (extract .. prapply): element access, filters, maps,
// combinators, and the typed _t (tuple) / _f (frozenset) variants of each. See basics.cpp for how
// the bodies follow dsl.py.
#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/tok/py.hpp"

namespace megabatch::cpu {
namespace {

using namespace tok;

const Value kOne = Value::integer(1);

// The first member satisfying the condition, frozenset() when none does.
Value extract(const Value& container, const Value& condition) {
  for (const Value& e : items(container))
    if (call1(condition, e).truthy()) return e;
  return empty_set();
}

Value ascell(const Value& ij, const Value& c) { return make_tuple({at(ij, 0), at(ij, 1), c}); }
Value toij(const Value& c) {
  if (!c.is_tuple() || c.size() < 2) return safe_raise();  // (c[0], c[1]) raises
  return make_tuple2(c.item(0), c.item(1));
}
Value astriple(const Value& i, const Value& j, const Value& c) { return make_tuple({i, j, c}); }

Value celltuple(const Value& a, const Value& b) {
  const std::vector<Value> xs = items(a), zs = items(b);
  std::vector<Value> out;
  for (std::size_t k = 0; k < std::min(xs.size(), zs.size()); ++k) {
    auto [x, y] = unpack2(xs[k]);
    out.push_back(make_tuple({std::move(x), std::move(y), zs[k]}));
  }
  return tuple(std::move(out));
}

// power(f, n): f itself for n == 1, else compose(f, power(f, n - 1)), one wrapped call per step.
// Where CPython's recursion never ends (n < 1, a fraction) or passes its limit (n of 500 and more
// from a program's top level), the innermost wrapper catches the RecursionError and, failing again
// while it looks up its default, returns (): the result is a chain of compositions ending in (),
// whose call raises "'tuple' object is not callable" before anything else runs. compose(f, ())
// behaves alike (docs/SEMANTICS.md).
constexpr std::int64_t kPowerRecursionLimit = 500;

Value power(const Value& function, const Value& n) {
  if (eq(n, kOne)) return function;
  (void)py_sub(n, kOne);  // n - 1 raises first for anything but a number
  std::int64_t k = 0;
  if (n.is_int()) {
    k = n.int_unchecked();
  } else {
    const double d = n.float_unchecked();
    const bool whole = d >= 1 && d < static_cast<double>(kPowerRecursionLimit) && d == static_cast<double>(static_cast<std::int64_t>(d));
    k = whole ? static_cast<std::int64_t>(d) : 0;
  }
  if (k < 1 || k >= kPowerRecursionLimit) return make_func(FuncKind::Compose, 1, {function, empty_tuple()});
  return make_func(FuncKind::Power, 1, {function}, k);
}

// The members satisfying the condition, as a tuple (sfilter_t) or a frozenset (sfilter_f, mfilter_t).
std::vector<Value> kept(const Value& container, const Value& condition) {
  if (!container.is_container()) not_iterable(container);
  std::vector<Value> keep;
  const std::size_t n = container.size();  // members one at a time: no copy of the whole container
  for (std::size_t k = 0; k < n; ++k) {
    Value e = container.item(k);
    if (call1(condition, e).truthy()) keep.push_back(std::move(e));
  }
  return keep;
}
// What a frozenset's members become: a subsequence of a set's canonical order is canonical already.
Value frozenset_of_kept(const Value& source, std::vector<Value> keep) {
  return source.is_set() ? make_sorted_set(std::move(keep)) : frozenset(std::move(keep));
}
Value sfilter_t(const Value& c, const Value& f) { return tuple(kept(c, f)); }
Value sfilter_f(const Value& c, const Value& f) { return frozenset_of_kept(c, kept(c, f)); }
Value mfilter(const Value& c, const Value& f) { return call<"merge_f">(call<"sfilter">(c, f)); }
Value mfilter_t(const Value& c, const Value& f) { return frozenset_of_kept(c, kept(c, f)); }  // not merged: tokpidjin's body

Value first_t(const Value& c) { return c.truthy() ? at(c, 0) : empty_tuple(); }
Value first_f(const Value& c) {
  if (!c.truthy()) return empty_set();
  return first_of(c);
}

// max(enumerate(c))[1]: the last member in iteration order.
Value last_member(const Value& c) {
  if (!c.is_container()) not_iterable(c);
  return c.item(c.size() - 1);
}
Value last(const Value& c) { return c.truthy() ? last_member(c) : empty_tuple(); }
Value last_t(const Value& c) { return c.truthy() ? at(c, -1) : empty_tuple(); }
Value last_f(const Value& c) { return c.truthy() ? last_member(c) : empty_set(); }

std::vector<Value> without(const Value& value, const Value& container) {
  std::vector<Value> keep;
  for (Value& e : items(container))
    if (ne(e, value)) keep.push_back(std::move(e));
  return keep;
}
Value remove_t(const Value& value, const Value& c) { return tuple(without(value, c)); }
Value remove_f(const Value& value, const Value& c) { return same_type(c, without(value, c)); }

Value other(const Value& c, const Value& value) { return call<"first">(call<"remove">(value, c)); }
Value other_t(const Value& c, const Value& value) {
  std::vector<Value> rest = without(value, c);
  return rest.empty() ? empty_tuple() : rest.front();
}
Value other_f(const Value& c, const Value& value) {
  Value rest = call<"remove_f">(value, c);
  return rest.truthy() ? first_of(rest) : empty_set();
}

std::vector<Value> mapped(const Value& function, const Value& container) {
  std::vector<Value> out;
  for (const Value& e : items(container)) out.push_back(call1(function, e));
  return out;
}
Value apply_t(const Value& f, const Value& c) { return tuple(mapped(f, c)); }
Value rapply_t(const Value& functions, const Value& value) {
  std::vector<Value> out;
  for (const Value& f : items(functions)) out.push_back(call1(f, value));
  return tuple(std::move(out));
}

Value mapply(const Value& f, const Value& c) { return call<"merge">(call<"apply">(f, c)); }
Value mapply_t(const Value& f, const Value& c) { return call<"merge_t">(call<"apply_t">(f, c)); }
Value mapply_f(const Value& f, const Value& c) { return call<"merge_f">(call<"apply_f">(f, c)); }
Value mpapply(const Value& f, const Value& a, const Value& b) { return call<"merge_t">(call<"papply">(f, a, b)); }

using dsl::body;

constexpr PrimitiveDef kTokFunctional[] = {
    {.name = "extract", .signature = "container: Container, condition: Callable -> Any", .fn = body<extract>,
     .description = "the first member satisfying a condition, frozenset() when none does"},
    {.name = "totuple", .signature = "container: FrozenSet -> Tuple", .fn = body<dsl::totuple>,
     .description = "the members as a tuple"},
    {.name = "insert", .signature = "value: Any, container: FrozenSet -> FrozenSet", .fn = body<dsl::insert>,
     .description = "a frozenset with the value added"},
    {.name = "other", .signature = "container: Container, value: Any -> Any", .fn = body<other>,
     .description = "the first member that differs from the value, None when none does"},
    {.name = "interval", .signature = "start: Integer, stop: Integer, step: Integer -> Tuple", .fn = body<dsl::interval>,
     .description = "tuple(range(start, stop, step))"},
    {.name = "astuple", .signature = "a: Any, b: Any -> Tuple", .fn = body<dsl::astuple>, .description = "(a, b)"},
    {.name = "ascell", .signature = "ij: IJ, c: C_ -> Tuple", .fn = body<ascell>, .description = "the cell (i, j, c)"},
    {.name = "toij", .signature = "c: Cell -> IJ", .fn = body<toij>, .description = "a cell's (i, j)"},
    {.name = "astriple", .signature = "i: I_, j: J_, c: C_ -> Tuple", .fn = body<astriple>, .description = "(i, j, c)"},
    {.name = "product", .signature = "a: Container, b: Container -> FrozenSet", .fn = body<dsl::product>,
     .description = "every (x, y) with x from a and y from b", .palette = PaletteRule::Keeps01},
    {.name = "pair", .signature = "a: Tuple, b: Tuple -> TupleTuple", .fn = body<dsl::pair>,
     .description = "the members of two containers zipped into pairs"},
    {.name = "celltuple", .signature = "a: Tuple, b: Tuple -> TupleTuple", .fn = body<celltuple>,
     .description = "cells (i, j, c) zipped from positions and colours"},
    {.name = "branch", .signature = "condition: Boolean, a: Any, b: Any -> Any", .fn = body<dsl::branch>,
     .description = "a if the condition holds, else b"},
    {.name = "c_branch", .signature = "condition: Boolean, a: C_, b: C_ -> Any", .fn = body<dsl::branch>,
     .description = "branch for colours"},
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
    {.name = "power", .signature = "function: Callable, n: Integer -> Callable", .fn = body<power>,
     .description = "the function applied n times in a row", .builds = FuncKind::Power},
    {.name = "fork", .signature = "outer: Callable, a: Callable, b: Callable -> Callable", .fn = body<dsl::fork>,
     .description = "the function x -> outer(a(x), b(x))", .builds = FuncKind::Fork},
    {.name = "sfilter", .signature = "container: Container, condition: Callable -> Container", .fn = body<dsl::sfilter>,
     .description = "the members satisfying a condition, in the container's type", .palette = PaletteRule::Keeps0},
    {.name = "sfilter_t", .signature = "container: Tuple, condition: Callable -> Tuple", .fn = body<sfilter_t>,
     .description = "the members satisfying a condition, as a tuple", .palette = PaletteRule::Keeps0},
    {.name = "sfilter_f", .signature = "container: FrozenSet, condition: Callable -> FrozenSet", .fn = body<sfilter_f>,
     .description = "the members satisfying a condition, as a frozenset", .palette = PaletteRule::Keeps0},
    {.name = "mfilter", .signature = "container: Container, function: Callable -> FrozenSet", .fn = body<mfilter>,
     .description = "merge_f of sfilter", .palette = PaletteRule::Keeps0},
    {.name = "mfilter_t", .signature = "container: Tuple, function: Callable -> FrozenSet", .fn = body<mfilter_t>,
     .description = "the members satisfying a condition, as a frozenset (not merged)", .palette = PaletteRule::Keeps0},
    {.name = "mfilter_f", .signature = "container: FrozenSet, function: Callable -> FrozenSet", .fn = body<mfilter>,
     .description = "merge_f of sfilter", .palette = PaletteRule::Keeps0},
    {.name = "first_t", .signature = "container: Tuple -> Any", .fn = body<first_t>,
     .description = "container[0], () when empty"},
    {.name = "first_f", .signature = "container: FrozenSet -> Any", .fn = body<first_f>,
     .description = "the first member in iteration order, frozenset() when empty"},
    {.name = "last", .signature = "container: Container -> Any", .fn = body<last>,
     .description = "the last member in iteration order, () when empty"},
    {.name = "last_t", .signature = "container: Tuple -> Any", .fn = body<last_t>,
     .description = "container[-1], () when empty"},
    {.name = "last_f", .signature = "container: FrozenSet -> Any", .fn = body<last_f>,
     .description = "the last member in iteration order, frozenset() when empty"},
    {.name = "remove", .signature = "value: Any, container: Container -> Container", .fn = body<dsl::remove>,
     .description = "the members other than the value, in the container's type"},
    {.name = "remove_t", .signature = "value: Any, container: Tuple -> Tuple", .fn = body<remove_t>,
     .description = "the members other than the value, as a tuple"},
    {.name = "remove_f", .signature = "value: Any, container: FrozenSet -> FrozenSet", .fn = body<remove_f>,
     .description = "the members other than the value, in the container's type"},
    {.name = "other_t", .signature = "container: Tuple, value: Any -> Any", .fn = body<other_t>,
     .description = "the first member other than the value, () when none"},
    {.name = "other_f", .signature = "container: FrozenSet, value: Any -> Any", .fn = body<other_f>,
     .description = "the first member other than the value, frozenset() when none"},
    {.name = "apply", .signature = "function: Callable, container: Container -> Container", .fn = body<dsl::apply>,
     .description = "the function over every member, in the container's type", .palette = PaletteRule::Applied},
    {.name = "apply_t", .signature = "function: Callable, container: Tuple -> Tuple", .fn = body<apply_t>,
     .description = "the function over every member, as a tuple", .palette = PaletteRule::Applied},
    {.name = "apply_f", .signature = "function: Callable, container: FrozenSet -> FrozenSet", .fn = body<dsl::apply>,
     .description = "the function over every member, in the container's type", .palette = PaletteRule::Applied},
    {.name = "rapply", .signature = "functions: Container, value: Any -> Container", .fn = body<dsl::rapply>,
     .description = "every function applied to the value, in the container's type"},
    {.name = "rapply_t", .signature = "functions: Tuple, value: Any -> Tuple", .fn = body<rapply_t>,
     .description = "every function applied to the value, as a tuple"},
    {.name = "rapply_f", .signature = "functions: FrozenSet, value: Any -> FrozenSet", .fn = body<dsl::rapply>,
     .description = "every function applied to the value, in the container's type"},
    {.name = "mapply", .signature = "function: Callable, container: ContainerContainer -> FrozenSet", .fn = body<mapply>,
     .description = "merge of apply", .palette = PaletteRule::MapOver},
    {.name = "mapply_t", .signature = "function: Callable, container: Tuple -> Tuple", .fn = body<mapply_t>,
     .description = "merge_t of apply_t", .palette = PaletteRule::MapOver},
    {.name = "mapply_f", .signature = "function: Callable, container: FrozenSet -> FrozenSet", .fn = body<mapply_f>,
     .description = "merge_f of apply_f", .palette = PaletteRule::MapOver},
    {.name = "papply", .signature = "function: Callable, a: Tuple, b: Tuple -> Tuple", .fn = body<dsl::papply>,
     .description = "a two-argument function over the zipped members, as a tuple"},
    {.name = "mpapply", .signature = "function: Callable, a: Tuple, b: Tuple -> Tuple", .fn = body<mpapply>,
     .description = "merge_t of papply"},
    {.name = "prapply", .signature = "function, a: Container, b: Container -> FrozenSet", .fn = body<dsl::prapply>,
     .description = "a two-argument function over every pair across two containers, as a frozenset"},
};

}  // namespace

std::span<const PrimitiveDef> tok_functional_family() { return kTokFunctional; }

}  // namespace megabatch::cpu
