#include "engine/program/fingerprint.hpp"

#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/md5.hpp"

namespace megabatch::program {

std::string program_fingerprint(const Dag& dag, std::size_t p) {
  const DagProgram& prog = dag.programs().at(p);
  std::string text = "program/1 ";
  text += dialect_name(prog.dialect);
  for (const auto& param : prog.params) text += ' ' + param;
  text += '\n';
  // Post-order numbering with an explicit stack: a chain of thousands of lines must not recurse.
  std::unordered_map<NodeId, std::uint32_t> number;
  auto children = [&](const Node& n) {
    std::vector<NodeId> c;
    if (n.kind == NodeKind::Call) {
      c.push_back(n.callee);
      c.insert(c.end(), n.args.begin(), n.args.end());
    }
    return c;
  };
  auto visit = [&](NodeId root) {
    std::vector<std::pair<NodeId, bool>> stack{{root, false}};
    while (!stack.empty()) {
      auto [id, expanded] = stack.back();
      stack.pop_back();
      if (number.count(id)) continue;
      const Node& n = dag.node(id);
      if (!expanded) {
        stack.push_back({id, true});
        auto c = children(n);
        for (auto it = c.rbegin(); it != c.rend(); ++it)
          if (!number.count(*it)) stack.push_back({*it, false});
        continue;
      }
      const auto k = static_cast<std::uint32_t>(number.size());
      number.emplace(id, k);
      switch (n.kind) {
        case NodeKind::Param: text += "param " + n.name; break;
        case NodeKind::Primitive: text += std::string("prim ") + dialect_name(n.dialect) + ' ' + n.name; break;
        case NodeKind::Constant: text += std::string("const ") + dialect_name(n.dialect) + ' ' + n.name; break;
        case NodeKind::IntLiteral: text += "int " + std::to_string(n.value); break;
        case NodeKind::Call:
          text += "call " + std::to_string(number.at(n.callee));
          for (NodeId a : n.args) text += ' ' + std::to_string(number.at(a));
          break;
      }
      text += '\n';
    }
  };
  for (NodeId s : prog.statements) visit(s);
  visit(prog.output);
  text += "statements";
  for (NodeId s : prog.statements) text += ' ' + std::to_string(number.at(s));
  text += "\noutput " + std::to_string(number.at(prog.output)) + '\n';
  return md5_hex(text);
}

}  // namespace megabatch::program
