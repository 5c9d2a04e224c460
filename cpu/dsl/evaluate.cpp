#include "cpu/dsl/evaluate.hpp"

#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

namespace {

Value evaluate_expr(const Expr& e, Dialect d) {
  switch (e.kind) {
    case Expr::Kind::Int: return Value::integer(e.value);
    case Expr::Kind::Bool: return Value::boolean(e.value != 0);
    case Expr::Kind::None: return Value::none();
    case Expr::Kind::Name: {
      if (int id = primitive_id(e.name, d); id >= 0) return Value::primitive(id);
      if (auto c = find_constant(e.name, d)) return *c;
      throw EvalError("name '" + e.name + "' is not defined");
    }
    case Expr::Kind::Tuple:
    case Expr::Kind::FrozenSet: {
      std::vector<Value> items;
      items.reserve(e.children.size());
      for (const Expr& c : e.children) items.push_back(evaluate_expr(c, d));
      return e.kind == Expr::Kind::Tuple ? make_tuple(std::move(items)) : make_set(std::move(items));
    }
    case Expr::Kind::Call: {
      Value f = evaluate_expr(e.children[0], d);
      std::vector<Value> args;
      args.reserve(e.children.size() - 1);
      for (std::size_t k = 1; k < e.children.size(); ++k) args.push_back(evaluate_expr(e.children[k], d));
      return call(f, args);
    }
  }
  throw EvalError("bad expression");
}

}  // namespace

Value evaluate(const Expr& e, Dialect dialect) {
  clear_error_site();
  try {
    return evaluate_expr(e, dialect);
  } catch (const std::exception& ex) {
    rethrow_named(ex);
  }
}

}  // namespace megabatch::cpu
