// tokpidjin primitives: basics family (identity .. leastcommon_f): numbers, booleans, pairs, basic
// containers, and the functions of the demo pairs S (c_iz, c_zo, a_mr, dedupe_pair_tuple).
//
// Each body follows tokpidjin's dsl.py statement by statement on any value: where dsl.py raises, the
// body raises and the registry's safe net returns the primitive's default; where dsl.py calls
// another of its functions, the body calls it through its wrapper (tok::call). Where tokpidjin's
// body is arc-dsl's and calls no other primitive, the arc-dsl body serves (dsl::), already checked
// against CPython; only the safe net differs.
#include "cpu/dsl/arc/prims.hpp"
#include "cpu/dsl/tok/py.hpp"

namespace megabatch::cpu {
namespace {

using namespace tok;

// The first member, None when there is none.
Value first(const Value& c) {
  if (!c.is_container()) not_iterable(c);
  return c.size() ? c.item(0) : Value::none();
}

// The second member (an error when empty), None when there is just one.
Value second(const Value& c) {
  if (!c.is_container()) not_iterable(c);
  const std::size_t n = c.size();
  if (n == 0) raise("StopIteration");
  return n > 1 ? c.item(1) : Value::none();
}

Value difference_tuple(const Value& a, const Value& b) {
  if (!a.is_container()) not_iterable(a);
  std::vector<Value> keep;
  for (Value& e : items(a))
    if (!py_contains(b, e)) keep.push_back(std::move(e));
  return same_type(a, std::move(keep));
}

Value p_f(const Value& element) {
  std::vector<Value> colours;
  for (const Value& e : items(element)) colours.push_back(unpack3(e)[2]);
  return frozenset(std::move(colours));
}

Value p_g(const Value& grid) {
  std::vector<Value> cells;
  for (const Value& row : items(grid))
    for (Value& v : items(row)) cells.push_back(std::move(v));
  return tuple(distinct(std::move(cells)));
}

Value p_o(const Value& obj) {
  std::vector<Value> colours;
  for (const Value& e : items(obj)) colours.push_back(unpack3(e)[2]);
  return tuple(distinct(std::move(colours)));
}

Value dedupe_pair_tuple(const Value& S) {
  std::vector<Value> keep;
  for (const Value& s : items(S)) {
    auto [a, b] = unpack2(s);
    if (ne(a, b)) keep.push_back(make_tuple2(std::move(a), std::move(b)));
  }
  return tuple(std::move(keep));
}

// The colours the demo inputs (c_iz) or outputs (c_zo) show through `function` that the other side
// does not.
Value input_output_difference(const Value& S, const Value& function, bool inputs_first) {
  Value inputs = call<"apply">(prim<"first">(), S);
  Value outputs = call<"apply">(prim<"second">(), S);
  Value x3 = call<"dedupe">(call<"mapply_t">(function, inputs));
  Value x4 = call<"dedupe">(call<"mapply_t">(function, outputs));
  return inputs_first ? call<"difference_tuple">(x3, x4) : call<"difference_tuple">(x4, x3);
}

Value c_iz(const Value& S, const Value& function) { return input_output_difference(S, function, true); }
Value c_zo(const Value& S, const Value& function) { return input_output_difference(S, function, false); }
Value c_iz_n(const Value& S, const Value& function, const Value& pick) { return call1(pick, call<"c_iz">(S, function)); }
Value c_zo_n(const Value& S, const Value& function, const Value& pick) { return call1(pick, call<"c_zo">(S, function)); }

// The first of the eight mirrors and rotations (mir_rot_t's angles) that turns every demo input into
// its output; None when none does.
Value a_mr(const Value& S) {
  const std::vector<Value> pairs = items(S);
  for (std::int64_t a = 0; a < 8; ++a) {
    bool all = true;
    for (const Value& p : pairs) {
      auto [in, out] = unpack2(p);
      if (!eq(out, call<"mir_rot_t">(in, Value::integer(a)))) {
        all = false;
        break;
      }
    }
    if (all) return Value::integer(a);
  }
  return Value::none();
}

// add, subtract, multiply, divide: () counts as `empty` (0, or 1 for the products), then ints
// combine, two tuples combine by their first two members, and an int broadcasts.
template <class Op>
Value numeric2(const Value& a0, const Value& b0, std::int64_t empty, Op op) {
  if (a0.is_int() && b0.is_int()) return op(a0, b0);  // the common case, before the () checks
  if (a0.kind() == Kind::Pair && b0.kind() == Kind::Pair) {
    const Point p = a0.point(), q = b0.point();
    Value x = op(Value::integer(p.i), Value::integer(q.i));
    return make_tuple2(std::move(x), op(Value::integer(p.j), Value::integer(q.j)));
  }
  const Value b = is_empty_tuple(b0) ? Value::integer(empty) : b0;
  const Value a = is_empty_tuple(a0) ? Value::integer(empty) : a0;
  if (a.is_int() && b.is_int()) return op(a, b);
  if (a.is_tuple() && b.is_tuple()) {
    Value x = op(at(a, 0), at(b, 0));
    return make_tuple2(std::move(x), op(at(a, 1), at(b, 1)));
  }
  if (a.is_int() && b.is_tuple()) {
    Value x = op(a, at(b, 0));
    return make_tuple2(std::move(x), op(a, at(b, 1)));
  }
  if (!a.is_tuple()) return safe_raise();  // a[0] of an int, a frozenset, a float or None
  Value x = op(at(a, 0), b);
  return make_tuple2(std::move(x), op(at(a, 1), b));
}

// dsl.py's one-argument numeric functions subscript whatever is not an int: a value without x[0]
// and x[1] (a frozenset, a float, None, a short tuple) raises at once, answered without a throw.
template <Value (*F)(const Value&)>
Value subscripting(const Value& x) {
  if (!x.is_int() && !(x.is_tuple() && x.size() >= 2)) return safe_raise();
  return F(x);
}

Value add(const Value& a, const Value& b) { return numeric2(a, b, 0, py_add); }
Value subtract(const Value& a, const Value& b) { return numeric2(a, b, 0, py_sub); }
Value multiply(const Value& a, const Value& b) { return numeric2(a, b, 1, py_mul); }
Value divide(const Value& a, const Value& b) { return numeric2(a, b, 1, py_floordiv); }

// The _f variants count in a list of the members: any iterable works.
Value common_of_list(const Value& c, bool want_max) {
  std::vector<Value> m = items(c);
  const Value as_tuple = tuple(m);
  const Key key = [&](const Value& x) { return Value::integer(count_of(as_tuple, x)); };
  const std::vector<Value> d = distinct(std::move(m));
  return want_max ? max_of(d, key) : min_of(d, key);
}
Value mostcommon_f(const Value& c) { return common_of_list(c, true); }
Value leastcommon_f(const Value& c) { return common_of_list(c, false); }

Value combine_t(const Value& a, const Value& b) { return py_add(a, b); }
Value combine_f(const Value& a, const Value& b) { return bit_or(a, b); }

using dsl::body;

// The family's descriptors (cpu/dsl/primitive.hpp), in tokpidjin's dsl.py order; signatures carry
// its annotations, which also decide each primitive's safe default.
constexpr PrimitiveDef kTokBasics[] = {
    {.name = "identity", .signature = "x: Any -> Any", .fn = body<dsl::identity>, .description = "returns its argument",
     .picks_colour = true},
    {.name = "first", .signature = "container: Container -> Any", .fn = body<first>,
     .description = "the first member in iteration order, None when empty"},
    {.name = "second", .signature = "container: Container -> Any", .fn = body<second>,
     .description = "the second member in iteration order, None when there is one only"},
    {.name = "difference_tuple", .signature = "a: Tuple, b: Tuple -> Tuple", .fn = body<difference_tuple>,
     .description = "the members of the first container not in the second, keeping its type"},
    {.name = "difference_t", .signature = "a: Tuple, b: Tuple -> Tuple", .fn = body<difference_tuple>,
     .description = "alias of difference_tuple"},
    {.name = "p_f", .signature = "element: FrozenSet -> IntegerSet", .fn = body<p_f>,
     .description = "the colours of an object's (i, j, c) cells, as a frozenset"},
    {.name = "p_g", .signature = "grid: Grid -> IntegerSet", .fn = body<p_g>,
     .description = "the distinct values of a grid, as an ascending tuple"},
    {.name = "p_o", .signature = "obj: Object -> IntegerSet", .fn = body<p_o>,
     .description = "the distinct colours of an object, as an ascending tuple"},
    {.name = "dedupe_pair_tuple", .signature = "S: Samples -> Samples", .fn = body<dedupe_pair_tuple>,
     .description = "the demo pairs whose input differs from their output"},
    {.name = "c_iz", .signature = "S: Samples, function: Callable -> Any", .fn = body<c_iz>,
     .description = "what a function finds in the demo inputs and not in their outputs"},
    {.name = "c_iz_n", .signature = "S: Samples, function: Callable, pick: Callable -> C_", .fn = body<c_iz_n>,
     .description = "pick applied to c_iz"},
    {.name = "c_zo", .signature = "S: Samples, function: Callable -> Any", .fn = body<c_zo>,
     .description = "what a function finds in the demo outputs and not in their inputs"},
    {.name = "c_zo_n", .signature = "S: Samples, function: Callable, pick: Callable -> C_", .fn = body<c_zo_n>,
     .description = "pick applied to c_zo"},
    {.name = "a_mr", .signature = "S: Samples -> A8", .fn = body<a_mr>,
     .description = "the first mir_rot_t angle taking every demo input to its output, None when none does"},
    {.name = "add", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<add>,
     .description = "sum of ints, or of the first two members of tuples (an int broadcasts, () counts as 0)"},
    {.name = "subtract", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<subtract>,
     .description = "difference, as add"},
    {.name = "multiply", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<multiply>,
     .description = "product, as add (() counts as 1)"},
    {.name = "divide", .signature = "a: Numerical, b: Numerical -> Numerical", .fn = body<divide>,
     .description = "floor quotient, as multiply"},
    {.name = "invert", .signature = "n: Numerical -> Numerical", .fn = body<subscripting<dsl::invert>>,
     .description = "negates an int or the first two members of a tuple"},
    {.name = "even", .signature = "n: Integer -> Boolean", .fn = body<dsl::even>, .description = "whether n % 2 is 0"},
    {.name = "double", .signature = "n: Numerical -> Numerical", .fn = body<subscripting<dsl::double_>>, .description = "twice n"},
    {.name = "halve", .signature = "n: Numerical -> Numerical", .fn = body<subscripting<dsl::halve>>, .description = "n floor-divided by 2"},
    {.name = "flip", .signature = "b: Boolean -> Boolean", .fn = body<dsl::flip>, .description = "logical not"},
    {.name = "equality", .signature = "a: Any, b: Any -> Boolean", .fn = body<dsl::equality>,
     .description = "whether two values are equal"},
    {.name = "contained", .signature = "value: Any, container: Container -> Boolean", .fn = body<dsl::contained>,
     .description = "whether the value is a member"},
    {.name = "combine", .signature = "a: Container, b: Container -> Container", .fn = body<dsl::combine>,
     .description = "both containers' members, in the first one's type", .palette = PaletteRule::Keeps01},
    {.name = "intersection", .signature = "a: FrozenSet, b: FrozenSet -> FrozenSet", .fn = body<dsl::intersection>,
     .description = "a & b: common members of sets, bitwise and of ints"},
    {.name = "difference", .signature = "a: FrozenSet, b: FrozenSet -> FrozenSet", .fn = body<dsl::difference>,
     .description = "the members of the first container not in the second, keeping its type"},
    {.name = "dedupe", .signature = "tup: Tuple -> Tuple", .fn = body<dsl::dedupe>,
     .description = "a tuple without repeats, first occurrences kept in order"},
    {.name = "order", .signature = "container: Container, compfunc: Callable -> Tuple", .fn = body<dsl::order>,
     .description = "the members stably sorted by a key"},
    {.name = "repeat", .signature = "item: Any, num: C_ -> Tuple", .fn = body<dsl::repeat>,
     .description = "a tuple of the item num times"},
    {.name = "greater", .signature = "a: Integer, b: Integer -> Boolean", .fn = body<dsl::greater>, .description = "a > b"},
    {.name = "size", .signature = "container: Container -> Integer", .fn = body<dsl::size>, .description = "len()"},
    {.name = "merge", .signature = "containers: ContainerContainer -> Container", .fn = body<dsl::merge>,
     .description = "the members of the inner containers, in the outer one's type", .palette = PaletteRule::Merge},
    {.name = "merge_f", .signature = "containers: ContainerContainer -> Container", .fn = body<dsl::merge>,
     .description = "merge", .palette = PaletteRule::Merge},
    {.name = "merge_t", .signature = "containers: ContainerContainer -> Container", .fn = body<dsl::merge>,
     .description = "merge", .palette = PaletteRule::Merge},
    {.name = "maximum", .signature = "container: IntegerSet -> Integer", .fn = body<dsl::maximum>,
     .description = "the largest member, 0 when empty"},
    {.name = "minimum", .signature = "container: IntegerSet -> Integer", .fn = body<dsl::minimum>,
     .description = "the smallest member, 0 when empty"},
    {.name = "valmax", .signature = "container: Container, compfunc: Callable -> Integer", .fn = body<dsl::valmax>,
     .description = "the largest key over the members (the key of 0 when empty)"},
    {.name = "valmin", .signature = "container: Container, compfunc: Callable -> Integer", .fn = body<dsl::valmin>,
     .description = "the smallest key over the members (the key of 0 when empty)"},
    {.name = "argmax", .signature = "container: Container, compfunc: Callable -> Any", .fn = body<dsl::argmax>,
     .description = "the first member with the largest key"},
    {.name = "argmin", .signature = "container: Container, compfunc: Callable -> Any", .fn = body<dsl::argmin>,
     .description = "the first member with the smallest key"},
    {.name = "mostcommon", .signature = "container: Container -> Any", .fn = body<dsl::mostcommon>,
     .description = "the most frequent member of a tuple (smallest on ties)"},
    {.name = "leastcommon", .signature = "container: Container -> Any", .fn = body<dsl::leastcommon>,
     .description = "the least frequent member of a tuple (smallest on ties)"},
    {.name = "initset", .signature = "value: Any -> FrozenSet", .fn = body<dsl::initset>,
     .description = "a frozenset of the value"},
    {.name = "both", .signature = "a: Boolean, b: Boolean -> Boolean", .fn = body<dsl::both>,
     .description = "a and b (the deciding operand)"},
    {.name = "either", .signature = "a: Boolean, b: Boolean -> Boolean", .fn = body<dsl::either>,
     .description = "a or b (the deciding operand)"},
    {.name = "increment", .signature = "x: Numerical -> Numerical", .fn = body<subscripting<dsl::increment>>, .description = "x + 1"},
    {.name = "decrement", .signature = "x: Numerical -> Numerical", .fn = body<subscripting<dsl::decrement>>, .description = "x - 1"},
    {.name = "crement", .signature = "x: Numerical -> Numerical", .fn = body<subscripting<dsl::crement>>,
     .description = "one step away from zero, zero stays"},
    {.name = "sign", .signature = "x: Numerical -> Numerical", .fn = body<subscripting<dsl::sign>>, .description = "-1, 0 or 1"},
    {.name = "positive", .signature = "x: Integer -> Boolean", .fn = body<dsl::positive>, .description = "x > 0"},
    {.name = "toivec", .signature = "i: Integer -> IJ", .fn = body<dsl::toivec>, .description = "(i, 0)"},
    {.name = "tojvec", .signature = "j: Integer -> IJ", .fn = body<dsl::tojvec>, .description = "(0, j)"},
    // No palette rule: on ints these add and or (1 + 2 and 1 | 2 are 3), which no rule of
    // colours kept can say.
    {.name = "combine_t", .signature = "a: Tuple, b: Tuple -> Tuple", .fn = body<combine_t>,
     .description = "a + b"},
    {.name = "combine_f", .signature = "a: FrozenSet, b: FrozenSet -> FrozenSet", .fn = body<combine_f>,
     .description = "a | b: union of sets, bitwise or of ints"},
    {.name = "size_t", .signature = "container: Tuple -> Integer", .fn = body<dsl::size>, .description = "len()"},
    {.name = "size_f", .signature = "container: FrozenSet -> Integer", .fn = body<dsl::size>, .description = "len()"},
    {.name = "valmax_t", .signature = "container: Tuple, compfunc: Callable -> Integer", .fn = body<dsl::valmax>,
     .description = "valmax"},
    {.name = "valmax_f", .signature = "container: FrozenSet, compfunc: Callable -> Integer", .fn = body<dsl::valmax>,
     .description = "valmax"},
    {.name = "valmin_t", .signature = "container: Tuple, compfunc: Callable -> Integer", .fn = body<dsl::valmin>,
     .description = "valmin"},
    {.name = "valmin_f", .signature = "container: FrozenSet, compfunc: Callable -> Integer", .fn = body<dsl::valmin>,
     .description = "valmin"},
    {.name = "argmax_t", .signature = "container: Tuple, compfunc: Callable -> Any", .fn = body<dsl::argmax>,
     .description = "argmax"},
    {.name = "argmax_f", .signature = "container: FrozenSet, compfunc: Callable -> Any", .fn = body<dsl::argmax>,
     .description = "argmax"},
    {.name = "argmin_t", .signature = "container: Tuple, compfunc: Callable -> Any", .fn = body<dsl::argmin>,
     .description = "argmin"},
    {.name = "argmin_f", .signature = "container: FrozenSet, compfunc: Callable -> Any", .fn = body<dsl::argmin>,
     .description = "argmin"},
    {.name = "mostcommon_t", .signature = "container: Tuple -> Any", .fn = body<dsl::mostcommon>,
     .description = "mostcommon"},
    {.name = "mostcommon_f", .signature = "container: FrozenSet -> Any", .fn = body<mostcommon_f>,
     .description = "the most frequent member of any container (smallest on ties)"},
    {.name = "leastcommon_t", .signature = "container: Tuple -> Any", .fn = body<dsl::leastcommon>,
     .description = "leastcommon"},
    {.name = "leastcommon_f", .signature = "container: FrozenSet -> Any", .fn = body<leastcommon_f>,
     .description = "the least frequent member of any container (smallest on ties)"},
};

}  // namespace

std::span<const PrimitiveDef> tok_basics_family() { return kTokBasics; }

}  // namespace megabatch::cpu
