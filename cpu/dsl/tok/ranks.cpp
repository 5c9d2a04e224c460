// tokpidjin primitives: ranks family (get_nth_t .. get_common_rank_f): the member, key, colour or
// count of a given rank, from the front (F0, F1, ...) or the back (L1, L2, ...). Out of range they
// return a marker (nan, (), frozenset(), 0) instead of raising. See basics.cpp for how the bodies
// follow dsl.py.
#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/tok/py.hpp"

namespace megabatch::cpu {
namespace {

using namespace tok;

// `-n <= rank < n` (raising where Python's comparisons do), then the index rank names.
std::optional<std::size_t> rank_index(const Value& rank, std::size_t n) {
  const Value size = Value::integer(static_cast<std::int64_t>(n));
  if (!le(Value::integer(-static_cast<std::int64_t>(n)), rank) || !lt(rank, size)) return std::nullopt;
  if (!rank.is_int()) raise("list indices must be integers or slices");
  const std::int64_t k = rank.int_unchecked();
  return static_cast<std::size_t>(k < 0 ? k + static_cast<std::int64_t>(n) : k);
}

Value get_nth_t(const Value& container, const Value& rank) {
  if (!container.is_tuple()) return nan();
  const std::size_t n = container.size();
  const auto k = rank_index(rank, n);
  if (!k) return nan();
  return at(container, rank);
}

// The member at a rank from the front (0, 1, ...) or the back (-1, -2, ...), frozenset() past either end.
Value get_nth_f(const Value& container, const Value& rank) {
  // An int rank is the common case (17M calls in solvers_pre.py over the training set): no Values.
  if (rank.is_int() && rank.int_unchecked() != INT64_MIN) {
    if (!container.is_container()) return safe_raise();  // iterating it raises
    const std::int64_t r = rank.int_unchecked(), n = static_cast<std::int64_t>(container.size());
    const std::int64_t k = r < 0 ? n + r : r;  // -1 is the last member
    return k >= 0 && k < n ? container.item(static_cast<std::size_t>(k)) : empty_set();
  }
  if (lt(rank, Value::integer(0))) {
    if (!container.is_container()) return safe_raise();  // list(container) raises
    const std::int64_t skip = as_int(py_sub(py_neg(rank), Value::integer(1)));
    const std::int64_t n = static_cast<std::int64_t>(container.size());
    return skip < n ? container.item(static_cast<std::size_t>(n - 1 - skip)) : empty_set();
  }
  if (!container.is_container()) return safe_raise();  // iterating it raises
  const std::int64_t skip = as_int(rank);
  return skip < static_cast<std::int64_t>(container.size()) ? container.item(static_cast<std::size_t>(skip)) : empty_set();
}

// A key function; None means no key, as sorted() and max() take it.
Key key_of(const Value& f) {
  if (f.is_none()) return nullptr;
  return [f](const Value& x) { return call1(f, x); };
}

Value get_nth_by_key_t(const Value& container, const Value& rank, const Value& key) {
  const std::vector<Value> ranked = sorted(items(container), key_of(key));
  if (ranked.empty()) return Value::none();
  return at(tuple(ranked), rank);
}

Value get_nth_by_key_f(const Value& container, const Value& rank, const Value& key) {
  const std::vector<Value> ranked = sorted(items(container), key_of(key));
  const std::int64_t skip = std::max<std::int64_t>(0, as_int(rank));
  return skip < static_cast<std::int64_t>(ranked.size()) ? ranked[static_cast<std::size_t>(skip)] : Value::none();
}

Value colour_rank(const std::vector<Value>& colours, const Value& rank, const Value& missing) {
  const std::vector<Value> ranked = most_common(colours);
  const auto k = rank_index(rank, ranked.size());
  return k ? ranked[*k] : missing;
}

// Counter.most_common() over packed ints: the value at the rank, `missing` out of range.
Value int_colour_rank(const std::vector<std::int32_t>& ints, const Value& rank, const Value& missing) {
  const IntTally t = tally(ints);
  const auto k = rank_index(rank, t.values.size());
  return k ? Value::integer(t.values[t.most_common()[*k]]) : missing;
}

Value get_color_rank_t(const Value& grid, const Value& rank) {
  if (grid.kind() == Kind::Grid) return int_colour_rank(*packed_colours(grid), rank, empty_tuple());
  std::vector<Value> colours;
  for (const Value& row : items(grid))
    for (Value& v : items(row)) colours.push_back(std::move(v));
  return colour_rank(colours, rank, empty_tuple());
}

Value get_color_rank_f(const Value& obj, const Value& rank) {
  if (obj.kind() == Kind::TripleSet) return int_colour_rank(*packed_colours(obj), rank, empty_set());
  std::vector<Value> colours;
  for (const Value& cell : items(obj)) colours.push_back(unpack3(cell)[2]);
  return colour_rank(colours, rank, empty_set());
}

Value get_rank(const Value& container, const Value& rank) {
  const std::vector<Value> ranked = sorted(items(container), nullptr, true);
  const auto k = rank_index(rank, ranked.size());
  return k ? ranked[*k] : Value::integer(0);
}

// The member at a rank of the key's descending order; `missing` decides the marker past the ends.
enum class Missing { SameType, Tuple, Frozenset };
Value arg_rank(const Value& container, const Value& compfunc, const Value& rank, Missing missing) {
  const std::vector<Value> ranked = sorted(items(container), key_of(compfunc), true);
  if (const auto k = rank_index(rank, ranked.size())) return ranked[*k];
  if (missing == Missing::SameType) return empty_of(container);
  return missing == Missing::Tuple ? empty_tuple() : empty_set();
}
Value get_arg_rank(const Value& c, const Value& f, const Value& r) { return arg_rank(c, f, r, Missing::SameType); }
Value get_arg_rank_t(const Value& c, const Value& f, const Value& r) { return arg_rank(c, f, r, Missing::Tuple); }
Value get_arg_rank_f(const Value& c, const Value& f, const Value& r) { return arg_rank(c, f, r, Missing::Frozenset); }

// The key of the member at a rank of the key's ascending order; the key of 0 past the ends.
Value get_val_rank(const Value& container, const Value& compfunc, const Value& rank) {
  const std::vector<Value> ranked = sorted(items(container), key_of(compfunc));
  if (const auto k = rank_index(rank, ranked.size())) return call1(compfunc, ranked[*k]);
  return call1(compfunc, Value::integer(0));
}

// The distinct member at a rank of ascending counts in `counted` (a tuple).
Value common_rank(const Value& counted, std::vector<Value> members, const Value& rank, const Value& missing) {
  const Key count = [&](const Value& x) { return Value::integer(count_of(counted, x)); };
  const std::vector<Value> ranked = sorted(distinct(std::move(members)), count);
  if (const auto k = rank_index(rank, ranked.size())) return ranked[*k];
  return missing;
}
Value get_common_rank(const Value& c, const Value& rank) {
  std::vector<Value> members = items(c);
  if (!c.is_tuple()) raise("'frozenset' object has no attribute 'count'");  // looked up before sorting
  return common_rank(c, std::move(members), rank, empty_of(c));
}
Value get_common_rank_t(const Value& c, const Value& rank) {
  std::vector<Value> members = items(c);
  if (!c.is_tuple()) raise("'frozenset' object has no attribute 'count'");
  return common_rank(c, std::move(members), rank, empty_tuple());
}
Value get_common_rank_f(const Value& c, const Value& rank) {
  std::vector<Value> members = items(c);
  const Value as_list = tuple(members);
  return common_rank(as_list, std::move(members), rank, empty_set());
}

using dsl::body;

constexpr PrimitiveDef kTokRanks[] = {
    {.name = "get_nth_t", .signature = "container: Tuple, rank: FL -> Any", .fn = body<get_nth_t>,
     .description = "container[rank] of a tuple, nan out of range or for anything else"},
    {.name = "get_nth_f", .signature = "container: FrozenSet, rank: FL -> Any", .fn = body<get_nth_f>,
     .description = "the member at a rank in iteration order (negative from the back), frozenset() past the ends"},
    {.name = "get_nth_by_key_t", .signature = "container: Tuple, rank: FL, key=identity -> Any",
     .fn = body<get_nth_by_key_t>, .description = "sorted(container, key)[rank], None when empty"},
    {.name = "get_nth_by_key_f", .signature = "container: FrozenSet, rank: F_, key=identity -> Any",
     .fn = body<get_nth_by_key_f>, .description = "the member at a rank of sorted(container, key), None past the end"},
    {.name = "get_color_rank_t", .signature = "grid: Grid, rank: FL -> C_", .fn = body<get_color_rank_t>,
     .description = "the colour at a rank of frequency (0 most common, -1 least), () out of range"},
    {.name = "get_color_rank_f", .signature = "obj: Object, rank: FL -> C_", .fn = body<get_color_rank_f>,
     .description = "get_color_rank_t of an object's cells, frozenset() out of range"},
    {.name = "get_rank", .signature = "container: IntegerSet, rank: FL -> Integer", .fn = body<get_rank>,
     .description = "the member at a rank from the largest, 0 out of range"},
    {.name = "get_arg_rank", .signature = "container: Container, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_arg_rank>, .description = "the member at a rank from the largest key, an empty container out of range"},
    {.name = "get_arg_rank_t", .signature = "container: Tuple, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_arg_rank_t>, .description = "get_arg_rank, () out of range"},
    {.name = "get_arg_rank_f", .signature = "container: FrozenSet, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_arg_rank_f>, .description = "get_arg_rank, frozenset() out of range"},
    {.name = "get_val_rank", .signature = "container: Container, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_val_rank>, .description = "the key at a rank from the smallest, the key of 0 out of range"},
    {.name = "get_val_rank_t", .signature = "container: Tuple, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_val_rank>, .description = "get_val_rank"},
    {.name = "get_val_rank_f", .signature = "container: FrozenSet, compfunc: Callable, rank: FL -> Any",
     .fn = body<get_val_rank>, .description = "get_val_rank"},
    {.name = "get_common_rank", .signature = "container: Container, rank: FL -> Any", .fn = body<get_common_rank>,
     .description = "the distinct member at a rank from the least frequent, of a tuple"},
    {.name = "get_common_rank_t", .signature = "container: Tuple, rank: FL -> Any", .fn = body<get_common_rank_t>,
     .description = "get_common_rank, () out of range"},
    {.name = "get_common_rank_f", .signature = "container: FrozenSet, rank: FL -> Any", .fn = body<get_common_rank_f>,
     .description = "get_common_rank of any container, frozenset() out of range"},
};

}  // namespace

std::span<const PrimitiveDef> tok_ranks_family() { return kTokRanks; }

}  // namespace megabatch::cpu
