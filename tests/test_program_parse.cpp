// Parser tests: the accepted grammar, name resolution, each error kind with its message, and that a
// bad function is skipped while the rest of its file loads.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "engine/program/parse.hpp"

namespace megabatch::program {
namespace {

const std::filesystem::path kPrograms = std::filesystem::path(MEGABATCH_SOURCE_DIR) / "tests/data/programs";

// A few arc-dsl primitives with their arities and constants, standing in for the cpu layer's table.
struct FakeVocabulary final : Vocabulary {
  std::optional<int> primitive_arity(std::string_view name) const override {
    static const std::map<std::string, int, std::less<>> kArity = {
        {"hmirror", 1}, {"vmirror", 1}, {"rot90", 1},    {"identity", 1}, {"vconcat", 2},
        {"hconcat", 2}, {"rbind", 2},   {"shift", 2},    {"combine", 2},  {"fork", 3},
        {"crop", 3},    {"branch", 3},  {"dead_end", 1}};
    auto it = kArity.find(name);
    return it == kArity.end() ? std::nullopt : std::optional<int>(it->second);
  }
  bool is_constant(std::string_view name) const override {
    return name == "ZERO" || name == "ONE" || name == "DOWN" || name == "NEG_ONE" || name == "T";
  }
};

ParseResult parse(std::string_view text) {
  FakeVocabulary vocabulary;
  return parse_source(text, "t.py", vocabulary);
}

// The single error a one-function source produces, as a one-liner.
std::string only_error(std::string_view text) {
  ParseResult r = parse(text);
  EXPECT_TRUE(r.programs.empty());
  EXPECT_EQ(r.errors.size(), 1u);
  return r.errors.empty() ? "" : r.errors.front().to_string();
}

TEST(ProgramParse, ArcDslFunction) {
  ParseResult r =
      parse("from dsl import *\n\ndef solve_8be77c9e(I):\n    x1 = hmirror(I)\n    O = vconcat(I, x1)\n    return O\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  ASSERT_EQ(r.programs.size(), 1u);
  const Program& p = r.programs[0];
  EXPECT_EQ(p.name, "solve_8be77c9e");
  EXPECT_EQ(p.params, std::vector<std::string>{"I"});
  EXPECT_EQ(p.line, 3);
  ASSERT_EQ(p.body.size(), 2u);
  EXPECT_EQ(p.body[0].target, "x1");
  EXPECT_EQ(p.body[0].line, 4);
  const Expr& call = p.body[1].value;
  ASSERT_EQ(call.kind, ExprKind::Call);
  EXPECT_EQ(call.callee().text, "vconcat");
  EXPECT_EQ(call.callee().name_kind, NameKind::Primitive);
  EXPECT_EQ(call.children[1].name_kind, NameKind::Param);
  EXPECT_EQ(call.children[2].name_kind, NameKind::Variable);
  EXPECT_EQ(p.result.text, "O");
  EXPECT_EQ(p.result_line, 6);
}

TEST(ProgramParse, NestedCallsLiteralsCallablesAndDocstring) {
  ParseResult r = parse(
      "def f(S, I, C):\n"
      "    \"\"\"doc\n    string\"\"\"\n"
      "    x1 = rbind(shift, DOWN)  # comment\n"
      "\n"
      "    # a whole-line comment\n"
      "    x2 = x1(I)\n"
      "    return branch(True, crop(x2, -12, 007 if 0 else 0), hmirror(\n"
      "        vconcat(I, C),\n"
      "    ))\n");
  // `007 if ...` is not part of the grammar: the whole function is rejected at that line.
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 8);

  r = parse(
      "def f(S, I, C):\n"
      "    \"\"\"doc\n    string\"\"\"\n"
      "    x1 = rbind(shift, DOWN)  # comment\n"
      "\n"
      "    # a whole-line comment\n"
      "    x2 = x1(I)\n"
      "    return branch(True, crop(x2, -12, 0), hmirror(\n"
      "        vconcat(I, C),\n"
      "    ))\n");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  const Program& p = r.programs.at(0);
  EXPECT_EQ(p.params, (std::vector<std::string>{"S", "I", "C"}));
  ASSERT_TRUE(p.docstring.has_value());
  EXPECT_EQ(*p.docstring, "doc\n    string");
  EXPECT_EQ(p.body[0].value.children[2].name_kind, NameKind::Constant);
  EXPECT_EQ(p.body[1].value.callee().name_kind, NameKind::Variable);
  EXPECT_EQ(p.body[1].line, 7);
  EXPECT_EQ(p.result_line, 8);
  const Expr& crop = p.result.children[2];
  EXPECT_EQ(crop.children[2].kind, ExprKind::Int);
  EXPECT_EQ(crop.children[2].value, -12);
  EXPECT_EQ(crop.children[2].text, "-12");
  EXPECT_EQ(p.result.children[1].name_kind, NameKind::Constant);  // True
}

TEST(ProgramParse, SyntaxErrors) {
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I\n    return x1\n"),
            "t.py:2: f: syntax error: '(' was never closed");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I))\n    return x1\n"),
            "t.py:2: f: syntax error: unmatched ')'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I) + 1\n    return x1\n"),
            "t.py:2: f: syntax error: unexpected character '+'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I I)\n    return x1\n"),
            "t.py:2: f: syntax error: expected ',' or ')' but found 'I'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = 3(I)\n    return x1\n"),
            "t.py:2: f: syntax error: an integer literal cannot be called");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(-I)\n    return x1\n"),
            "t.py:2: f: syntax error: unary minus is only supported before an integer literal");
  EXPECT_EQ(only_error("def f(I):\n    hmirror(I)\n    return I\n"),
            "t.py:2: f: syntax error: expected 'name = expression' or 'return expression'");
  EXPECT_EQ(only_error("def f(I):\n    return I\n    x1 = hmirror(I)\n"),
            "t.py:3: f: syntax error: statement after 'return'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I)\n      return x1\n"),
            "t.py:3: f: syntax error: inconsistent indentation");
  EXPECT_EQ(only_error("def f(I):\n    x1 = crop(I, 01, 2)\n    return x1\n"),
            "t.py:2: f: syntax error: leading zeros in decimal integer literals are not permitted");
  EXPECT_EQ(only_error("def f(I, I):\n    return I\n"), "t.py:1: f: duplicate parameter 'I'");
  EXPECT_EQ(only_error("def f(I):\n    return\n"), "t.py:2: f: syntax error: expected an expression but the line ends");
  EXPECT_EQ(only_error("def f(I):\n    x1 = shift(I, (1, 1))\n    return x1\n"),
            "t.py:2: f: syntax error: tuple literals and parentheses are not part of the solver format: use "
            "astuple(a, b) or a constant such as UNITY");
}

