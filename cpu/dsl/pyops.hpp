// Python's operators and builtins on Values, as arc-dsl relies on them: `+` concatenates tuples,
// `-` on frozensets is a difference, `<` on frozensets is the subset order, `//` and `%` floor,
// max/min with a key keep the first extreme in iteration order, sorted is CPython's stable sort.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <span>
#include <utility>
#include <vector>

#include "engine/value.hpp"

namespace megabatch::cpu {

[[noreturn]] void type_error(const char* op, const Value& a, const Value& b);
[[noreturn]] void type_error(const std::string& message);

Value py_add(const Value& a, const Value& b);
Value py_sub(const Value& a, const Value& b);
Value py_mul(const Value& a, const Value& b);
Value py_floordiv(const Value& a, const Value& b);
Value py_mod(const Value& a, const Value& b);
Value py_neg(const Value& a);
Value py_abs(const Value& a);
std::int64_t floordiv(std::int64_t a, std::int64_t b);  // throws EvalError on b == 0
std::int64_t floormod(std::int64_t a, std::int64_t b);

bool py_eq(const Value& a, const Value& b);
// Python's containment test (`in`, list.count, list.index): identity first, then ==. A nan is taken
// to be math.nan itself, the one nan tokpidjin makes, so it is `in` a container holding a nan.
bool py_eq_or_same(const Value& a, const Value& b);
bool py_lt(const Value& a, const Value& b);  // TypeError across unorderable types
bool py_gt(const Value& a, const Value& b);
bool py_contains(const Value& container, const Value& v);  // `v in container`

// container[k] with Python's negative indices; IndexError when out of range.
Value py_index(const Value& container, std::int64_t k);
// container[start:stop:step] on a tuple (None is represented by std::nullopt).
Value py_slice(const Value& tuple, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
               std::int64_t step = 1);

// Materialises iteration order (rows of a grid, ascending members of a set).
std::vector<Value> elements(const Value& container);
// Python's `a, b = x`: exactly two items from any iterable.
std::pair<Value, Value> unpack2(const Value& x);

// Python's max/min(iterable, key=...): the first extreme in iteration order; EvalError when empty.
using KeyFn = std::function<Value(const Value&)>;
Value py_max(std::span<const Value> items, const KeyFn& key, const char* who);
Value py_min(std::span<const Value> items, const KeyFn& key, const char* who);

// max/min(container, key=function) straight over the container: no copy of its members and no
// std::function per call (argmax/valmin and friends run inside closures, millions of times).
// Returns the index of the first extreme member; EvalError when empty or not iterable.
std::size_t py_arg_extreme(const Value& container, const Value& function, bool want_max, const char* who);

// CPython's list.sort on keys (count_run + binary insertion), so even inconsistent orders such as
// the subset order of frozensets come out as CPython's sorted() would for small inputs.
std::vector<Value> py_sorted(std::vector<Value> items, const KeyFn& key);
// The positions of `keys` in that sorted order.
std::vector<std::size_t> py_sort_order(std::span<const Value> keys);

// Rebuilds a container of the same Python type (`type(container)(gen)`).
Value same_type(const Value& container, std::vector<Value> items);

}  // namespace megabatch::cpu
