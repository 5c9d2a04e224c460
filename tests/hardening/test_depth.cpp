// Hardening, depth: programs that build closure chains or nested values hundreds of thousands deep,
// and solver lines that nest calls tens of thousands deep, stop as budget stops or syntax errors; the
// rest of the run goes on. Before, each of these overflowed the stack (SIGSEGV) when the chain was
// called, compared, printed or freed, or when the line was parsed.
#include <gtest/gtest.h>

#include <string>

#include "../graph/cli_support.hpp"

namespace megabatch {
namespace {

using test::read_json;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

test::CommandResult eval(const std::string& expression) { return run_args({"eval", expression}); }

TEST(HardeningDepth, AMillionDeepClosureChainIsBuiltAndFreedAndCallingItIsABudgetStop) {
  // power(x, 999) of lbind(compose, identity) applied 999 times: a compose chain about 10^6 deep.
  const std::string chain = "power(power(lbind(compose, identity), 999), 999)(identity)";
  auto built = eval(chain);
  EXPECT_EQ(built.exit_code, 0) << built.err;
  EXPECT_EQ(built.out, "<function compose.<locals>.<lambda>>\n");
  auto called = eval(chain + "(5)");
  EXPECT_EQ(called.exit_code, 1) << called.err;
  EXPECT_EQ(called.err, "eval: budget: recursion depth exceeded (values or closures nested too deeply)\n");
}

TEST(HardeningDepth, ValuesNestedHalfAMillionDeepStopComparingAndPrintingAndAreFreed) {
  const std::string nested = "power(power(lbind(astuple, 1), 999), 500)(2)";  // (1, (1, (1, ... 2)))
  auto printed = eval(nested);
  EXPECT_EQ(printed.exit_code, 1);
  EXPECT_NE(printed.err.find("budget: recursion depth exceeded"), std::string::npos) << printed.err;
  auto compared = eval("equality(" + nested + ", " + nested + ")");
  EXPECT_EQ(compared.exit_code, 1);
  EXPECT_NE(compared.err.find("budget: recursion depth exceeded"), std::string::npos) << compared.err;
  auto kept = eval("size(initset(" + nested + "))");  // built, held in a set, freed: no recursion
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(kept.out, "1\n");
}

TEST(HardeningDepth, EvalRefusesExpressionsNestedTooDeeply) {
  TempDir dir;
  std::string deep;
  for (int k = 0; k < 40'000; ++k) deep += "identity(";
  deep += "1" + std::string(40'000, ')');
  std::string chained = "identity";
  for (int k = 0; k < 40'000; ++k) chained += "(identity)";
  // Too long for a command-line argument: a batch file, one expression a line.
  write_file(dir / "deep.txt", deep + "\n" + chained + "(1)\nidentity(7)\n");
  auto r = run_args({"eval", "--batch", (dir / "deep.txt").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "error syntax: syntax error at column 1810: expression nested too deeply\n"   // 201 calls deep
            "error syntax: syntax error at column 2010: expression nested too deeply\n"
            "ok 7\n");
}

// The depth budget is a count (1,000 levels, CPython's recursion limit), the same on every thread and
// at every stack depth: a chain under it runs alike on the main thread (eval) and on the workers
// (run), one over it stops alike. (Under it by half: a sanitizer build's frames are large enough for
// a worker's stack backstop to stop 999 levels.)
TEST(HardeningDepth, TheDepthLimitIsTheSameOnEveryThread) {
  const std::string under = "power(lbind(compose, identity), 500)(identity)";             // 500 deep
  const std::string over = "power(power(lbind(compose, identity), 999), 2)(identity)";    // 1,998 deep
  EXPECT_EQ(eval(under + "(7)").out, "7\n");
  EXPECT_NE(eval(over + "(7)").err.find("budget: recursion depth exceeded"), std::string::npos);
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  write_file(dir / "p.py", "def solve_under(I):\n    x1 = lbind(compose, identity)\n    x2 = power(x1, 500)\n"
                           "    x3 = x2(identity)\n    O = x3(I)\n    return O\n\n"
                           "def solve_over(I):\n    x1 = lbind(compose, identity)\n    x2 = power(x1, 999)\n"
                           "    x3 = power(x2, 2)\n    x4 = x3(identity)\n    O = x4(I)\n    return O\n");
  auto r = run_args({"run", "--exhaustive", "--threads", "2", "--tasks", tasks.string(), "--programs",
                     (dir / "p.py").string(), "--out", (dir / "out").string(), "--set", "cache=off"});
  ASSERT_LE(r.exit_code, 1) << r.err;
  const auto metrics = read_json(dir / "out/metrics.json");
  // every sample of every task: solve_over stops on each, solve_under never does
  EXPECT_EQ(metrics["budget_stops"], metrics["samples"]);
  EXPECT_EQ(metrics["errors"], 0);
}

// Among good programs: the deep ones are a syntax error (the parser) or a budget stop (evaluation),
// and the good ones still solve their tasks.
TEST(HardeningDepth, DeepProgramsAmongGoodOnesCostOnlyThemselves) {
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  std::string programs =
      "def solve_flip(I):\n    O = vmirror(I)\n    return O\n\n"
      "def solve_upside(I):\n    O = hmirror(I)\n    return O\n\n"
      // the seven-line solver: a closure chain 999 x 30 deep, called
      "def solve_power_chain(I):\n    x1 = lbind(compose, identity)\n    x2 = power(x1, 999)\n"
      "    x3 = power(x2, 30)\n    x4 = x3(identity)\n    O = x4(I)\n    return O\n\n"
      // a call of a call of a call ... 40,000 times on one line
      "def solve_chained_calls(I):\n    O = identity";
  for (int k = 0; k < 40'000; ++k) programs += "(identity)";
  programs += "(I)\n    return O\n\n";
  // 40,000 lines, each composing the previous closure once more
  programs += "def solve_long_compose(I):\n    x1 = compose(identity, identity)\n";
  for (int k = 2; k < 40'000; ++k)
    programs += "    x" + std::to_string(k) + " = compose(x" + std::to_string(k - 1) + ", identity)\n";
  programs += "    x40000 = x39999(I)\n    O = x40000\n    return O\n";
  write_file(dir / "deep.py", programs);

  auto r = run_args({"run", "--tasks", tasks.string(), "--programs", (dir / "deep.py").string(), "--out",
                     (dir / "out").string(), "--threads", "2", "--set", "cache=off"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one program rejected
  EXPECT_NE(r.err.find("deep.py:18: solve_chained_calls: syntax error: expression nested too deeply"),
            std::string::npos)
      << r.err.substr(0, 2000);
  const auto metrics = read_json(dir / "out/metrics.json");
  EXPECT_EQ(metrics["programs"], 4);
  EXPECT_GE(metrics["budget_stops"].get<int>(), 2 * 5);  // both deep programs, on every task's first demo
  const auto score = read_json(dir / "out/score.json");
  EXPECT_TRUE(score["per_task"]["flip"].get<bool>());
  EXPECT_EQ(score["solved_tasks"], 1);  // upside's second test output is wrong on purpose
}

}  // namespace
}  // namespace megabatch
