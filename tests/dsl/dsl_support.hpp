// Shared helpers of the DSL family suites: evaluate an eval-language expression to a value or to
// its Python repr, and compare the repr with what CPython arc-dsl prints.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "cpu/dsl/evaluate.hpp"
#include "engine/expression.hpp"
#include "engine/value.hpp"

namespace megabatch {

inline Value val(const std::string& text) { return cpu::evaluate(parse_expression(text)); }
inline std::string ev(const std::string& text) { return repr(val(text)); }

}  // namespace megabatch

#define EXPECT_EVAL(expr, expected) EXPECT_EQ(ev(expr), expected) << "for " << (expr)
#define EXPECT_EVAL_ERROR(expr) EXPECT_THROW(ev(expr), EvalError) << "for " << (expr)
