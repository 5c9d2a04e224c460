// libFuzzer target: `megabatch eval` on any text, in both dialects, under a small budget: the
// expression parser, every primitive on whatever values the expression builds, and the repr of the
// result. Errors and budget stops are fine; crashes, hangs and sanitizer reports are not.
#include <cstdint>
#include <string_view>

#include "cpu/dsl/evaluate.hpp"
#include "engine/expression.hpp"
#include "engine/value.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace megabatch;
  if (size > 4096) return 0;
  Expr e;
  try {
    e = parse_expression(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const ExprSyntaxError&) {
    return 0;
  }
  for (Dialect d : {Dialect::ArcDsl, Dialect::Tokpidjin}) {
    Budget budget;
    budget.max_cells = 200'000;
    budget.max_calls = 20'000;
    BudgetScope scope(&budget);
    try {
      const Value v = cpu::evaluate(e, d);
      (void)repr(v);
      (void)v.hash();
    } catch (const EvalError&) {
    } catch (const BudgetExceeded&) {
    }
  }
  return 0;
}