TEST(ProgramParse, NameErrors) {
  EXPECT_EQ(only_error("def f(I):\n    x1 = frobnicate(I)\n    return x1\n"), "t.py:2: f: unknown name 'frobnicate'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(x2)\n    x2 = vmirror(I)\n    return x1\n"),
            "t.py:2: f: variable 'x2' used before assignment (assigned at line 3)");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(x1)\n    return x1\n"),
            "t.py:2: f: variable 'x1' used before assignment (assigned at line 2)");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I)\n    x1 = vmirror(x1)\n    return x1\n"),
            "t.py:3: f: variable 'x1' assigned twice (first at line 2)");
  EXPECT_EQ(only_error("def f(I):\n    I = hmirror(I)\n    return I\n"), "t.py:2: f: assignment to parameter 'I'");
  EXPECT_EQ(only_error("def f(I):\n    x1 = vconcat(I)\n    return x1\n"),
            "t.py:2: f: primitive 'vconcat' takes 2 arguments but is given 1");
  EXPECT_EQ(only_error("def f(I):\n    return hmirror(I, I)\n"),
            "t.py:2: f: primitive 'hmirror' takes 1 argument but is given 2");
  EXPECT_EQ(only_error("def f(I):\n    x1 = hmirror(I)\n"), "t.py:1: f: function has no return statement");
}

