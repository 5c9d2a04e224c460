// `megabatch eval 'EXPR'` and `megabatch primitives`: the DSL at the command line.
#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "cpu/dsl/evaluate.hpp"
#include "cpu/dsl/registry.hpp"

namespace megabatch::app {
namespace {

const Registrar eval_command("eval", 30, [](CLI::App& app, const GlobalOptions&) {
  auto* sub = app.add_subcommand("eval", "Evaluate one DSL expression and print its Python repr");
  auto text = std::make_shared<std::string>();
  auto cells = std::make_shared<std::int64_t>(4'000'000);
  sub->add_option("expression", *text, "e.g. 'rot90(((1, 2), (3, 4)))'")->required();
  sub->add_option("--max-cells", *cells, "cell budget for the evaluation")->capture_default_str();
  return std::function<int()>([text, cells] {
    Expr expr;
    try {
      expr = parse_expression(*text);
    } catch (const ExprSyntaxError& e) {
      std::cerr << "eval: " << e.what() << "\n";
      return kExitUsage;
    }
    Budget budget;
    budget.max_cells = *cells;
    BudgetScope scope(&budget);
    try {
      Value v = cpu::evaluate(expr);
      std::cout << repr(v) << "\n";
      return kExitOk;
    } catch (const BudgetExceeded& e) {
      std::cerr << "eval: budget: " << e.what() << "\n";
    } catch (const EvalError& e) {
      std::cerr << "eval: error: " << e.what() << "\n";
    }
    return kExitFailure;
  });
});

const Registrar primitives_command("primitives", 31, [](CLI::App& app, const GlobalOptions&) {
  auto* sub = app.add_subcommand("primitives", "List a dialect's DSL primitives: name, arity, description, signature");
  auto dialect = std::make_shared<std::string>("arc-dsl");
  auto builtins = std::make_shared<bool>(false);
  sub->add_option("--dialect", *dialect, "arc-dsl or tokpidjin")
      ->check(CLI::IsMember({"arc-dsl", "tokpidjin"}))
      ->capture_default_str();
  sub->add_flag("--builtins", *builtins, "also the Python builtins programs may pass as functions (len, abs, ...)");
  return std::function<int()>([dialect, builtins] {
    for (int id : cpu::dialect_primitives(*dialect_from_name(*dialect))) {
      const auto& p = cpu::primitives()[id];
      if (p.builtin && !*builtins) continue;
      std::printf("%-18s %d  %s  [%s]\n", p.name.c_str(), p.arity, p.description.c_str(), p.signature().c_str());
    }
    return kExitOk;
  });
});

}  // namespace
}  // namespace megabatch::app
