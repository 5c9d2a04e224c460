#include "engine/program/source.hpp"

namespace megabatch::program {

std::string expr_source(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Name: return e.text;
    case ExprKind::Int: return std::to_string(e.value);
    case ExprKind::Call: {
      std::string s = expr_source(e.callee()) + "(";
      for (std::size_t k = 1; k < e.children.size(); ++k) {
        if (k > 1) s += ", ";
        s += expr_source(e.children[k]);
      }
      return s + ")";
    }
  }
  return {};
}

std::string to_source(const Program& p) {
  std::string s = "def " + p.function + "(" + params_text(p.params) + "):\n";
  for (const Assignment& a : p.body) s += "    " + a.target + " = " + expr_source(a.value) + "\n";
  return s + "    return " + expr_source(p.result) + "\n";
}

}  // namespace megabatch::program
