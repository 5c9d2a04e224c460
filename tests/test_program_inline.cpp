// Inlining tests: MD5 against RFC 1321, inlined texts and md5s checked against tokpidjin's
// inline_variables output (expected values were produced by running tokpidjin's code on the
// fixtures), the expanded form, the expand round trip, the size refusal, and the `inline` command.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "engine/md5.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/inline.hpp"
#include "engine/program/parse.hpp"

namespace megabatch::program {
namespace {

const std::filesystem::path kPrograms = std::filesystem::path(MEGABATCH_SOURCE_DIR) / "tests/data/programs";

struct Loaded {
  ParseResult parsed;
  Dag dag;
};

// These fixtures keep each function's own name in its inlined text: read them as arc-dsl, whatever
// their signatures say (a tokpidjin program's text is always `def solve(S, I, C):`).
const ParseOptions kArcDsl{Dialect::ArcDsl};

Loaded load_source(std::string_view source) {
  PermissiveVocabulary vocabulary;
  Loaded l;
  l.parsed = parse_source(source, "t.py", Vocabularies{&vocabulary, &vocabulary}, kArcDsl);
  EXPECT_TRUE(l.parsed.errors.empty()) << l.parsed.errors.front().to_string();
  for (const auto& p : l.parsed.programs) l.dag.add(p);
  return l;
}

Loaded load_path(const std::filesystem::path& path) {
  PermissiveVocabulary vocabulary;
  Loaded l;
  l.parsed = parse_paths({path}, Vocabularies{&vocabulary, &vocabulary}, kArcDsl);
  EXPECT_TRUE(l.parsed.errors.empty()) << l.parsed.errors.front().to_string();
  for (const auto& p : l.parsed.programs) l.dag.add(p);
  return l;
}

// --- MD5 -------------------------------------------------------------------------------------------

TEST(Md5, Rfc1321TestSuite) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, IncrementalEqualsOneShotAndLongInput) {
  std::string text;
  for (int i = 0; i < 300; ++i) text.push_back(static_cast<char>('!' + i % 90));
  const std::string whole = md5_hex(text);
  for (std::size_t cut : {1u, 55u, 56u, 63u, 64u, 65u, 128u, 299u}) {
    Md5 md5;
    md5.update(std::string_view(text).substr(0, cut));
    md5.update(std::string_view(text).substr(cut));
    EXPECT_EQ(md5.hex_digest(), whole) << "cut at " << cut;
  }
  EXPECT_EQ(md5_hex(std::string(1'000'000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
}

// --- inline ----------------------------------------------------------------------------------------

TEST(ProgramInline, Solve8be77c9e) {
  Loaded l = load_source("def solve_8be77c9e(I):\n    x1 = hmirror(I)\n    O = vconcat(I, x1)\n    return O\n");
  InlineResult r = inline_program(l.parsed.programs.at(0));
  ASSERT_EQ(r.status, InlineStatus::Ok);
  EXPECT_EQ(r.text, "def solve_8be77c9e(I):\n    return vconcat(I, hmirror(I))");
  EXPECT_EQ(r.md5, "e7b68b374c3b842f686a394721fa08e0");
  EXPECT_EQ(r.chars, r.text.size());
}

TEST(ProgramInline, FixturesMatchTokpidjin) {
  Loaded l = load_path(kPrograms / "basic.py");
  Inliner inliner(l.dag);
  struct Expected {
    const char* md5;
    const char* text;
  };
  const Expected expected[] = {
      {"e7b68b374c3b842f686a394721fa08e0", "def solve_8be77c9e(I):\n    return vconcat(I, hmirror(I))"},
      // The diamond: the shared child is printed once per use.
      {"b0f5244bd754811fe2dbb6488737252b",
       "def solve_d1a30000(I):\n    return hconcat(vmirror(hmirror(I)), rot90(hmirror(I)))"},
      {"75d5932d70f2164a2cf17a139e348b92", "def solve_5a1e0001(I):\n    return vconcat(vmirror(hmirror(I)), I)"},
      {"f86f99cec2da928a436589d89a0738c1",
       "def solve_ca11ab1e(S, I, C):\n    \"\"\"Callable values, negative integers and booleans.\"\"\"\n"
       "    return branch(True, crop(fork(combine, identity, hmirror)(rbind(shift, DOWN)(I)), NEG_ONE, -2), "
       "vconcat(I, hmirror(I)))"},
  };
  ASSERT_EQ(l.dag.programs().size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    InlineResult r = inliner.inline_program(i);
    ASSERT_EQ(r.status, InlineStatus::Ok);
    EXPECT_EQ(r.text, expected[i].text);
    EXPECT_EQ(r.md5, expected[i].md5);
  }
  Loaded tree = load_path(kPrograms / "tree" / "sub");
  InlineResult b = Inliner(tree.dag).inline_program(0);
  EXPECT_EQ(b.text, "def solve_b(I):\n    return vconcat(hmirror(I), hmirror(I))");
  EXPECT_EQ(b.md5, "6b7ddacbbe976165e49766aca24e176a");
}

TEST(ProgramInline, DocstringLiteralsFollowAstUnparse) {
  EXPECT_EQ(python_docstring_literal("Doc with \"quotes\" and 'single'."),
            "\"\"\"Doc with \"quotes\" and 'single'.\"\"\"");
  EXPECT_EQ(python_docstring_literal("a\""), "'''a\"'''");
  EXPECT_EQ(python_docstring_literal("x'"), "\"\"\"x'\"\"\"");
  EXPECT_EQ(python_docstring_literal(""), "\"\"\"\"\"\"");
  EXPECT_EQ(python_docstring_literal("tab\there\nline"), "\"\"\"tab\there\nline\"\"\"");
  EXPECT_EQ(python_docstring_literal("\"\"\"x'''"), "'''\"\"\"x\\'\\'\\''''");
}

// --- expand ----------------------------------------------------------------------------------------

TEST(ProgramExpand, MatchesExpandSolver) {
  Loaded l = load_path(kPrograms / "basic.py");
  EXPECT_EQ(expand_function(l.dag, 1),
            "def solve_d1a30000(S, I, C):\n    x1 = hmirror(I)\n    x2 = vmirror(x1)\n    x3 = rot90(x1)\n"
            "    O = hconcat(x2, x3)\n    return O");
  // A call's callee is expanded before its arguments; the docstring is not carried over.
  EXPECT_EQ(expanded_file_text(l.dag, 3),
            "from dsl import *\nfrom constants import *\n\n"
            "def solve_ca11ab1e(S, I, C):\n    x1 = fork(combine, identity, hmirror)\n    x2 = rbind(shift, DOWN)\n"
            "    x3 = x2(I)\n    x4 = x1(x3)\n    x5 = crop(x4, NEG_ONE, -2)\n    x6 = hmirror(I)\n"
            "    x7 = vconcat(I, x6)\n    O = branch(True, x5, x7)\n    return O\n");
  ExpandOptions keep;
  keep.keep_params = true;
  EXPECT_EQ(expand_function(l.dag, 0, keep),
            "def solve_8be77c9e(I):\n    x1 = hmirror(I)\n    O = vconcat(I, x1)\n    return O");
  // A bare-name result has no steps; expand_solver.py then writes only `return O`.
  Loaded bare = load_source("def solve_0(I):\n    return I\n");
  EXPECT_EQ(expand_function(bare.dag, 0), "def solve_0(S, I, C):\n    return O");
  EXPECT_EQ(expand_function(bare.dag, 0, keep), "def solve_0(I):\n    return I");  // loads again
}

TEST(ProgramExpand, RoundTripKeepsTheMd5) {
  // Inline, expand, re-parse the expanded file, inline again: the same text and md5.
  auto round_trip = [](const Loaded& l, std::size_t index, bool keep_params) {
    Inliner inliner(l.dag);
    InlineResult first = inliner.inline_program(index);
    ExpandOptions options;
    options.keep_params = keep_params;
    Loaded again = load_source(expanded_file_text(l.dag, index, options));
    EXPECT_EQ(again.dag.programs().size(), 1u);
    InlineResult second = Inliner(again.dag).inline_program(0);
    EXPECT_EQ(second.text, first.text);
    EXPECT_EQ(second.md5, first.md5);
  };
  Loaded basic = load_path(kPrograms / "basic.py");
  for (std::size_t i = 0; i < 3; ++i) round_trip(basic, i, true);  // (I) programs keep their signature
  Loaded sic = load_source(
      "def solve_5e1c0000(S, I, C):\n    x1 = rbind(shift, DOWN)\n    x2 = x1(I)\n    x3 = fork(combine, x2, x2)\n"
      "    x4 = x3(x1(C))\n    O = crop(x4, -1, x3(x2))\n    return O\n");
  round_trip(sic, 0, false);  // expand_solver.py's (S, I, C) header is this program's own
}

// --- size refusal ----------------------------------------------------------------------------------

std::string doubling_chain(int n) {
  std::string src = "def f(I):\n    x1 = f(I, I)\n";
  for (int k = 2; k <= n; ++k)
    src += "    x" + std::to_string(k) + " = f(x" + std::to_string(k - 1) + ", x" + std::to_string(k - 1) + ")\n";
  return src + "    return x" + std::to_string(n) + "\n";
}

TEST(ProgramInline, RefusesExponentialUnfoldingQuickly) {
  const auto start = std::chrono::steady_clock::now();
  Loaded l = load_source(doubling_chain(40));
  InlineResult r = Inliner(l.dag).inline_program(0);
  EXPECT_EQ(r.status, InlineStatus::TooLarge);
  EXPECT_TRUE(r.text.empty());
  EXPECT_TRUE(r.md5.empty());
  // len(expr_k) = 2 len(expr_{k-1}) + 5 with len(expr_0) = 1, i.e. 6 * 2^k - 5; header is 21 chars.
  EXPECT_EQ(r.chars, 6ull * (1ull << 40) - 5 + 21);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));

  Loaded huge = load_source(doubling_chain(80));  // beyond 2^64: the size saturates
  EXPECT_EQ(Inliner(huge.dag).inline_program(0).chars, std::numeric_limits<std::uint64_t>::max());

  Loaded small = load_source(doubling_chain(3));
  InlineOptions options;
  options.max_chars = 6 * 8 - 5 + 21;
  EXPECT_EQ(Inliner(small.dag).inline_program(0, options).status, InlineStatus::Ok);
  options.max_chars -= 1;
  EXPECT_EQ(Inliner(small.dag).inline_program(0, options).status, InlineStatus::TooLarge);
}

TEST(ProgramInline, LongChainsDoNotExhaustTheStack) {
  std::string src = "def f(I):\n    x1 = g(I)\n";
  const int n = 100'000;
  for (int k = 2; k <= n; ++k) src += "    x" + std::to_string(k) + " = g(x" + std::to_string(k - 1) + ")\n";
  src += "    return x" + std::to_string(n) + "\n";
  Loaded l = load_source(src);
  InlineResult r = Inliner(l.dag).inline_program(0);
  ASSERT_EQ(r.status, InlineStatus::Ok);
  EXPECT_EQ(r.text.size(), 21u + 1 + 3u * n);
  const std::string expanded = expand_function(l.dag, 0);
  EXPECT_EQ(std::count(expanded.begin(), expanded.end(), '\n'), n + 1);
  EXPECT_NE(expanded.find("\n    x1 = g(I)\n    x2 = g(x1)\n"), std::string::npos);
  EXPECT_NE(expanded.find("\n    O = g(x99999)\n    return O"), std::string::npos);
}

// --- the inline command ----------------------------------------------------------------------------

struct CommandResult {
  int exit_code;
  std::string out, err;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult run_megabatch(const std::string& args) {
  const auto dir = std::filesystem::temp_directory_path() / ("mb_inline_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string("'") + MEGABATCH_BINARY + "' " + args + " >'" + (dir / "out").string() +
                          "' 2>'" + (dir / "err").string() + "'";
  int status = std::system(cmd.c_str());
  CommandResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
  std::filesystem::remove_all(dir);
  return r;
}

TEST(InlineCommand, PrintsMd5AndNameAndWritesExpandedFiles) {
  const auto expand_dir = std::filesystem::temp_directory_path() / ("mb_expand_" + std::to_string(::getpid()));
  std::filesystem::remove_all(expand_dir);
  CommandResult r = run_megabatch("inline --dialect arc-dsl '" + (kPrograms / "basic.py").string() + "' --expand '" +
                                  expand_dir.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "e7b68b374c3b842f686a394721fa08e0 solve_8be77c9e\nb0f5244bd754811fe2dbb6488737252b solve_d1a30000\n"
            "75d5932d70f2164a2cf17a139e348b92 solve_5a1e0001\nf86f99cec2da928a436589d89a0738c1 solve_ca11ab1e\n");
  EXPECT_EQ(slurp(expand_dir / "e7b68b374c3b842f686a394721fa08e0.py"),
            "from dsl import *\nfrom constants import *\n\ndef solve_8be77c9e(S, I, C):\n    x1 = hmirror(I)\n"
            "    O = vconcat(I, x1)\n    return O\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(expand_dir), {}), 4);
  std::filesystem::remove_all(expand_dir);

  r = run_megabatch("inline --text '" + (kPrograms / "tree" / "a.py").string() + "'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "8d3bbee9d35f2c5265177d0e79bd342d solve_a\ndef solve_a(I):\n    return hmirror(I)\n\n"
            "27bd70845a2651e1609a7645af432d8a solve_shared\ndef solve_shared(I):\n    return vmirror(I)\n\n");
}

TEST(InlineCommand, ErrorsRefusalsAndUsage) {
  CommandResult r = run_megabatch("inline '" + (kPrograms / "errors.py").string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(" solve_good_1\n"), std::string::npos);
  EXPECT_NE(r.out.find(" solve_good_2\n"), std::string::npos);
  // The permissive vocabulary knows no names or arities, so only the structural errors remain.
  EXPECT_NE(r.err.find("errors.py:6: solve_bad_syntax: syntax error: '(' was never closed\n"), std::string::npos);
  EXPECT_NE(r.err.find("errors.py:41: solve_bad_noreturn: function has no return statement\n"), std::string::npos);
  EXPECT_EQ(r.err.find("frobnicate"), std::string::npos);

  r = run_megabatch("inline --dialect arc-dsl --max-chars 56 '" + (kPrograms / "basic.py").string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "e7b68b374c3b842f686a394721fa08e0 solve_8be77c9e\n");  // exactly 56 characters
  EXPECT_NE(r.err.find("solve_d1a30000: inlined text would be 81 characters, over --max-chars 56"), std::string::npos);

  EXPECT_EQ(run_megabatch("inline").exit_code, 2);
  EXPECT_EQ(run_megabatch("inline '" + (kPrograms / "missing.py").string() + "'").exit_code, 2);
  EXPECT_EQ(run_megabatch("inline --max-chars x '" + (kPrograms / "basic.py").string() + "'").exit_code, 2);
}

}  // namespace
}  // namespace megabatch::program
