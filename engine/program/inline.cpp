// Inlined text and expanded form, both generated from the shared Dag: a node's text is a pure function
// of the node, so the unfolded text is printed by walking the DAG as a tree, and tokpidjin's
// text-keyed de-duplication in expand_solver.py is exactly node identity.
#include "engine/program/inline.hpp"

#include <limits>
#include <unordered_map>

#include "engine/md5.hpp"

namespace megabatch::program {
namespace {

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::string function_header(const std::string& name, const std::string& params) {
  return "def " + name + "(" + params + "):";
}

// The name a program's texts carry: tokpidjin names every candidate `solve` before hashing it
// (run_batt.py, prep_solver_dir.py) and its library files define `solve`; arc-dsl programs keep their own.
const std::string& text_name(const DagProgram& p) {
  static const std::string kSolve = "solve";
  return p.dialect == Dialect::Tokpidjin ? kSolve : p.function;
}

}  // namespace

std::string python_docstring_literal(const std::string& value) {
  // ast.unparse leaves newlines and tabs alone and escapes backslashes and non-printable characters.
  auto escape = [](unsigned char c, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  };
  std::string escaped;
  for (unsigned char c : value) escape(c, escaped);

  std::vector<std::string> quotes;
  for (const char* q : {"\"\"\"", "'''"})
    if (escaped.find(q) == std::string::npos) quotes.emplace_back(q);
  if (quotes.empty()) {
    // Both triple quotes occur: Python falls back to repr() inside '''...'''.
    std::string body;
    for (unsigned char c : value) {
      if (c == '\'') body += "\\'";
      else if (c == '\n') body += "\\n";
      else if (c == '\t') body += "\\t";
      else escape(c, body);
    }
    std::string literal(3, '\'');
    literal += body;
    literal.append(3, '\'');
    return literal;
  }
  if (!escaped.empty()) {
    // Prefer the quote kind that differs from the last character; else escape that character.
    const char last = escaped.back();
    if (quotes.size() == 2 && quotes[0][0] == last) std::swap(quotes[0], quotes[1]);
    if (quotes[0][0] == last) {
      escaped.back() = '\\';
      escaped.push_back(last);
    }
  }
  return quotes[0] + escaped + quotes[0];
}

std::uint64_t Inliner::expression_chars(NodeId id) {
  // Ids are topological, so filling the memo in id order sees every child before its parent.
  for (std::size_t k = chars_.size(); k <= id; ++k) {
    const Node& n = dag_.node(static_cast<NodeId>(k));
    if (n.kind != NodeKind::Call) {
      chars_.push_back(n.name.size());
      continue;
    }
    std::uint64_t size = add_saturating(chars_[n.callee], 2);  // "(" and ")"
    for (std::size_t i = 0; i < n.args.size(); ++i) {
      size = add_saturating(size, chars_[n.args[i]]);
      if (i > 0) size = add_saturating(size, 2);  // ", "
    }
    chars_.push_back(size);
  }
  return chars_[id];
}

std::string Inliner::expression_text(NodeId id) {
  std::string out;
  out.reserve(expression_chars(id));
  append_expression(id, out);
  return out;
}

void Inliner::append_expression(NodeId id, std::string& out) {
  // Explicit stack: a chain of thousands of calls must not overflow the C++ stack.
  // `done` counts how many of callee + args have been printed.
  struct Frame {
    NodeId id;
    std::size_t done;
  };
  std::vector<Frame> stack{{id, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Node& n = dag_.node(f.id);
    if (n.kind != NodeKind::Call) {
      out += n.name;
      stack.pop_back();
      continue;
    }
    if (f.done == 0) {
      f.done = 1;
      stack.push_back({n.callee, 0});
      continue;
    }
    const std::size_t printed_args = f.done - 1;
    if (printed_args == n.args.size()) {
      out += printed_args == 0 ? "()" : ")";
      stack.pop_back();
      continue;
    }
    out += printed_args == 0 ? "(" : ", ";
    ++f.done;
    const NodeId next = n.args[printed_args];
    stack.push_back({next, 0});  // invalidates f
  }
}

InlineResult Inliner::inline_program(std::size_t program_index, const InlineOptions& options) {
  const DagProgram& p = dag_.programs().at(program_index);
  std::string text = function_header(text_name(p), params_text(p.params)) + "\n";
  if (p.docstring) text += "    " + python_docstring_literal(*p.docstring) + "\n";
  text += "    return ";

  InlineResult result;
  result.chars = add_saturating(text.size(), expression_chars(p.output));
  if (result.chars > options.max_chars) {
    result.status = InlineStatus::TooLarge;
    return result;
  }
  text.reserve(result.chars);
  append_expression(p.output, text);
  result.md5 = md5_hex(text);
  result.text = std::move(text);
  return result;
}

InlineResult inline_program(const Program& program, const InlineOptions& options) {
  Dag dag;
  std::size_t index = dag.add(program);
  return Inliner(dag).inline_program(index, options);
}

std::string expand_function(const Dag& dag, std::size_t program_index, const ExpandOptions& options) {
  const DagProgram& p = dag.programs().at(program_index);
  std::string out = function_header(text_name(p), options.keep_params ? params_text(p.params) : "S, I, C");
  const NodeId root = p.output;
  // A bare-name result has no steps: expand_solver.py writes `return O` (an undefined name, kept for
  // byte equality); with the program's own parameters the file is meant to load again, so it returns the name.
  if (dag.node(root).kind != NodeKind::Call) return out + "\n    return " + (options.keep_params ? dag.node(root).name : "O");

  // Post-order over distinct calls (callee before arguments, left to right): the order in which
  // expand_solver.py creates steps, numbering from x1 and calling the last one O.
  std::unordered_map<NodeId, std::size_t> number;
  auto operand = [&](NodeId id) -> std::string {
    const Node& n = dag.node(id);
    if (n.kind != NodeKind::Call) return n.name;
    std::string var(1, 'x');  // built by appending: GCC 12 warns falsely on "x" + std::string&&
    var += std::to_string(number.at(id));
    return var;
  };
  struct Frame {
    NodeId id;
    std::size_t next;  // index into callee + args
  };
  std::vector<Frame> stack{{root, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const Node& n = dag.node(f.id);
    if (f.next <= n.args.size()) {
      const NodeId child = f.next == 0 ? n.callee : n.args[f.next - 1];
      ++f.next;
      if (dag.node(child).kind == NodeKind::Call && !number.count(child)) stack.push_back({child, 0});
      continue;
    }
    const NodeId id = f.id;
    stack.pop_back();
    number.emplace(id, number.size() + 1);
    out += "\n    ";
    out += id == root ? std::string("O") : operand(id);
    out += " = " + operand(n.callee) + "(";
    for (std::size_t i = 0; i < n.args.size(); ++i) {
      if (i > 0) out += ", ";
      out += operand(n.args[i]);
    }
    out += ")";
  }
  return out + "\n    return O";
}

std::string expanded_file_text(const Dag& dag, std::size_t program_index, const ExpandOptions& options) {
  return "from dsl import *\nfrom constants import *\n\n" + expand_function(dag, program_index, options) + "\n";
}

}  // namespace megabatch::program
