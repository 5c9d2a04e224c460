// Program: one solver function as parsed from arc-dsl-style Python, before any sharing.
// A program is a list of single assignments `v = expr` and a final `return expr`, where an expression
// is a name, an integer literal or a call `callee(expr, ...)` whose callee is itself a name or a call.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/program/dialect.hpp"

namespace megabatch::program {

enum class ExprKind : std::uint8_t { Name, Int, Call };

// What a name refers to; filled in by the parser against the function's variables, its parameters
// and the Vocabulary (True/False/None count as constants whatever the vocabulary says).
enum class NameKind : std::uint8_t { Unresolved, Variable, Param, Primitive, Constant };

struct Expr {
  ExprKind kind = ExprKind::Name;
  NameKind name_kind = NameKind::Unresolved;  // Name only
  std::string text;            // Name: the identifier; Int: canonical decimal text such as "-1"
  std::int64_t value = 0;      // Int only
  std::vector<Expr> children;  // Call only: the callee first, then the arguments in order

  static Expr name(std::string identifier, NameKind kind = NameKind::Unresolved);
  static Expr integer(std::int64_t v);
  static Expr call(Expr callee, std::vector<Expr> args);
  const Expr& callee() const { return children.front(); }
  std::size_t arg_count() const { return children.empty() ? 0 : children.size() - 1; }
};

struct Assignment {
  std::string target;
  Expr value;
  int line = 0;
};

struct Program {
  // The program's name in a run (results, --own): the function's name, or for a library file of
  // tokpidjin's (solver_md5/<md5>.py, whose function is always `solve`) the file's name.
  std::string name;
  std::string function;  // the name after `def`
  std::vector<std::string> params;       // e.g. {"I"} or {"S", "I", "C"}
  std::optional<std::string> docstring;  // the string's value, when the body starts with one
  std::vector<Assignment> body;
  Expr result;  // the returned expression
  Dialect dialect = Dialect::ArcDsl;
  std::string file;
  int line = 0;         // of the `def`
  int result_line = 0;  // of the `return`
};

// "S, I, C": parameters as Python prints them in a signature.
std::string params_text(const std::vector<std::string>& params);

}  // namespace megabatch::program
