// Which dialect a program file is read in (detected from its signatures and names, or given), how a
// library file's `solve` is named, and how tokpidjin's programs are named by md5: as run_batt.py and
// prep_solver_dir.py name them, every program hashed as `def solve(S, I, C):`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cpu/dsl/vocabulary.hpp"
#include "engine/md5.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/inline.hpp"
#include "engine/program/parse.hpp"
#include "../test_support.hpp"

namespace megabatch::program {
namespace {

namespace fs = std::filesystem;

ParseResult parse(const std::string& text, ParseOptions options = {}) {
  return parse_source(text, "t.py", cpu::dsl_vocabularies(), options);
}

TEST(ProgramDialect, TheSicSignatureOrATokpidjinNameMakesAFileTokpidjins) {
  ParseResult sig = parse("def solve_a(S, I, C):\n    O = rot90(I)\n    return O\n");
  ASSERT_TRUE(sig.errors.empty()) << sig.errors[0].to_string();
  ASSERT_EQ(sig.files.size(), 1u);
  EXPECT_EQ(sig.files[0].dialect, Dialect::Tokpidjin);
  EXPECT_EQ(sig.files[0].reason, "the (S, I, C) signature at line 1");
  EXPECT_EQ(sig.programs[0].dialect, Dialect::Tokpidjin);

  ParseResult name = parse("def solve_b(I):\n    x1 = o_g(I, R5)\n    O = get_nth_f(x1, F0)\n    return O\n");
  ASSERT_TRUE(name.errors.empty()) << name.errors[0].to_string();
  EXPECT_EQ(name.files[0].dialect, Dialect::Tokpidjin);
  EXPECT_EQ(name.files[0].reason, "'o_g' at line 2, a tokpidjin name");

  ParseResult arc = parse("def solve_c(I):\n    x1 = objects(I, T, F, T)\n    O = mostcolor(I)\n    return O\n");
  ASSERT_TRUE(arc.errors.empty()) << arc.errors[0].to_string();
  EXPECT_EQ(arc.files[0].dialect, Dialect::ArcDsl);
}

TEST(ProgramDialect, MixingTheTwoInOneFileIsOneClearError) {
  ParseResult r = parse(
      "def solve_a(I):\n    O = mostcolor(I)\n    return O\n\n"
      "def solve_b(S, I, C):\n    x1 = o_g(I, R5)\n    return x1\n");
  EXPECT_TRUE(r.programs.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            "t.py:2: mixes the two dialects: 'mostcolor' at line 2 is arc-dsl's only, while the (S, I, C) signature "
            "at line 5 is tokpidjin's; the file is skipped (choose one with --dialect)");
}

TEST(ProgramDialect, AGivenDialectOverridesDetection) {
  const std::string text = "def solve_a(S, I, C):\n    O = mostcolor(I)\n    return O\n";
  ParseResult as_arc = parse(text, ParseOptions{Dialect::ArcDsl});
  ASSERT_TRUE(as_arc.errors.empty());
  EXPECT_EQ(as_arc.files[0].reason, "--dialect");
  EXPECT_EQ(as_arc.programs[0].dialect, Dialect::ArcDsl);
  ParseResult as_tok = parse(text, ParseOptions{Dialect::Tokpidjin});
  ASSERT_EQ(as_tok.errors.size(), 1u);
  EXPECT_NE(as_tok.errors[0].message.find("unknown name 'mostcolor'"), std::string::npos);
}

TEST(ProgramDialect, TokpidjinCallsAreNotArityCheckedButArcDslCallsAre) {
  // A tokpidjin primitive called with the wrong count returns its default at run time.
  EXPECT_TRUE(parse("def solve(S, I, C):\n    O = o_g(I)\n    return O\n").errors.empty());
  ParseResult arc = parse("def solve_x(I):\n    O = rot90(I, I)\n    return O\n");
  ASSERT_EQ(arc.errors.size(), 1u);
  EXPECT_NE(arc.errors[0].message.find("takes 1 argument but is given 2"), std::string::npos);
}

TEST(ProgramDialect, LibraryFilesAreNamedByTheirFileAndEachTargetIsReadOnce) {
  test::TempDir dir;
  fs::create_directories(dir / "solver_md5");
  const auto write = [&](const fs::path& p, const std::string& body) {
    std::ofstream(p) << "from dsl import *\nfrom constants import *\n\ndef solve(S, I, C):\n" << body << "    return O\n";
  };
  write(dir / "solver_md5" / "aaa.py", "    O = rot90(I)\n");
  write(dir / "solver_md5" / "bbb.py", "    O = hmirror_t(I)\n");
  // tokpidjin's solver_dir: links per task, two tasks sharing one program.
  fs::create_directories(dir / "solver_dir/solve_t1/3000/9");
  fs::create_directories(dir / "solver_dir/solve_t2/2000/10");
  fs::create_symlink("../../../../solver_md5/aaa.py", dir / "solver_dir/solve_t1/3000/9/aaa.py");
  fs::create_symlink("../../../../solver_md5/aaa.py", dir / "solver_dir/solve_t2/2000/10/aaa.py");
  fs::create_symlink("../../../../solver_md5/bbb.py", dir / "solver_dir/solve_t2/2000/10/bbb.py");
  ParseResult r = parse_paths({dir / "solver_dir", dir / "solver_md5"}, cpu::dsl_vocabularies());
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].to_string();
  ASSERT_EQ(r.programs.size(), 2u);
  EXPECT_EQ(r.programs[0].name, "aaa");
  EXPECT_EQ(r.programs[0].function, "solve");
  EXPECT_EQ(r.programs[1].name, "bbb");
  // Two files that define `solve` under one name are an error naming both, not a silent merge.
  fs::create_directories(dir / "other");
  write(dir / "other" / "aaa.py", "    O = rot180(I)\n");
  ParseResult twice = parse_paths({dir / "solver_md5", dir / "other"}, cpu::dsl_vocabularies());
  ASSERT_EQ(twice.errors.size(), 1u);
  EXPECT_NE(twice.errors[0].to_string().find("program 'aaa' (its file's name) already loaded from"), std::string::npos);
  // Within one file, a second `solve` is still an error naming both lines.
  ParseResult in_file = parse("def solve(S, I, C):\n    return I\n\ndef solve(S, I, C):\n    return I\n");
  ASSERT_EQ(in_file.errors.size(), 1u);
  EXPECT_EQ(in_file.errors[0].to_string(), "t.py:4: solve: function 'solve' already defined at t.py:1");
}

TEST(ProgramDialect, TokpidjinProgramsAreHashedAsSolveArcDslOnesByTheirName) {
  ParseResult tok = parse("def solve_abc(S, I, C):\n    x1 = rot90(I)\n    O = hmirror_t(x1)\n    return O\n");
  ParseResult arc = parse("def solve_abc(I):\n    x1 = rot90(I)\n    O = hmirror(x1)\n    return O\n");
  ASSERT_TRUE(tok.errors.empty() && arc.errors.empty());
  const std::string tok_text = "def solve(S, I, C):\n    return hmirror_t(rot90(I))";
  InlineResult t = inline_program(tok.programs[0]);
  EXPECT_EQ(t.text, tok_text);
  EXPECT_EQ(t.md5, md5_hex(tok_text));
  EXPECT_EQ(inline_program(arc.programs[0]).text, "def solve_abc(I):\n    return hmirror(rot90(I))");
  // expand_solver.py's file: what tokpidjin's card.py imports as it is.
  Dag dag;
  dag.add(tok.programs[0]);
  EXPECT_EQ(expanded_file_text(dag, 0),
            "from dsl import *\nfrom constants import *\n\ndef solve(S, I, C):\n    x1 = rot90(I)\n"
            "    O = hmirror_t(x1)\n    return O\n");
}

}  // namespace
}  // namespace megabatch::program