TEST(ProgramParse, TopLevelErrors) {
  ParseResult r = parse("x = 1\ndef f(I):\n    return I\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(), "t.py:1: syntax error: expected a function definition or an import");
  ASSERT_EQ(r.programs.size(), 1u);
  r = parse("import os\nfrom a.b import (c,\n  d)\n    return I\ndef g(I):\n    return I\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(), "t.py:4: syntax error: unexpected indent");
  ASSERT_EQ(r.programs.size(), 1u);
  EXPECT_EQ(r.programs[0].name, "g");
}

TEST(ProgramParse, BadFunctionsSkippedOthersLoad) {
  FakeVocabulary vocabulary;
  ParseResult r = parse_path(kPrograms / "errors.py", vocabulary);
  std::vector<std::string> names;
  for (const auto& p : r.programs) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"solve_good_1", "solve_good_2"}));
  // The first definition of solve_good_1 is kept; the one returning vmirror(I) is reported.
  EXPECT_EQ(r.programs[0].body.size(), 1u);
  const std::string file = (kPrograms / "errors.py").string();
  std::vector<std::string> messages;
  for (const auto& e : r.errors) messages.push_back(e.to_string());
  EXPECT_EQ(messages, (std::vector<std::string>{
                          file + ":6: solve_bad_syntax: syntax error: '(' was never closed",
                          file + ":16: solve_bad_unknown: unknown name 'frobnicate'",
                          file + ":21: solve_bad_order: variable 'x2' used before assignment (assigned at line 22)",
                          file + ":28: solve_bad_twice: variable 'x1' assigned twice (first at line 27)",
                          file + ":33: solve_bad_arity: primitive 'vconcat' takes 2 arguments but is given 1",
                          file + ":37: solve_good_1: function 'solve_good_1' already defined at " + file + ":10",
                          file + ":41: solve_bad_noreturn: function has no return statement",
                      }));
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 6);
  EXPECT_EQ(r.errors[0].function, "solve_bad_syntax");
  EXPECT_EQ(r.errors[0].message, "syntax error: '(' was never closed");
}

TEST(ProgramParse, FolderTreeSortedWithDuplicatesAcrossFiles) {
  FakeVocabulary vocabulary;
  ParseResult r = parse_path(kPrograms / "tree", vocabulary);
  std::vector<std::string> names;
  for (const auto& p : r.programs) names.push_back(p.name + "@" + std::filesystem::path(p.file).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"solve_a@a.py", "solve_shared@a.py", "solve_b@b.py"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 7);
  EXPECT_EQ(r.errors[0].message,
            "function 'solve_shared' already defined at " + (kPrograms / "tree" / "a.py").string() + ":6");
}

TEST(ProgramParse, PermissiveVocabularyAcceptsAnyName) {
  PermissiveVocabulary vocabulary;
  ParseResult r = parse_source("def solve(S, I, C):\n    x1 = o_g(I, R7)\n    return get_nth_f(x1, F0, 1, 2, 3)\n",
                               "p.py", vocabulary);
  ASSERT_TRUE(r.errors.empty());
  const Program& p = r.programs.at(0);
  EXPECT_EQ(p.body[0].value.callee().name_kind, NameKind::Primitive);
  EXPECT_EQ(p.body[0].value.children[2].name_kind, NameKind::Constant);  // R7
  EXPECT_EQ(p.result.arg_count(), 5u);
  EXPECT_FALSE(vocabulary.primitive_arity("o_g").has_value());
}

TEST(ProgramParse, MissingPathThrowsNamingIt) {
  FakeVocabulary vocabulary;
  try {
    parse_path(kPrograms / "no_such_file.py", vocabulary);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_file.py"), std::string::npos);
  }
}

TEST(ProgramParse, DeepNestingIsASyntaxErrorNotACrash) {
  std::string expr = "I";
  for (int i = 0; i < 500; ++i) expr = "hmirror(" + expr + ")";
  ParseResult r = parse("def f(I):\n    return " + expr + "\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "syntax error: expression nested too deeply");
}

}  // namespace
}  // namespace megabatch::program
