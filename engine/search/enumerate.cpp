#include "engine/search/enumerate.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>

namespace megabatch::search {
namespace {

bool grid_like(const std::string& hint) { return hint == "Grid" || hint == "Piece" || hint == "Element"; }
bool integer(const std::string& hint) { return hint == "Integer"; }

// "x<n>", built by appending: GCC 12 warns falsely (-Wrestrict) on "x" + std::to_string(n) here.
std::string var_name(int n) {
  std::string v(1, 'x');
  v += std::to_string(n);
  return v;
}

}  // namespace

Enumeration enumerate_programs(const TypeInfo& types, const EnumerationOptions& options) {
  if (options.depth < 1) throw std::invalid_argument("enumeration depth must be at least 1");
  Enumeration out;
  const std::set<std::string> allowed(options.primitives.begin(), options.primitives.end());
  for (const auto& name : allowed)
    if (!types.primitives.count(name)) throw std::invalid_argument("enumeration: unknown primitive '" + name + "'");
  // Operations: grid and integer hints in, at least one grid in, a grid out. Features: one grid in, an integer out.
  struct Op {
    std::string name;
    std::vector<bool> grid;  // per parameter: a grid (else an integer)
  };
  std::vector<Op> ops;
  for (const auto& [name, sig] : types.primitives) {
    if (!allowed.empty() && !allowed.count(name)) continue;
    const bool all_fit = std::all_of(sig.params.begin(), sig.params.end(),
                                     [](const std::string& h) { return grid_like(h) || integer(h); });
    const bool takes_grid = std::any_of(sig.params.begin(), sig.params.end(), grid_like);
    if (!sig.params.empty() && all_fit && takes_grid && grid_like(sig.returns)) {
      Op op{name, {}};
      for (const auto& h : sig.params) op.grid.push_back(grid_like(h));
      ops.push_back(std::move(op));
      out.operations.push_back(name);
    } else if (sig.params.size() == 1 && grid_like(sig.params[0]) && integer(sig.returns)) {
      out.features.push_back(name);
    }
  }
  if (ops.empty()) throw std::invalid_argument("enumeration: no primitive takes grids and integers and gives a grid");

  // Integer arguments: the constants, then one line per feature of I (defined only where a program uses it).
  std::vector<std::string> ints = options.integers.empty() ? types.colours : options.integers;
  const std::size_t constants = ints.size();
  for (const auto& f : out.features) ints.push_back(f + "(I)");
  const std::string params = options.tokpidjin ? "S, I, C" : "I";

  // Depth-first over chains, shallow programs first: every program of depth d before any of depth d+1.
  // A step is an operation and, per parameter, a grid (0: I, k: step k) or an integer source (an index of ints).
  struct Step {
    const Op* op;
    std::vector<std::size_t> args;
  };
  std::vector<Step> chain;
  auto emit = [&] {
    // Variables: the features a program uses, each where first needed, then one a step.
    std::string body;
    std::vector<std::string> feature_vars(out.features.size());
    int next_var = 1;
    std::vector<std::string> step_vars{"I"};
    for (const Step& step : chain) {
      std::string call = step.op->name + "(";
      for (std::size_t a = 0; a < step.args.size(); ++a) {
        if (a > 0) call += ", ";
        const std::size_t index = step.args[a];
        if (step.op->grid[a]) {
          call += step_vars[index];
        } else if (index < constants) {
          call += ints[index];
        } else {
          std::string& v = feature_vars[index - constants];
          if (v.empty()) {
            v = var_name(next_var++);
            body += "    " + v + " = " + ints[index] + "\n";
          }
          call += v;
        }
      }
      const std::string v = var_name(next_var++);
      body += "    " + v + " = " + call + ")\n";
      step_vars.push_back(v);
    }
    out.source += "def solve_e" + std::to_string(chain.size()) + "_" + std::to_string(out.programs) + "(" + params +
                  "):\n" + body + "    return " + step_vars.back() + "\n\n";
    ++out.programs;
  };
  // Every call of every operation at `step` (1-based) whose grid arguments include the previous step (so the
  // program is a chain), the previous step tried first; the others are the input or earlier steps.
  std::function<void(int, int)> extend = [&](int step, int depth) {
    if (out.programs >= options.max_programs) return;
    if (step > depth) {
      emit();
      return;
    }
    for (const Op& op : ops) {
      chain.push_back({&op, std::vector<std::size_t>(op.grid.size())});
      std::function<void(std::size_t, bool)> fill = [&](std::size_t a, bool uses_previous) {
        if (out.programs >= options.max_programs) return;
        if (a == op.grid.size()) {
          if (uses_previous) extend(step + 1, depth);
          return;
        }
        const std::size_t sources = op.grid[a] ? static_cast<std::size_t>(step) : ints.size();
        for (std::size_t k = 0; k < sources; ++k) {
          // grids from the previous step down to the input; integers in order. Indexed, not held by reference:
          // deeper steps push onto `chain`.
          chain[static_cast<std::size_t>(step) - 1].args[a] = op.grid[a] ? static_cast<std::size_t>(step) - 1 - k : k;
          fill(a + 1, uses_previous || (op.grid[a] && k == 0));
        }
      };
      fill(0, false);
      chain.pop_back();
    }
  };
  for (int d = 1; d <= options.depth && out.programs < options.max_programs; ++d) extend(1, d);
  return out;
}

}  // namespace megabatch::search
