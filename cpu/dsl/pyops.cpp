// Python operator semantics on Values (see pyops.hpp).
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

#include <algorithm>
#include <cmath>

namespace megabatch::cpu {

void type_error(const char* op, const Value& a, const Value& b) {
  throw EvalError(std::string("unsupported operand type(s) for ") + op + ": '" + a.type_name() + "' and '" +
                  b.type_name() + "'");
}
void type_error(const std::string& message) { throw EvalError(message); }

namespace {
std::int64_t checked(bool overflow, const std::int64_t& r) {  // by reference: read after the builtin wrote it
  // Python ints are unbounded; megabatch's are 64-bit and say so instead of wrapping.
  if (overflow) throw EvalError("integer overflow beyond 64 bits");
  return r;
}
}  // namespace

namespace {

// Arithmetic with a float operand, as CPython's float object does it (an int operand converted).
double fl(const Value& v) { return v.as_double(); }
bool float_operands(const Value& a, const Value& b) {
  return a.is_number() && b.is_number() && (a.is_float() || b.is_float());
}

// CPython's _float_div_mod: the floor quotient and the modulo with the divisor's sign.
std::pair<double, double> float_divmod(double vx, double wx) {
  if (wx == 0.0) throw EvalError("float floor division by zero");
  double mod = std::fmod(vx, wx);
  double div = (vx - mod) / wx;
  if (mod != 0.0) {
    if ((wx < 0) != (mod < 0)) {
      mod += wx;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, wx);
  }
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, vx / wx);
  }
  return {floordiv, mod};
}

}  // namespace

std::int64_t floordiv(std::int64_t a, std::int64_t b) {
  if (b == 0) throw EvalError("integer division or modulo by zero");
  if (a == INT64_MIN && b == -1) throw EvalError("integer overflow beyond 64 bits");
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t floormod(std::int64_t a, std::int64_t b) {
  if (b == 0) throw EvalError("integer division or modulo by zero");
  if (b == -1) return 0;
  std::int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

std::vector<Value> elements(const Value& c) {
  if (!c.is_container()) throw EvalError(std::string("'") + c.type_name() + "' object is not iterable");
  std::vector<Value> out;
  std::size_t n = c.size();
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) out.push_back(c.item(k));
  return out;
}

std::pair<Value, Value> unpack2(const Value& x) {
  switch (x.kind()) {
    case Kind::Pair: {
      const Point p = x.point();
      return {Value::integer(p.i), Value::integer(p.j)};
    }
    case Kind::Cell: {
      const CellV c = x.cellv();
      return {Value::integer(c.c), Value::pair(c.i, c.j)};
    }
    case Kind::Int: case Kind::Float: case Kind::None: case Kind::Func:
      throw EvalError(std::string("cannot unpack non-iterable ") + x.type_name() + " object");
    default: break;
  }
  const std::size_t n = x.size();
  if (n > 2) throw EvalError("too many values to unpack (expected 2)");
  if (n < 2) throw EvalError("not enough values to unpack (expected 2, got " + std::to_string(n) + ")");
  return {x.item(0), x.item(1)};
}

Value py_add(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    std::int64_t r;
    return Value::integer(checked(__builtin_add_overflow(a.int_unchecked(), b.int_unchecked(), &r), r));
  }
  if (float_operands(a, b)) return Value::floating(fl(a) + fl(b));
  if (a.is_tuple() && b.is_tuple()) {
    std::vector<Value> all = elements(a);
    for (Value& v : elements(b)) all.push_back(std::move(v));
    return make_tuple(std::move(all));
  }
  if (a.is_tuple()) type_error(std::string("can only concatenate tuple (not \"") + b.type_name() + "\") to tuple");
  type_error("+", a, b);
}

Value py_sub(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    std::int64_t r;
    return Value::integer(checked(__builtin_sub_overflow(a.int_unchecked(), b.int_unchecked(), &r), r));
  }
  if (float_operands(a, b)) return Value::floating(fl(a) - fl(b));
  if (a.is_set() && b.is_set()) {
    std::vector<Value> keep;
    for (Value& v : elements(a))
      if (!py_contains(b, v)) keep.push_back(std::move(v));
    return make_set(std::move(keep));
  }
  type_error("-", a, b);
}

