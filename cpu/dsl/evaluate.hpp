// Evaluates an eval-expression (engine/expression.hpp) with the primitive table and constants.
#pragma once

#include "engine/expression.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

// Throws EvalError for unknown names and for any error a primitive raises.
Value evaluate(const Expr& e);

}  // namespace megabatch::cpu
