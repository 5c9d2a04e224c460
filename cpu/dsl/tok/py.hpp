// The Python that tokpidjin's dsl.py is written in, as the tokpidjin families use it: builtins
// (len, sorted, max with a key and a default, zip, range, Counter.most_common), protocols (iteration,
// indexing, unpacking, `type(x)(...)`, `hasattr(x, '__len__')`) and calls of other tokpidjin
// primitives through their safe_dsl wrappers, as dsl.py's global lookups reach them.
//
// Every helper raises EvalError where CPython raises; inside a tokpidjin primitive that only means
// "return your default" (the registry's safe net), so messages are short.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu::tok {

// ---- calls of other tokpidjin primitives, through their wrappers -------------------------------

template <std::size_t N>
struct Name {
  char text[N];
  consteval Name(const char (&s)[N]) {  // NOLINT: implicit on purpose, call<"first">(x)
    for (std::size_t k = 0; k < N; ++k) text[k] = s[k];
  }
};

int tokpidjin_id(std::string_view name);  // throws std::logic_error when not registered

// The primitive as a value (what a global name evaluates to in dsl.py).
template <Name N>
const Value& prim() {
  static const Value v = Value::primitive(tokpidjin_id(N.text));
  return v;
}

// dsl.py's `name(args...)`: the wrapped primitive, so a failure returns its default.
template <Name N, class... A>
Value call(const A&... args) {
  const Value a[] = {Value::borrow(args)...};
  return cpu::call(prim<N>(), std::span<const Value>(a, sizeof...(A)));
}

// ---- protocols --------------------------------------------------------------------------------

[[noreturn]] void raise(const char* what);
[[noreturn]] void not_iterable(const Value& v);

inline bool has_len(const Value& v) { return v.is_container(); }  // hasattr(v, '__len__')
inline std::size_t len(const Value& v) { return v.size(); }       // len(v); raises for the others
// list(v): the members in iteration order.
inline std::vector<Value> items(const Value& v) { return elements(v); }
// v[k] for an int-like k (bool included); IndexError, TypeError as Python.
Value at(const Value& v, const Value& k);
inline Value at(const Value& v, std::int64_t k) { return py_index(v, k); }
// v[start:stop:step] (tuples only).
Value slice(const Value& v, std::optional<std::int64_t> start, std::optional<std::int64_t> stop, std::int64_t step = 1);
// len(v[0]), without building the row of a dense grid.
inline std::size_t len0(const Value& v) {
  if (v.kind() == Kind::Grid) return static_cast<std::size_t>(v.grid().w);
  return len(at(v, 0));
}
// An int for range(), an index or a count: ints and bools; TypeError otherwise.
std::int64_t as_int(const Value& v);
// `a, b, c = v` over any iterable of exactly three members (unpack2 is pyops').
std::array<Value, 3> unpack3(const Value& v);
// next(iter(v)): the first member; StopIteration (an error) when empty.
Value first_of(const Value& v);

bool eq(const Value& a, const Value& b);
// x == () and x == frozenset(), without making either.
// Every representation counts: an empty Grid is (), an empty Indices is frozenset().
inline bool is_empty_tuple(const Value& v) { return v.is_tuple() && v.size() == 0; }
inline bool is_empty_set(const Value& v) { return v.is_set() && v.size() == 0; }
// Whether `a, b = v` (n names) unpacks: any container of exactly n members.
inline bool unpacks_into(const Value& v, std::size_t n) { return v.is_container() && v.size() == n; }
inline bool ne(const Value& a, const Value& b) { return !eq(a, b); }
bool lt(const Value& a, const Value& b);
bool le(const Value& a, const Value& b);
inline bool gt(const Value& a, const Value& b) { return lt(b, a); }
inline bool ge(const Value& a, const Value& b) { return le(b, a); }
// a & b, a | b: ints bitwise, sets intersection / union.
Value bit_and(const Value& a, const Value& b);
Value bit_or(const Value& a, const Value& b);

inline Value tuple(std::vector<Value> v) { return make_tuple(std::move(v)); }
inline Value frozenset(std::vector<Value> v) { return make_set(std::move(v)); }
// type(c)(): the empty value of c's type (int() is 0, NoneType() is None).
Value empty_of(const Value& c);
// c.count(x) and c.index(x): tuples only (a frozenset has neither).
std::int64_t count_of(const Value& c, const Value& x);
std::int64_t index_of(const Value& c, const Value& x);

// ---- builtins ---------------------------------------------------------------------------------

using Key = std::function<Value(const Value&)>;
// max / min over members with a key, the first extreme kept; `fallback` when empty (else ValueError).
Value max_of(std::span<const Value> members, const Key& key = nullptr, const Value* fallback = nullptr);
Value min_of(std::span<const Value> members, const Key& key = nullptr, const Value* fallback = nullptr);
// sorted(members, key=key, reverse=reverse), CPython's stable algorithm.
std::vector<Value> sorted(std::vector<Value> members, const Key& key = nullptr, bool reverse = false);
// Counter(members).most_common(): distinct members, most frequent first, ties in first-seen order.
std::vector<Value> most_common(std::span<const Value> members);
// The same over the values of a dense grid or the colours of a packed object, as ints: distinct
// values ascending, each with its count and first position.
struct IntTally {
  std::vector<std::int64_t> values, counts;
  std::vector<std::size_t> first;
  std::vector<std::size_t> most_common() const;  // positions into values, Counter's order
};
IntTally tally(std::span<const std::int32_t> ints);
// The ints of a Grid's cells (row-major) or of a TripleSet's colours (in its order); nullopt for others.
std::optional<std::vector<std::int32_t>> packed_colours(const Value& v);
// set(members) as it iterates here: ascending, distinct.
std::vector<Value> distinct(std::vector<Value> members);
// range(start, stop, step) as ints; ValueError on a zero step. Charges the cells it builds.
std::vector<std::int64_t> range(std::int64_t start, std::int64_t stop, std::int64_t step = 1);

// zip(*rows): the i-th members of every row, as many as the shortest row has.
std::vector<std::vector<Value>> zip_rows(std::span<const Value> rows);
// sum(members) from 0.
Value sum_of(std::span<const Value> members);
// abs(x).
inline Value abs_of(const Value& x) { return py_abs(x); }
// math.nan, math.inf, -math.inf.
inline Value nan() { return Value::floating(std::numeric_limits<double>::quiet_NaN()); }
inline Value inf() { return Value::floating(std::numeric_limits<double>::infinity()); }
inline Value neg_inf() { return Value::floating(-std::numeric_limits<double>::infinity()); }

}  // namespace megabatch::cpu::tok
