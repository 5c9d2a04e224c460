// `megabatch eval 'EXPR'` and `megabatch primitives`: the DSL at the command line.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "cpu/dsl/evaluate.hpp"
#include "cpu/dsl/registry.hpp"
#include "gpu/grid_ops.hpp"

namespace megabatch::app {
namespace {

// One expression under its own budget: the repr on success, else why not.
struct Evaluated {
  enum class Kind { Ok, Error, Budget } kind;
  std::string text;
};

Evaluated evaluate_text(const std::string& text, Dialect dialect, std::int64_t cells) {
  Budget budget;
  budget.max_cells = cells;
  BudgetScope scope(&budget);
  try {
    return {Evaluated::Kind::Ok, repr(cpu::evaluate(parse_expression(text), dialect))};
  } catch (const ExprSyntaxError& e) {
    return {Evaluated::Kind::Error, std::string("syntax: ") + e.what()};
  } catch (const BudgetExceeded& e) {
    return {Evaluated::Kind::Budget, e.what()};
  } catch (const EvalError& e) {
    return {Evaluated::Kind::Error, e.what()};
  }
}

// --batch: one expression a line, one result a line ("ok <repr>", "error <why>", "budget <why>"),
// so that a differential driver pays one process start for thousands of expressions.
int evaluate_batch(const std::string& path, Dialect dialect, std::int64_t cells) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::cerr << "eval: " << path << ": cannot open\n";
      return kExitUsage;
    }
    in = &file;
  }
  static const char* kWords[] = {"ok", "error", "budget"};
  std::string line, out;
  while (std::getline(*in, line)) {
    const Evaluated r = evaluate_text(line, dialect, cells);
    out += kWords[static_cast<int>(r.kind)];
    out += ' ';
    for (char c : r.text) out += c == '\n' ? ' ' : c;
    out += '\n';
    if (out.size() > (1u << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

const Registrar eval_command("eval", 30, [](CLI::App& app, const GlobalOptions&) {
  auto* sub = app.add_subcommand("eval", "Evaluate one DSL expression and print its Python repr");
  auto text = std::make_shared<std::string>();
  auto batch = std::make_shared<std::string>();
  auto dialect = std::make_shared<std::string>("arc-dsl");
  auto cells = std::make_shared<std::int64_t>(4'000'000);
  sub->add_option("expression", *text, "e.g. 'rot90(((1, 2), (3, 4)))'");
  sub->add_option("--batch", *batch, "evaluate every line of FILE (- for stdin), one result line each");
  sub->add_option("--dialect", *dialect, "arc-dsl or tokpidjin: whose primitives and constants the names are")
      ->check(CLI::IsMember({"arc-dsl", "tokpidjin"}))
      ->capture_default_str();
  sub->add_option("--max-cells", *cells, "cell budget for the evaluation")->capture_default_str();
  return std::function<int()>([text, batch, dialect, cells] {
    const Dialect d = *dialect_from_name(*dialect);
    if (!batch->empty()) return evaluate_batch(*batch, d, *cells);
    if (text->empty()) {
      std::cerr << "eval: give an expression or --batch FILE\n";
      return kExitUsage;
    }
    const Evaluated r = evaluate_text(*text, d, *cells);
    switch (r.kind) {
      case Evaluated::Kind::Ok:
        std::cout << r.text << "\n";
        return std::cout.flush() ? kExitOk : kExitFailure;
      case Evaluated::Kind::Budget: std::cerr << "eval: budget: " << r.text << "\n"; break;
      case Evaluated::Kind::Error:
        if (r.text.starts_with("syntax: ")) {
          std::cerr << "eval: " << r.text.substr(8) << "\n";
          return kExitUsage;
        }
        std::cerr << "eval: error: " << r.text << "\n";
        break;
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
  auto device = std::make_shared<bool>(false);
  sub->add_flag("--device", *device, "only those with a device body (their descriptor's device field: gpu/ops/grid_ops.hpp)");
  return std::function<int()>([dialect, builtins, device] {
    for (int id : cpu::dialect_primitives(*dialect_from_name(*dialect))) {
      const auto& p = cpu::primitives()[id];
      if (p.builtin && !*builtins) continue;
      if (*device && !p.device && !p.device_select) continue;
      std::printf("%-18s %d  %s  [%s]\n", p.name.c_str(), p.arity, p.description.c_str(), p.signature().c_str());
    }
    return kExitOk;
  });
});

}  // namespace
}  // namespace megabatch::app
