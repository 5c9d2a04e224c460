// Inlining and naming, bit-for-bit as tokpidjin does it. inline: every variable replaced by its
// defining expression (tree unfolding) and printed as Python's ast.unparse prints the function,
// `def <name>(<params>):\n    return <expr>` with no trailing newline, named by the MD5 of that text.
// expand: tokpidjin's expand_solver.py form of an inlined text, one `xK = ...` line per distinct call
// in post-order, the last one named O.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/program/dag.hpp"
#include "engine/program/program.hpp"

namespace megabatch::program {

enum class InlineStatus : std::uint8_t {
  Ok,
  TooLarge,  // the text would exceed InlineOptions::max_chars; nothing was built or hashed
};

struct InlineOptions {
  // Tree unfolding can grow exponentially (x2 = f(x1, x1), x3 = f(x2, x2), ...); refuse beyond this.
  std::uint64_t max_chars = 1'000'000;
};

struct InlineResult {
  InlineStatus status = InlineStatus::Ok;
  std::uint64_t chars = 0;  // length of the full inlined text (saturates at 2^64 - 1), known even when refused
  std::string text;         // empty unless Ok
  std::string md5;          // lowercase hex of text; empty unless Ok
};

struct ExpandOptions {
  // expand_solver.py always writes `def <name>(S, I, C):` (and `return O` for a bare-name result); set to
  // keep the program's own parameters and write a file that loads again (solver_md5/ of arc-dsl programs).
  bool keep_params = false;
};

// Inlines programs of one Dag. Expression lengths are memoized per node, so sizing costs O(nodes)
// over all programs and building a text costs O(its length).
class Inliner {
 public:
  explicit Inliner(const Dag& dag) : dag_(dag) {}

  InlineResult inline_program(std::size_t program_index, const InlineOptions& options = {});

  // Length of the unfolded expression of `id` as ast.unparse prints it, saturating.
  std::uint64_t expression_chars(NodeId id);
  // The unfolded expression text; the caller checks expression_chars first.
  std::string expression_text(NodeId id);

 private:
  void append_expression(NodeId id, std::string& out);

  const Dag& dag_;
  std::vector<std::uint64_t> chars_;  // memo, filled in id order
};

// One-off inlining of a single program (builds a private Dag).
InlineResult inline_program(const Program& program, const InlineOptions& options = {});

// expand_solver.py's function text: `def <name>(S, I, C):`, the step lines, `    return O`; no
// trailing newline. A program returning a bare name or literal has no steps and yields only the header
// and `    return O`, exactly as expand_solver.py does.
std::string expand_function(const Dag& dag, std::size_t program_index, const ExpandOptions& options = {});

// The file expand_solver.py writes to solver_md5/<md5>.py: the two star imports, a blank line, the
// expanded function and a final newline.
std::string expanded_file_text(const Dag& dag, std::size_t program_index, const ExpandOptions& options = {});

// How ast.unparse prints a docstring (3.11 rules: triple quotes, the quote kind the text allows).
std::string python_docstring_literal(const std::string& value);

}  // namespace megabatch::program
