// Dag: every loaded program hash-consed into one shared graph. Variables disappear (a variable is the
// node of its defining expression), identical calls become one node, and node ids are assigned in
// creation order, which is topological (children before parents): evaluating nodes in id order is valid.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/program/program.hpp"

namespace megabatch::program {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class NodeKind : std::uint8_t { Param, Primitive, Constant, IntLiteral, Call };

struct Node {
  NodeKind kind = NodeKind::Param;
  Dialect dialect = Dialect::ArcDsl;  // Primitive/Constant: whose name it is
  std::string name;          // Param/Primitive/Constant: the name; IntLiteral: its decimal text
  std::int64_t value = 0;    // IntLiteral only
  NodeId callee = kNoNode;   // Call only: a Primitive, Param, Constant or Call node
  std::vector<NodeId> args;  // Call only
};

// A program as the DAG sees it: its signature and the node it returns.
struct DagProgram {
  std::string name;      // unique in the run (see Program::name)
  std::string function;  // the name after `def`
  Dialect dialect = Dialect::ArcDsl;
  std::vector<std::string> params;
  std::optional<std::string> docstring;
  std::string file;
  int line = 0;
  NodeId output = kNoNode;
  // Every assignment's node and then the output's, in statement order. CPython runs every line,
  // used or not, and the first that fails ends the call: the executor reads a program's outcome here.
  std::vector<NodeId> statements;
  std::vector<NodeId> slice;  // every node the statements reach, ascending (= topological) ids
};

class Dag {
 public:
  // Adds a parsed (name-resolved) program; returns its index in programs(). Assignments the result
  // does not depend on are nodes of its slice too: they run, as in CPython, and can fail the program.
  // Throws std::invalid_argument (naming file and line) on an unresolved name or an undefined variable.
  std::size_t add(const Program& program);

  // Hash-consing constructors: return the existing node when an identical one exists.
  NodeId param(std::string_view name);
  NodeId primitive(std::string_view name, Dialect dialect = Dialect::ArcDsl);
  NodeId constant(std::string_view name, Dialect dialect = Dialect::ArcDsl);
  NodeId integer(std::int64_t value, std::string_view text = {});  // text defaults to the decimal value
  NodeId call(NodeId callee, std::vector<NodeId> args);

  const Node& node(NodeId id) const { return nodes_[id]; }
  const std::vector<Node>& nodes() const { return nodes_; }
  std::size_t size() const { return nodes_.size(); }
  const std::vector<DagProgram>& programs() const { return programs_; }

  // Sum over programs of their slice sizes: the node count had each program its own graph.
  std::size_t unshared_node_count() const { return unshared_nodes_; }
  // Nodes in the shared graph.
  std::size_t shared_node_count() const { return nodes_.size(); }

 private:
  NodeId intern(Node node);
  NodeId build(const Expr& e, const std::unordered_map<std::string, NodeId>& variables, const Program& program,
               int line);
  std::vector<NodeId> compute_slice(const std::vector<NodeId>& roots);

  std::vector<Node> nodes_;
  std::unordered_map<std::string, NodeId> index_;  // binary key of a node -> its id
  std::vector<DagProgram> programs_;
  std::vector<std::uint32_t> marks_;  // per-node visit stamps for slice computation
  std::uint32_t generation_ = 0;
  std::size_t unshared_nodes_ = 0;
};

}  // namespace megabatch::program
