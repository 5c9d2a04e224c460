// The eval expression language: literals, names, calls, and its syntax errors.
#include <gtest/gtest.h>

#include "cpu/dsl/evaluate.hpp"
#include "engine/expression.hpp"

namespace megabatch {
namespace {

std::string eval_repr(const std::string& text) { return repr(cpu::evaluate(parse_expression(text))); }

TEST(Expression, LiteralsRoundTripAsPythonRepr) {
  EXPECT_EQ(eval_repr("5"), "5");
  EXPECT_EQ(eval_repr("-3"), "-3");
  EXPECT_EQ(eval_repr("True"), "True");
  EXPECT_EQ(eval_repr("()"), "()");
  EXPECT_EQ(eval_repr("(7,)"), "(7,)");
  EXPECT_EQ(eval_repr("(1, 2)"), "(1, 2)");
  EXPECT_EQ(eval_repr("((1, 2), (3, 4))"), "((1, 2), (3, 4))");
  EXPECT_EQ(eval_repr("frozenset()"), "frozenset()");
  // Sets print in canonical ascending order whatever the literal's order.
  EXPECT_EQ(eval_repr("frozenset({(2, (0, 0)), (1, (5, 5)), (1, (0, 3))})"),
            "frozenset({(1, (0, 3)), (1, (5, 5)), (2, (0, 0))})");
  EXPECT_EQ(eval_repr("frozenset({3, 1, 2, 1})"), "frozenset({1, 2, 3})");
}

TEST(Expression, ParenthesisedExpressionIsNotATuple) { EXPECT_EQ(eval_repr("((5))"), "5"); }

TEST(Expression, ConstantsResolveByName) {
  EXPECT_EQ(eval_repr("UP_RIGHT"), "(-1, 1)");
  EXPECT_EQ(eval_repr("F"), "False");
  EXPECT_EQ(eval_repr("TEN"), "10");
}

TEST(Expression, UnknownNameIsAnEvalError) { EXPECT_THROW(eval_repr("nosuchname(1)"), EvalError); }

TEST(Expression, SyntaxErrorsNameTheColumn) {
  try {
    parse_expression("rot90((1, 2)");
    FAIL() << "expected a syntax error";
  } catch (const ExprSyntaxError& e) {
    EXPECT_NE(std::string(e.what()).find("column"), std::string::npos);
  }
  EXPECT_THROW(parse_expression("1 +"), ExprSyntaxError);
  EXPECT_THROW(parse_expression("lambda x: x"), ExprSyntaxError);
  EXPECT_THROW(parse_expression(""), ExprSyntaxError);
}

TEST(Expression, CallsOfCallResults) {
  auto e = parse_expression("f(1)(2, 3)");
  ASSERT_EQ(e.kind, Expr::Kind::Call);
  EXPECT_EQ(e.children.size(), 3u);
  EXPECT_EQ(e.children[0].kind, Expr::Kind::Call);
}

}  // namespace
}  // namespace megabatch
