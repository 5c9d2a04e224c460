// `megabatch eval` and `megabatch primitives` as a user calls them.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct Result {
  int code;
  std::string out;
};

Result run(const std::string& args) {
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = ::popen((std::string("'") + MEGABATCH_BINARY + "' " + args + " 2>&1").c_str(), "r");
  if (!p) return {-1, ""};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(EvalCli, PrintsPythonReprWithCanonicalSets) {
  Result r = run("eval 'rot90(((1, 2), (3, 4)))'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "((3, 1), (4, 2))\n");
  r = run("eval 'objects(((1, 0), (0, 1)), T, T, T)'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "frozenset({frozenset({(1, (0, 0)), (1, (1, 1))})})\n");
}

TEST(EvalCli, EvaluationErrorIsOneLineNamingThePrimitiveAndExitsOne) {
  Result r = run("eval 'first(frozenset())'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("first"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
}

TEST(EvalCli, MalformedExpressionExitsTwo) {
  EXPECT_EQ(run("eval 'rot90((1, 2)'").code, 2);
  EXPECT_EQ(run("eval ''").code, 2);
}

TEST(EvalCli, RunawayGrowthStopsWithABudget) {
  Result r = run("eval --max-cells 100000 'upscale(canvas(1, (30, 30)), 50)'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("budget"), std::string::npos) << r.out;
}

TEST(PrimitivesCli, ListsAllOneHundredSixty) {
  Result r = run("primitives");
  EXPECT_EQ(r.code, 0);
  std::size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 160u);
  EXPECT_NE(r.out.find("objects"), std::string::npos);
}

}  // namespace
