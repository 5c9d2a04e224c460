// Python builtins that programs pass as functions (arc-dsl's tests.py: order(x, len),
// valmax(x, len), order(x, abs)). They belong to every dialect and behave as CPython's: they raise
// (tokpidjin's safe_dsl wraps only dsl.py's functions), and having no __code__ they cannot be
// bound by rbind or lbind.
#include "cpu/dsl/pyops.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

namespace {

Value builtin_len(const Value& obj) {
  if (!obj.is_container()) throw EvalError(std::string("object of type '") + obj.type_name() + "' has no len()");
  return Value::integer(static_cast<std::int64_t>(obj.size()));
}

Value builtin_abs(const Value& x) { return py_abs(x); }

Value extreme(const Value& iterable, bool want_max) {
  std::vector<Value> items = elements(iterable);
  const char* who = want_max ? "max" : "min";
  return want_max ? py_max(items, nullptr, who) : py_min(items, nullptr, who);
}

Value builtin_max(const Value& iterable) { return extreme(iterable, true); }
Value builtin_min(const Value& iterable) { return extreme(iterable, false); }

Value builtin_sum(const Value& iterable) {
  Value total = Value::integer(0);
  for (const Value& x : elements(iterable)) total = py_add(total, x);
  return total;
}

using dsl::body;

constexpr PrimitiveDef kBuiltins[] = {
    {.name = "len", .signature = "obj -> int", .fn = body<builtin_len>,
     .description = "Python's len(): the number of members"},
    {.name = "abs", .signature = "x -> int", .fn = body<builtin_abs>,
     .description = "Python's abs(): the magnitude of a number"},
    {.name = "max", .signature = "iterable -> Any", .fn = body<builtin_max>,
     .description = "Python's max() of one iterable"},
    {.name = "min", .signature = "iterable -> Any", .fn = body<builtin_min>,
     .description = "Python's min() of one iterable"},
    {.name = "sum", .signature = "iterable -> int", .fn = body<builtin_sum>,
     .description = "Python's sum() of one iterable, from 0"},
};

}  // namespace

std::span<const PrimitiveDef> builtins_family() { return kBuiltins; }

}  // namespace megabatch::cpu
