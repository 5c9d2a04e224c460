// Evaluates an eval-expression (engine/expression.hpp) with the primitive table and constants.
#pragma once

#include "engine/expression.hpp"
#include "engine/program/dialect.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

// Names are the dialect's primitives and constants. Throws EvalError for unknown names and for any
// error a primitive raises (tokpidjin's primitives return their defaults instead).
Value evaluate(const Expr& e, Dialect dialect = Dialect::ArcDsl);

}  // namespace megabatch::cpu
