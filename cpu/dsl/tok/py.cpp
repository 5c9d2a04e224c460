#include "cpu/dsl/tok/py.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace megabatch::cpu::tok {

int tokpidjin_id(std::string_view name) {
  const int id = primitive_id(name, Dialect::Tokpidjin);
  if (id < 0) throw std::logic_error("tokpidjin primitive '" + std::string(name) + "' is not registered");
  return id;
}

void raise(const char* what) { throw EvalError(what); }

void not_iterable(const Value& v) { throw EvalError(std::string("'") + v.type_name() + "' object is not iterable"); }

Value at(const Value& v, const Value& k) {
  if (!v.is_tuple()) {
    if (v.is_container()) throw EvalError("'frozenset' object is not subscriptable");
    throw EvalError(std::string("'") + v.type_name() + "' object is not subscriptable");
  }
  if (!k.is_int()) throw EvalError(std::string("tuple indices must be integers or slices, not ") + k.type_name());
  return py_index(v, k.int_unchecked());
}

Value slice(const Value& v, std::optional<std::int64_t> start, std::optional<std::int64_t> stop, std::int64_t step) {
  if (v.is_set()) throw EvalError("'frozenset' object is not subscriptable");
  return py_slice(v, start, stop, step);
}

std::int64_t as_int(const Value& v) {
  if (!v.is_int()) throw EvalError(std::string("'") + v.type_name() + "' object cannot be interpreted as an integer");
  return v.int_unchecked();
}

std::array<Value, 3> unpack3(const Value& v) {
  if (v.kind() == Kind::Triple) {
    const TripleV t = v.triplev();
    return {Value::integer(t.i), Value::integer(t.j), Value::integer(t.c)};
  }
  if (!v.is_container()) throw EvalError(std::string("cannot unpack non-iterable ") + v.type_name() + " object");
  const std::size_t n = v.size();
  if (n != 3) throw EvalError(n > 3 ? "too many values to unpack (expected 3)" : "not enough values to unpack");
  return {v.item(0), v.item(1), v.item(2)};
}

Value first_of(const Value& v) {
  if (!v.is_container()) not_iterable(v);
  if (v.size() == 0) throw EvalError("StopIteration");
  return v.item(0);
}

bool eq(const Value& a, const Value& b) { return py_eq(a, b); }

bool lt(const Value& a, const Value& b) { return py_lt(a, b); }

bool le(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.int_unchecked() <= b.int_unchecked();
  if (a.is_number() && b.is_number()) {
    if (std::isnan(a.as_double()) || std::isnan(b.as_double())) return false;
    return compare(a, b) <= 0;
  }
  if (a.is_set() && b.is_set()) {  // subset
    if (a.size() > b.size()) return false;
    for (std::size_t k = 0, n = a.size(); k < n; ++k)
      if (!py_contains(b, a.item(k))) return false;
    return true;
  }
  if (a.is_tuple() && b.is_tuple()) {
    // The first index where the members differ decides (with <=); a prefix is smaller.
    const std::size_t na = a.size(), nb = b.size(), n = std::min(na, nb);
    for (std::size_t k = 0; k < n; ++k) {
      Value x = a.item(k), y = b.item(k);
      if (!py_eq(x, y)) return py_lt(x, y);
    }
    return na <= nb;
  }
  throw EvalError(std::string("'<=' not supported between instances of '") + a.type_name() + "' and '" +
                  b.type_name() + "'");
}

Value bit_and(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    const std::int64_t r = a.int_unchecked() & b.int_unchecked();
    return a.is_bool() && b.is_bool() ? Value::boolean(r != 0) : Value::integer(r);
  }
  if (a.is_set() && b.is_set()) {
    std::vector<Value> keep;
    for (Value& v : elements(a))
      if (py_contains(b, v)) keep.push_back(std::move(v));
    return make_set(std::move(keep));
  }
  type_error("&", a, b);
}

Value bit_or(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    const std::int64_t r = a.int_unchecked() | b.int_unchecked();
    return a.is_bool() && b.is_bool() ? Value::boolean(r != 0) : Value::integer(r);
  }
  if (a.is_set() && b.is_set()) {
    std::vector<Value> all = elements(a);
    for (Value& v : elements(b)) all.push_back(std::move(v));
    return make_set(std::move(all));
  }
  type_error("|", a, b);
}

Value empty_of(const Value& c) {
  if (c.is_set()) return empty_set();
  if (c.is_tuple()) return empty_tuple();
  if (c.is_bool()) return Value::boolean(false);
  if (c.is_int()) return Value::integer(0);
  if (c.is_float()) return Value::floating(0.0);
  if (c.is_none()) return Value::none();
  throw EvalError("cannot create 'function' instances");
}

std::int64_t count_of(const Value& c, const Value& x) {
  if (!c.is_tuple()) throw EvalError(std::string("'") + c.type_name() + "' object has no attribute 'count'");
  std::int64_t n = 0;
  for (std::size_t k = 0, size = c.size(); k < size; ++k) n += py_eq_or_same(c.item(k), x);
  return n;
}

std::int64_t index_of(const Value& c, const Value& x) {
  if (!c.is_tuple()) throw EvalError(std::string("'") + c.type_name() + "' object has no attribute 'index'");
  for (std::size_t k = 0, size = c.size(); k < size; ++k)
    if (py_eq_or_same(c.item(k), x)) return static_cast<std::int64_t>(k);
  throw EvalError("tuple.index(x): x not in tuple");
}

