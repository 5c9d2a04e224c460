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
  // Each step's call, its arguments as tokens: @g<k>@ a grid (0: I, k: step k), @i<n>@ the n-th integer source.
  std::vector<std::string> chain;
  auto emit = [&] {
    // Variables: features used, then the steps. Names are written here so a program reads as a solver.
    std::string body;
    std::vector<std::string> feature_vars(out.features.size());
    int next_var = 1;
    std::vector<std::string> step_vars{"I"};
    for (const std::string& call : chain) {
      std::string text;
      for (std::size_t k = 0; k < call.size();) {
        if (call[k] == '@') {  // @g<k>@ or @i<n>@
          const std::size_t end = call.find('@', k + 1);
          const std::string token = call.substr(k + 1, end - k - 1);
          const std::size_t index = std::stoul(token.substr(1));
          if (token[0] == 'g') {
            text += step_vars[index];
          } else if (index < constants) {
            text += ints[index];
          } else {
            std::string& v = feature_vars[index - constants];
            if (v.empty()) {
              v = var_name(next_var++);
              body += "    " + v + " = " + ints[index] + "\n";
            }
            text += v;
          }
          k = end + 1;
        } else {
          text += call[k++];
        }
      }
      const std::string v = var_name(next_var++);
      body += "    " + v + " = " + text + "\n";
      step_vars.push_back(v);
    }
    out.source += "def solve_e" + std::to_string(chain.size()) + "_" + std::to_string(out.programs) + "(" + params +
                  "):\n" + body + "    return " + step_vars.back() + "\n\n";
    ++out.programs;
  };
  // All calls of `op` at step `step` (1-based): its first grid argument is the previous step, any other grid
  // argument the input or an earlier step, integer arguments any integer source.
  std::function<void(int, int)> extend = [&](int step, int depth) {
    if (out.programs >= options.max_programs) return;
    if (step > depth) {
      emit();
      return;
    }
    for (const Op& op : ops) {
      std::vector<std::string> args(op.grid.size());
      std::function<void(std::size_t, bool)> fill = [&](std::size_t a, bool used_previous) {
        if (out.programs >= options.max_programs) return;
        if (a == args.size()) {
          if (!used_previous) return;
          std::string call = op.name + "(";
          for (std::size_t k = 0; k < args.size(); ++k) {
            if (k > 0) call += ", ";
            call += args[k];
          }
          chain.push_back(call + ")");
          extend(step + 1, depth);
          chain.pop_back();
          return;
        }
        if (op.grid[a]) {
          // the previous step first (a chain), then the input and earlier steps
          for (int g = step - 1; g >= 0; --g) {
            if (!used_previous && g != step - 1 && a + 1 == args.size()) continue;  // would leave the chain unused
            args[a] = "@g" + std::to_string(g) + "@";
            fill(a + 1, used_previous || g == step - 1);
          }
        } else {
          for (std::size_t i = 0; i < ints.size(); ++i) {
            args[a] = "@i" + std::to_string(i) + "@";
            fill(a + 1, used_previous);
          }
        }
      };
      fill(0, false);
      if (out.programs >= options.max_programs) return;
    }
  };
  for (int d = 1; d <= options.depth && out.programs < options.max_programs; ++d) extend(1, d);
  return out;
}

}  // namespace megabatch::search
