// Dag construction: hash-consed node creation in statement order (every assignment, used or not),
// then each program's slice by an explicit-stack walk from all of its statements.
#include "engine/program/dag.hpp"

#include <algorithm>
#include <stdexcept>

namespace megabatch::program {
namespace {

void append_id(std::string& key, NodeId id) {
  for (int i = 0; i < 4; ++i) key.push_back(static_cast<char>((id >> (8 * i)) & 0xff));
}

}  // namespace

NodeId Dag::intern(Node node) {
  std::string key(1, static_cast<char>(node.kind));
  if (node.kind == NodeKind::Call) {
    append_id(key, node.callee);
    for (NodeId a : node.args) append_id(key, a);
  } else {
    key += static_cast<char>(node.dialect);
    key += node.name;
  }
  auto [it, inserted] = index_.try_emplace(std::move(key), static_cast<NodeId>(nodes_.size()));
  if (inserted) {
    if (nodes_.size() >= kNoNode) throw std::length_error("dag.cpp: more nodes than NodeId can number");
    nodes_.push_back(std::move(node));
  }
  return it->second;
}

NodeId Dag::param(std::string_view name) {
  return intern(Node{NodeKind::Param, Dialect::ArcDsl, std::string(name), 0, kNoNode, {}});
}

NodeId Dag::primitive(std::string_view name, Dialect dialect) {
  return intern(Node{NodeKind::Primitive, dialect, std::string(name), 0, kNoNode, {}});
}

NodeId Dag::constant(std::string_view name, Dialect dialect) {
  return intern(Node{NodeKind::Constant, dialect, std::string(name), 0, kNoNode, {}});
}

NodeId Dag::integer(std::int64_t value, std::string_view text) {
  std::string t = text.empty() ? std::to_string(value) : std::string(text);
  return intern(Node{NodeKind::IntLiteral, Dialect::ArcDsl, std::move(t), value, kNoNode, {}});
}

NodeId Dag::call(NodeId callee, std::vector<NodeId> args) {
  // Children must exist already; that is what keeps ids topological.
  const NodeId next = static_cast<NodeId>(nodes_.size());
  if (callee >= next || std::any_of(args.begin(), args.end(), [&](NodeId a) { return a >= next; }))
    throw std::invalid_argument("dag.cpp: Dag::call given a node id that does not exist");
  return intern(Node{NodeKind::Call, Dialect::ArcDsl, {}, 0, callee, std::move(args)});
}

NodeId Dag::build(const Expr& e, const std::unordered_map<std::string, NodeId>& variables, const Program& program,
                  int line) {
  auto where = [&] { return program.file + ":" + std::to_string(line) + ": " + program.name + ": "; };
  switch (e.kind) {
    case ExprKind::Int:
      return integer(e.value, e.text);
    case ExprKind::Call: {
      NodeId callee = build(e.children.front(), variables, program, line);
      std::vector<NodeId> args;
      args.reserve(e.children.size() - 1);
      for (std::size_t i = 1; i < e.children.size(); ++i)
        args.push_back(build(e.children[i], variables, program, line));
      return call(callee, std::move(args));
    }
    case ExprKind::Name:
      switch (e.name_kind) {
        case NameKind::Variable: {
          auto it = variables.find(e.text);
          if (it == variables.end()) throw std::invalid_argument(where() + "variable '" + e.text + "' is not defined");
          return it->second;
        }
        case NameKind::Param:
          return param(e.text);
        case NameKind::Primitive:
          return primitive(e.text, program.dialect);
        case NameKind::Constant:
          return constant(e.text, program.dialect);
        case NameKind::Unresolved:
          break;
      }
      throw std::invalid_argument(where() + "name '" + e.text + "' was never resolved");
  }
  throw std::logic_error("dag.cpp: unknown expression kind");
}

std::size_t Dag::add(const Program& program) {
  std::unordered_map<std::string, NodeId> variables;
  std::vector<NodeId> statements;
  statements.reserve(program.body.size() + 1);
  for (const Assignment& a : program.body) {
    const NodeId id = build(a.value, variables, program, a.line);
    variables[a.target] = id;
    statements.push_back(id);
  }

  DagProgram p;
  p.name = program.name;
  p.function = program.function.empty() ? program.name : program.function;
  p.dialect = program.dialect;
  p.params = program.params;
  p.docstring = program.docstring;
  p.file = program.file;
  p.line = program.line;
  p.output = build(program.result, variables, program, program.result_line);
  statements.push_back(p.output);
  p.slice = compute_slice(statements);
  p.statements = std::move(statements);
  unshared_nodes_ += p.slice.size();
  programs_.push_back(std::move(p));
  return programs_.size() - 1;
}

std::vector<NodeId> Dag::compute_slice(const std::vector<NodeId>& roots) {
  if (marks_.size() < nodes_.size()) marks_.resize(nodes_.size(), 0);
  if (++generation_ == 0) {  // stamp wrapped: clear and start over
    std::fill(marks_.begin(), marks_.end(), 0);
    generation_ = 1;
  }
  std::vector<NodeId> slice, stack;
  for (NodeId root : roots)
    if (marks_[root] != generation_) {
      marks_[root] = generation_;
      stack.push_back(root);
    }
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    slice.push_back(id);
    const Node& n = nodes_[id];
    if (n.kind != NodeKind::Call) continue;
    auto visit = [&](NodeId child) {
      if (marks_[child] != generation_) {
        marks_[child] = generation_;
        stack.push_back(child);
      }
    };
    visit(n.callee);
    for (NodeId a : n.args) visit(a);
  }
  std::sort(slice.begin(), slice.end());
  return slice;
}

}  // namespace megabatch::program