namespace {

Value extreme(std::span<const Value> members, const Key& key, const Value* fallback, bool want_max) {
  if (members.empty()) {
    if (fallback) return *fallback;
    throw EvalError(want_max ? "max() arg is an empty sequence" : "min() arg is an empty sequence");
  }
  std::size_t best = 0;
  Value best_key = key ? key(members[0]) : members[0];
  for (std::size_t k = 1; k < members.size(); ++k) {
    Value kk = key ? key(members[k]) : members[k];
    if (want_max ? py_gt(kk, best_key) : py_lt(kk, best_key)) best = k, best_key = std::move(kk);
  }
  return members[best];
}

}  // namespace

Value max_of(std::span<const Value> members, const Key& key, const Value* fallback) {
  return extreme(members, key, fallback, true);
}

Value min_of(std::span<const Value> members, const Key& key, const Value* fallback) {
  return extreme(members, key, fallback, false);
}

std::vector<Value> sorted(std::vector<Value> members, const Key& key, bool reverse) {
  if (!reverse) return py_sorted(std::move(members), key);
  // list.sort(reverse=True): keys first (in the original order), then both reversed, sorted stably
  // and reversed back, so equal keys keep their original order.
  std::vector<Value> keys;
  keys.reserve(members.size());
  for (const Value& m : members) keys.push_back(key ? key(m) : m);
  std::reverse(keys.begin(), keys.end());
  std::reverse(members.begin(), members.end());
  std::vector<Value> out;
  out.reserve(members.size());
  for (std::size_t k : py_sort_order(keys)) out.push_back(std::move(members[k]));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Value> most_common(std::span<const Value> members) {
  std::vector<Value> keys;
  std::vector<std::int64_t> counts;
  for (const Value& m : members) {
    std::size_t k = 0;
    while (k < keys.size() && !(compare(keys[k], m) == 0)) ++k;
    if (k == keys.size()) keys.push_back(m), counts.push_back(0);
    ++counts[k];
  }
  // sorted(items, key=count, reverse=True): stable, so ties stay in first-seen order.
  std::vector<std::size_t> order(keys.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  std::vector<Value> out;
  out.reserve(order.size());
  for (std::size_t k : order) out.push_back(keys[k]);
  return out;
}

IntTally tally(std::span<const std::int32_t> ints) {
  IntTally t;
  std::int64_t small[10] = {0};
  std::size_t first_small[10];
  bool all_small = true;
  for (std::size_t k = 0; k < ints.size(); ++k) {
    const std::int32_t v = ints[k];
    if (v < 0 || v > 9) {
      all_small = false;
      break;
    }
    if (small[v]++ == 0) first_small[v] = k;
  }
  if (all_small) {
    for (int v = 0; v < 10; ++v)
      if (small[v]) t.values.push_back(v), t.counts.push_back(small[v]), t.first.push_back(first_small[v]);
    return t;
  }
  std::map<std::int64_t, std::pair<std::int64_t, std::size_t>> seen;
  for (std::size_t k = 0; k < ints.size(); ++k) {
    auto [it, added] = seen.try_emplace(ints[k], 0, k);
    ++it->second.first;
  }
  for (const auto& [v, cf] : seen) t.values.push_back(v), t.counts.push_back(cf.first), t.first.push_back(cf.second);
  return t;
}

std::vector<std::size_t> IntTally::most_common() const {
  std::vector<std::size_t> order(values.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : first[a] < first[b];
  });
  return order;
}

std::optional<std::vector<std::int32_t>> packed_colours(const Value& v) {
  if (v.kind() == Kind::Grid) return std::vector<std::int32_t>(v.grid().cells.begin(), v.grid().cells.end());
  if (v.kind() == Kind::TripleSet) {
    std::vector<std::int32_t> out;
    out.reserve(v.triples().size());
    for (const TripleV& t : v.triples()) out.push_back(t.c);
    return out;
  }
  return std::nullopt;
}

std::vector<Value> distinct(std::vector<Value> members) {
  // Plain ints (colours, coordinates) are the common case: sort their values, not Values. A bool
  // goes the general way, where True and 1 are one member.
  if (std::all_of(members.begin(), members.end(), [](const Value& v) { return v.is_int() && !v.is_bool(); })) {
    std::vector<std::int64_t> ints;
    ints.reserve(members.size());
    for (const Value& v : members) ints.push_back(v.int_unchecked());
    std::sort(ints.begin(), ints.end());
    ints.erase(std::unique(ints.begin(), ints.end()), ints.end());
    members.clear();
    for (const std::int64_t v : ints) members.push_back(Value::integer(v));
    return members;
  }
  std::sort(members.begin(), members.end(), [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  members.erase(std::unique(members.begin(), members.end(), [](const Value& a, const Value& b) { return compare(a, b) == 0; }),
                members.end());
  return members;
}

std::vector<std::int64_t> range(std::int64_t start, std::int64_t stop, std::int64_t step) {
  if (step == 0) throw EvalError("range() arg 3 must not be zero");
  std::vector<std::int64_t> out;
  const std::int64_t n = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                                  : (start > stop ? (start - stop - step - 1) / -step : 0);
  if (n > 0) charge_cells(std::min<std::int64_t>(n, std::int64_t{1} << 40));
  out.reserve(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) out.push_back(start + k * step);
  return out;
}

std::vector<std::vector<Value>> zip_rows(std::span<const Value> rows) {
  std::size_t n = std::numeric_limits<std::size_t>::max();
  for (const Value& r : rows) {
    if (!r.is_container()) not_iterable(r);
    n = std::min(n, r.size());
  }
  if (rows.empty()) n = 0;
  std::vector<std::vector<Value>> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    out[k].reserve(rows.size());
    for (const Value& r : rows) out[k].push_back(r.item(k));
  }
  return out;
}

Value sum_of(std::span<const Value> members) {
  Value total = Value::integer(0);
  for (const Value& m : members) total = py_add(total, m);
  return total;
}

}  // namespace megabatch::cpu::tok