Value py_mul(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    std::int64_t r;
    return Value::integer(checked(__builtin_mul_overflow(a.int_unchecked(), b.int_unchecked(), &r), r));
  }
  if (float_operands(a, b)) return Value::floating(fl(a) * fl(b));
  // tuple * n repeats the tuple (n <= 0 gives the empty tuple)
  if ((a.is_tuple() && b.is_int()) || (a.is_int() && b.is_tuple())) {
    const Value& t = a.is_tuple() ? a : b;
    std::int64_t n = a.is_tuple() ? b.int_unchecked() : a.int_unchecked();
    if (n <= 0) return empty_tuple();
    charge_cells(static_cast<std::int64_t>(t.size()) * n);
    std::vector<Value> base = elements(t), all;
    all.reserve(base.size() * n);
    for (std::int64_t k = 0; k < n; ++k) all.insert(all.end(), base.begin(), base.end());
    return make_tuple(std::move(all));
  }
  // a sequence times anything but an int: Python names the other operand
  if (a.is_tuple()) type_error(std::string("can't multiply sequence by non-int of type '") + b.type_name() + "'");
  if (b.is_tuple() && !a.is_int()) type_error(std::string("can't multiply sequence by non-int of type '") + a.type_name() + "'");
  type_error("*", a, b);
}

Value py_floordiv(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return Value::integer(floordiv(a.int_unchecked(), b.int_unchecked()));
  if (float_operands(a, b)) return Value::floating(float_divmod(fl(a), fl(b)).first);
  type_error("//", a, b);
}

Value py_mod(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return Value::integer(floormod(a.int_unchecked(), b.int_unchecked()));
  if (float_operands(a, b)) {
    if (fl(b) == 0.0) throw EvalError("float modulo");
    return Value::floating(float_divmod(fl(a), fl(b)).second);
  }
  type_error("%", a, b);
}

Value py_neg(const Value& a) {
  if (a.is_int()) {
    if (a.int_unchecked() == INT64_MIN) throw EvalError("integer overflow beyond 64 bits");
    return Value::integer(-a.int_unchecked());
  }
  if (a.is_float()) return Value::floating(-a.float_unchecked());
  throw EvalError(std::string("bad operand type for unary -: '") + a.type_name() + "'");
}

Value py_abs(const Value& a) {
  if (a.is_int()) return a.int_unchecked() < 0 ? py_neg(a) : Value::integer(a.int_unchecked());
  if (a.is_float()) return Value::floating(std::fabs(a.float_unchecked()));
  throw EvalError(std::string("bad operand type for abs(): '") + a.type_name() + "'");
}

bool py_eq(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.int_unchecked() == b.int_unchecked();  // colours, sizes: most calls
  // nan == nan is false; inside containers equal nans count as the same object (see compare).
  if (float_operands(a, b)) return fl(a) == fl(b) && compare(a, b) == 0;
  return compare(a, b) == 0;
}

bool py_eq_or_same(const Value& a, const Value& b) {
  if (a.is_float() && b.is_float() && std::isnan(a.float_unchecked()) && std::isnan(b.float_unchecked())) return true;
  return py_eq(a, b);
}

namespace {
bool is_subset(const Value& a, const Value& b) {
  if (a.size() > b.size()) return false;
  for (std::size_t k = 0, n = a.size(); k < n; ++k)
    if (!py_contains(b, a.item(k))) return false;
  return true;
}
[[noreturn]] void order_error(const char* op, const Value& a, const Value& b) {
  throw EvalError(std::string("'") + op + "' not supported between instances of '" + a.type_name() + "' and '" +
                  b.type_name() + "'");
}
}  // namespace

bool py_lt(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.int_unchecked() < b.int_unchecked();
  if (float_operands(a, b)) return !std::isnan(fl(a)) && !std::isnan(fl(b)) && compare(a, b) < 0;
  if (a.is_tuple() && b.is_tuple()) {
    const DepthGuard depth;
    // Python: find the first index where the items differ (==), then compare those items with <.
    if (a.kind() == b.kind() && a.kind() != Kind::Tuple) return compare(a, b) < 0;  // homogeneous fast path
    std::size_t na = a.size(), nb = b.size(), n = std::min(na, nb);
    for (std::size_t k = 0; k < n; ++k) {
      Value x = a.item(k), y = b.item(k);
      if (!py_eq(x, y)) return py_lt(x, y);
    }
    return na < nb;
  }
  if (a.is_set() && b.is_set()) return a.size() < b.size() && is_subset(a, b);
  order_error("<", a, b);
}

