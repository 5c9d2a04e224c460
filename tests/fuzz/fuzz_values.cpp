// libFuzzer target: the value model's invariants on values decoded from the bytes (ints, floats,
// None, pairs, cells, triples, tuples, grids, frozensets of any of them, nested): the canonical order
// is a total order (antisymmetric, transitive on what is sorted), equal values hash alike, a set holds
// its members sorted and unique, and repr never fails.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "engine/value.hpp"

namespace {

using megabatch::Value;

struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t next() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
};

Value decode(Bytes& in, int depth) {
  const std::uint8_t tag = in.next();
  const auto small = [&] { return static_cast<std::int64_t>(static_cast<std::int8_t>(in.next())); };
  switch (depth >= 6 ? tag % 6 : tag % 10) {
    case 0: return Value::integer(small());
    case 1: return Value::boolean(in.next() & 1);
    case 2: return Value::none();
    case 3: {
      const std::uint8_t f = in.next();
      return Value::floating(f == 0 ? NAN : f == 1 ? INFINITY : f == 2 ? -INFINITY : small() / 4.0);
    }
    case 4: return megabatch::make_tuple({Value::integer(small()), Value::integer(small())});
    case 5: return megabatch::make_tuple({Value::integer(small()), megabatch::make_tuple({Value::integer(small()),
                                                                                           Value::integer(small())})});
    case 6: case 7: {  // a tuple (a grid when its rows are equal-length int tuples)
      std::vector<Value> items(in.next() % 5);
      for (auto& v : items) v = decode(in, depth + 1);
      return megabatch::make_tuple(std::move(items));
    }
    default: {  // a frozenset
      std::vector<Value> items(in.next() % 6);
      for (auto& v : items) v = decode(in, depth + 1);
      return megabatch::make_set(std::move(items));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace megabatch;
  Bytes in{data, size};
  std::vector<Value> values;
  while (in.n > 0 && values.size() < 8) values.push_back(decode(in, 0));
  if (std::getenv("MEGABATCH_FUZZ_DEBUG"))  // replaying a crash: what the bytes decoded to
    for (const Value& v : values) std::fprintf(stderr, "value: %s (hash %zx)\n", repr(v).c_str(), v.hash());
  for (const Value& a : values) {
    if (compare(a, a) != 0) std::abort();
    (void)repr(a);
    for (const Value& b : values) {
      const int ab = compare(a, b), ba = compare(b, a);
      if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0)) std::abort();  // antisymmetric
      if (ab == 0 && a.hash() != b.hash()) std::abort();                 // equal values hash alike
      for (const Value& c : values)
        if (ab < 0 && compare(b, c) < 0 && compare(a, c) >= 0) std::abort();  // transitive
    }
  }
  const Value set = make_set(values);
  for (std::size_t k = 1; k < set.size(); ++k)
    if (compare(set.item(k - 1), set.item(k)) >= 0) std::abort();  // sorted, unique
  for (const Value& a : values) {  // every value is a member
    bool found = false;
    for (std::size_t k = 0; k < set.size() && !found; ++k) found = compare(set.item(k), a) == 0;
    if (!found) std::abort();
  }
  return 0;
}
