// A small expression language for `megabatch eval`: primitive and constant names, calls (also of
// call results, e.g. `rbind(add, 1)(2)`), integers, True/False/None, tuples and frozenset({...}) literals.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace megabatch {

struct Expr {
  enum class Kind { Int, Bool, None, Name, Tuple, FrozenSet, Call } kind;
  std::int64_t value = 0;        // Int, Bool
  std::string name;              // Name
  std::vector<Expr> children;    // Tuple/FrozenSet items; Call: callee first, then arguments
};

// Thrown for malformed text; the message names the column.
class ExprSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Expr parse_expression(std::string_view text);

}  // namespace megabatch