bool py_gt(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.int_unchecked() > b.int_unchecked();
  if (float_operands(a, b)) return !std::isnan(fl(a)) && !std::isnan(fl(b)) && compare(a, b) > 0;
  if (a.is_set() && b.is_set()) return a.size() > b.size() && is_subset(b, a);
  if (a.is_tuple() && b.is_tuple()) return py_lt(b, a);
  order_error(">", a, b);
}

bool py_contains(const Value& c, const Value& v) {
  switch (c.kind()) {
    case Kind::Indices: {
      if (v.kind() != Kind::Pair) return false;
      auto pts = c.points();
      return std::binary_search(pts.begin(), pts.end(), v.point());
    }
    case Kind::Object: {
      if (v.kind() != Kind::Cell) return false;
      auto cs = c.cells();
      return std::binary_search(cs.begin(), cs.end(), v.cellv());
    }
    case Kind::TripleSet: {
      if (v.kind() != Kind::Triple) return false;
      auto ts = c.triples();
      return std::binary_search(ts.begin(), ts.end(), v.triplev());
    }
    case Kind::Set: {
      auto items = c.items();
      return std::binary_search(items.begin(), items.end(), v,
                                [](const Value& x, const Value& y) { return compare(x, y) < 0; });
    }
    case Kind::Grid: {
      if (!v.is_tuple()) return false;
      for (std::size_t k = 0, n = c.size(); k < n; ++k)
        if (py_eq(c.item(k), v)) return true;
      return false;
    }
    case Kind::Pair: case Kind::Cell: case Kind::Triple: case Kind::Tuple: {
      for (std::size_t k = 0, n = c.size(); k < n; ++k)
        if (py_eq_or_same(c.item(k), v)) return true;
      return false;
    }
    case Kind::Int: case Kind::Float: case Kind::None: case Kind::Func: break;
  }
  throw EvalError(std::string("argument of type '") + c.type_name() + "' is not iterable");
}

Value py_index(const Value& c, std::int64_t k) {
  if (!c.is_tuple()) {
    if (c.is_set()) throw EvalError("'frozenset' object is not subscriptable");
    throw EvalError(std::string("'") + c.type_name() + "' object is not subscriptable");
  }
  std::int64_t n = static_cast<std::int64_t>(c.size());
  if (k < 0) k += n;
  if (k < 0 || k >= n) throw EvalError("tuple index out of range");
  return c.item(static_cast<std::size_t>(k));
}

Value py_slice(const Value& t, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
               std::int64_t step) {
  if (!t.is_tuple()) throw EvalError(std::string("'") + t.type_name() + "' object is not subscriptable");
  if (step == 0) throw EvalError("slice step cannot be zero");
  std::int64_t n = static_cast<std::int64_t>(t.size());
  auto clamp = [&](std::optional<std::int64_t> x, std::int64_t dflt, std::int64_t lo, std::int64_t hi) {
    if (!x) return dflt;
    std::int64_t v = *x;
    if (v < 0) v += n;
    return std::clamp(v, lo, hi);
  };
  std::int64_t s, e;
  if (step > 0) {
    s = clamp(start, 0, 0, n);
    e = clamp(stop, n, 0, n);
  } else {
    s = clamp(start, n - 1, -1, n - 1);
    e = clamp(stop, -1, -1, n - 1);
  }
  std::vector<Value> out;
  if (t.kind() == Kind::Grid && step == 1 && s < e) {
    const Grid& g = t.grid();
    Grid r(static_cast<int>(e - s), g.w);
    std::copy(g.cells.begin() + s * g.w, g.cells.begin() + e * g.w, r.cells.begin());
    return make_grid(std::move(r));
  }
  for (std::int64_t k = s; step > 0 ? k < e : k > e; k += step) out.push_back(t.item(static_cast<std::size_t>(k)));
  return make_tuple(std::move(out));
}

