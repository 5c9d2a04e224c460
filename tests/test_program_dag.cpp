// Shared DAG tests: hash-consing across and within programs, topological numbering, slices, and the
// node counts before and after sharing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "engine/program/dag.hpp"
#include "engine/program/parse.hpp"

namespace megabatch::program {
namespace {

const std::filesystem::path kPrograms = std::filesystem::path(MEGABATCH_SOURCE_DIR) / "tests/data/programs";

Dag load(std::string_view source, ParseResult* parsed_out = nullptr) {
  PermissiveVocabulary vocabulary;
  ParseResult parsed = parse_source(source, "t.py", vocabulary);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().to_string();
  Dag dag;
  for (const auto& p : parsed.programs) dag.add(p);
  if (parsed_out) *parsed_out = std::move(parsed);
  return dag;
}

std::string describe(const Dag& dag, NodeId id) {
  const Node& n = dag.node(id);
  if (n.kind != NodeKind::Call) return n.name;
  std::string s = describe(dag, n.callee) + "(";
  for (std::size_t i = 0; i < n.args.size(); ++i) s += (i ? ", " : "") + describe(dag, n.args[i]);
  return s + ")";
}

TEST(ProgramDag, ProgramsSharingAPrefixShareNodes) {
  PermissiveVocabulary vocabulary;
  ParseResult parsed = parse_path(kPrograms / "basic.py", vocabulary);
  ASSERT_TRUE(parsed.errors.empty());
  Dag dag;
  for (std::size_t i = 0; i < 3; ++i) dag.add(parsed.programs[i]);  // 8be77c9e, d1a30000, 5a1e0001
  ASSERT_EQ(dag.programs().size(), 3u);
  EXPECT_EQ(dag.programs()[0].slice.size(), 5u);  // I hmirror hmirror(I) vconcat vconcat(...)
  EXPECT_EQ(dag.programs()[1].slice.size(), 9u);
  // dead_end(x2) is unused, but CPython runs it (and it may raise): it is in the slice too
  EXPECT_EQ(dag.programs()[2].slice.size(), 9u);
  EXPECT_EQ(dag.unshared_node_count(), 23u);
  EXPECT_EQ(dag.shared_node_count(), 14u);
  EXPECT_EQ(dag.programs()[2].statements.size(), 5u);  // x1, x2, x3, O and the returned O
  EXPECT_EQ(describe(dag, dag.programs()[2].statements[2]), "dead_end(vmirror(hmirror(I)))");

  // hmirror(I) and vmirror(hmirror(I)) are single nodes used by several programs.
  auto contains = [&](std::size_t program, NodeId id) {
    const auto& s = dag.programs()[program].slice;
    return std::binary_search(s.begin(), s.end(), id);
  };
  const NodeId vm = dag.node(dag.programs()[1].output).args[0];
  EXPECT_EQ(describe(dag, vm), "vmirror(hmirror(I))");
  EXPECT_EQ(dag.node(dag.programs()[2].output).args[0], vm);
  const NodeId hm = dag.node(vm).args[0];
  EXPECT_TRUE(contains(0, hm) && contains(1, hm) && contains(2, hm));
  EXPECT_FALSE(contains(0, vm));
}

TEST(ProgramDag, IdsAreTopologicalAndSlicesClosed) {
  PermissiveVocabulary vocabulary;
  ParseResult parsed = parse_path(kPrograms / "basic.py", vocabulary);
  Dag dag;
  for (const auto& p : parsed.programs) dag.add(p);
  for (NodeId id = 0; id < dag.size(); ++id) {
    const Node& n = dag.node(id);
    if (n.kind != NodeKind::Call) continue;
    EXPECT_LT(n.callee, id);
    for (NodeId a : n.args) EXPECT_LT(a, id);
  }
  std::size_t total = 0;
  for (const auto& p : dag.programs()) {
    total += p.slice.size();
    EXPECT_TRUE(std::is_sorted(p.slice.begin(), p.slice.end()));
    EXPECT_TRUE(std::binary_search(p.slice.begin(), p.slice.end(), p.output));
    for (NodeId s : p.statements) EXPECT_TRUE(std::binary_search(p.slice.begin(), p.slice.end(), s));
    for (NodeId id : p.slice) {
      const Node& n = dag.node(id);
      if (n.kind != NodeKind::Call) continue;
      EXPECT_TRUE(std::binary_search(p.slice.begin(), p.slice.end(), n.callee));
      for (NodeId a : n.args) EXPECT_TRUE(std::binary_search(p.slice.begin(), p.slice.end(), a));
    }
  }
  EXPECT_EQ(dag.unshared_node_count(), total);
}

TEST(ProgramDag, DiamondSharesTheCommonChild) {
  Dag dag = load(
      "def d(I):\n    x1 = hmirror(I)\n    x2 = vmirror(x1)\n    x3 = rot90(x1)\n    O = hconcat(x2, x3)\n"
      "    return O\n");
  const DagProgram& p = dag.programs().at(0);
  EXPECT_EQ(p.slice.size(), 9u);
  const Node& out = dag.node(p.output);
  EXPECT_EQ(dag.node(out.args[0]).args[0], dag.node(out.args[1]).args[0]);
  EXPECT_EQ(describe(dag, p.output), "hconcat(vmirror(hmirror(I)), rot90(hmirror(I)))");
}

TEST(ProgramDag, IdenticalCallsAreOneNode) {
  Dag dag = load("def f(I):\n    x1 = hmirror(I)\n    x2 = hmirror(I)\n    x3 = x2\n    return vconcat(x1, x3)\n");
  const Node& out = dag.node(dag.programs()[0].output);
  EXPECT_EQ(out.args[0], out.args[1]);
  EXPECT_EQ(dag.size(), 5u);  // hmirror, I, hmirror(I), vconcat, vconcat(...)
  EXPECT_EQ(dag.programs()[0].slice.size(), 5u);
}

TEST(ProgramDag, NodeKindsAndPrimitivesAsValues) {
  Dag dag = load("def f(S, I, C):\n    x1 = fork(combine, identity, hmirror)\n    x2 = x1(hmirror(I))\n"
                 "    return crop(x2, NEG_ONE, -2, True)\n");
  const DagProgram& p = dag.programs()[0];
  const Node& out = dag.node(p.output);
  EXPECT_EQ(dag.node(out.callee).kind, NodeKind::Primitive);
  const Node& x2 = dag.node(out.args[0]);
  EXPECT_EQ(dag.node(x2.callee).kind, NodeKind::Call);  // a variable holding a callable
  // hmirror as an argument of fork and as a callee is the same Primitive node.
  EXPECT_EQ(dag.node(x2.callee).args[2], dag.node(x2.args[0]).callee);
  EXPECT_EQ(dag.node(out.args[1]).kind, NodeKind::Constant);
  EXPECT_EQ(dag.node(out.args[2]).kind, NodeKind::IntLiteral);
  EXPECT_EQ(dag.node(out.args[2]).value, -2);
  EXPECT_EQ(dag.node(out.args[3]).kind, NodeKind::Constant);
  EXPECT_EQ(dag.node(out.args[3]).name, "True");
  EXPECT_EQ(dag.node(dag.node(x2.args[0]).args[0]).kind, NodeKind::Param);
}

TEST(ProgramDag, Builders) {
  Dag dag;
  NodeId i = dag.param("I");
  NodeId h = dag.primitive("hmirror");
  EXPECT_EQ(dag.call(h, {i}), dag.call(h, {i}));
  EXPECT_EQ(dag.integer(-2), dag.integer(-2));
  EXPECT_NE(dag.integer(0), dag.integer(0, "-0"));  // different texts, different nodes
  EXPECT_NE(dag.param("T"), dag.constant("T"));
  EXPECT_THROW(dag.call(h, {NodeId{999}}), std::invalid_argument);
}

TEST(ProgramDag, UnresolvedProgramIsRejectedWithFileAndLine) {
  Program p;
  p.name = "f";
  p.file = "x.py";
  p.params = {"I"};
  p.result = Expr::call(Expr::name("hmirror", NameKind::Primitive), {Expr::name("Q")});
  p.result_line = 7;
  Dag dag;
  try {
    dag.add(p);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "x.py:7: f: name 'Q' was never resolved");
  }
}

}  // namespace
}  // namespace megabatch::program