namespace {

// Index of the first extreme of n keys (Python's max/min keep the first of equal keys); key(k)
// yields the k-th key. Int keys, the usual case (sizes, counts, distances), skip the generic order.
template <class Key>
std::size_t first_extreme(std::size_t n, bool want_max, Key&& key) {
  std::size_t best = 0;
  Value best_key = key(0);
  for (std::size_t k = 1; k < n; ++k) {
    Value kk = key(k);
    const bool better = kk.is_int() && best_key.is_int()
                            ? (want_max ? kk.int_unchecked() > best_key.int_unchecked()
                                        : kk.int_unchecked() < best_key.int_unchecked())
                            : (want_max ? py_gt(kk, best_key) : py_lt(kk, best_key));
    if (better) best = k, best_key = std::move(kk);
  }
  return best;
}

Value py_extreme(std::span<const Value> items, const KeyFn& key, bool want_max, const char* who) {
  if (items.empty()) throw EvalError(std::string(who) + "() arg is an empty sequence");
  return items[first_extreme(items.size(), want_max, [&](std::size_t k) { return key ? key(items[k]) : items[k]; })];
}

}  // namespace

Value py_max(std::span<const Value> items, const KeyFn& key, const char* who) {
  return py_extreme(items, key, true, who);
}

Value py_min(std::span<const Value> items, const KeyFn& key, const char* who) {
  return py_extreme(items, key, false, who);
}

std::size_t py_arg_extreme(const Value& container, const Value& function, bool want_max, const char* who) {
  if (!container.is_container())
    throw EvalError(std::string("'") + container.type_name() + "' object is not iterable");
  const std::size_t n = container.size();
  if (n == 0) throw EvalError(std::string(who) + "() arg is an empty sequence");
  if (function.is_none())  // key=None compares the members themselves
    return first_extreme(n, want_max, [&](std::size_t k) { return container.item(k); });
  if (container.kind() == Kind::Tuple || container.kind() == Kind::Set) {
    auto items = container.items();
    return first_extreme(n, want_max, [&](std::size_t k) { return call1(function, items[k]); });
  }
  return first_extreme(n, want_max, [&](std::size_t k) { return call1(function, container.item(k)); });
}

std::vector<std::size_t> py_sort_order(std::span<const Value> keys) {
  const std::size_t n = keys.size();
  std::vector<std::size_t> idx(n);
  for (std::size_t k = 0; k < n; ++k) idx[k] = k;
  if (n < 2) return idx;
  // Keys that are all ints cannot raise and order totally: any stable sort gives CPython's order.
  if (std::all_of(keys.begin(), keys.end(), [](const Value& v) { return v.is_int(); })) {
    const auto less = [&](std::size_t x, std::size_t y) { return keys[x].int_unchecked() < keys[y].int_unchecked(); };
    if (n > 32) {
      std::stable_sort(idx.begin(), idx.end(), less);
      return idx;
    }
    for (std::size_t s = 1; s < n; ++s)  // short: insertion, right of equal keys, without a buffer
      for (std::size_t k = s; k > 0 && less(idx[k], idx[k - 1]); --k) std::swap(idx[k], idx[k - 1]);
    return idx;
  }
  auto lt = [&](std::size_t x, std::size_t y) { return py_lt(keys[x], keys[y]); };
  // count_run: a strictly descending prefix is reversed, a non-descending one kept.
  std::size_t run = 2;
  if (lt(idx[1], idx[0])) {
    while (run < n && lt(idx[run], idx[run - 1])) ++run;
    std::reverse(idx.begin(), idx.begin() + run);
  } else {
    while (run < n && !lt(idx[run], idx[run - 1])) ++run;
  }
  // binary insertion of the rest, right of equal keys (stability)
  for (std::size_t s = run; s < n; ++s) {
    std::size_t pivot = idx[s], l = 0, r = s;
    while (l < r) {
      std::size_t p = l + ((r - l) >> 1);
      if (lt(pivot, idx[p])) r = p;
      else l = p + 1;
    }
    std::move_backward(idx.begin() + l, idx.begin() + s, idx.begin() + s + 1);
    idx[l] = pivot;
  }
  return idx;
}

std::vector<Value> py_sorted(std::vector<Value> items, const KeyFn& key) {
  std::vector<Value> keys;
  keys.reserve(items.size());
  for (const Value& v : items) keys.push_back(key ? key(v) : v);  // CPython calls the key even for one item
  std::vector<Value> out;
  out.reserve(items.size());
  for (std::size_t k : py_sort_order(keys)) out.push_back(std::move(items[k]));
  return out;
}

Value same_type(const Value& container, std::vector<Value> items) {
  if (container.is_set()) return make_set(std::move(items));
  if (container.is_tuple()) return make_tuple(std::move(items));
  throw EvalError(std::string("'") + container.type_name() + "' object is not iterable");
}

}  // namespace megabatch::cpu
