// `megabatch score --submission FILE --solutions FILE`: Kaggle's metric printed as score.json's fields; unreadable
// or malformed files are one error line and exit 1; nothing is written.
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::key_values;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

// Two tasks, three test outputs.
constexpr const char* kSolutions = R"({"a": [[[1, 2]], [[3]]], "b": [[[4], [5]]]})";

test::CommandResult score(const TempDir& dir, const std::string& submission) {
  auto sub = write_file(dir / "submission.json", submission);
  auto sol = write_file(dir / "x_solutions.json", kSolutions);
  return run_args({"score", "--submission", sub.string(), "--solutions", sol.string()});
}

TEST(ScoreCli, PerfectSubmissionSolvesEverything) {
  TempDir dir;
  auto r = score(dir, R"({"a": [{"attempt_1": [[1, 2]], "attempt_2": [[0]]}, {"attempt_1": [[0]], "attempt_2": [[3]]}],
                           "b": [{"attempt_1": [[4], [5]], "attempt_2": [[4], [5]]}]})");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kv = key_values(r.out);
  EXPECT_EQ(kv["tasks"], "2") << r.out;
  EXPECT_EQ(kv["solved_tasks"], "2") << r.out;
  EXPECT_EQ(kv["test_outputs"], "3") << r.out;
  EXPECT_EQ(kv["correct_outputs"], "3") << r.out;
  EXPECT_EQ(std::stod(kv["score"]), 1.0) << r.out;
}

TEST(ScoreCli, PartialSubmissionCountsOutputsAndOnlyFullySolvedTasks) {
  TempDir dir;
  // a: first output right, second wrong (task unsolved); b: missing entirely.
  auto r = score(dir, R"({"a": [{"attempt_1": [[1, 2]], "attempt_2": [[0]]}, {"attempt_1": [[0]], "attempt_2": [[9]]}],
                           "zzz": [{"attempt_1": [[1]], "attempt_2": [[1]]}]})");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kv = key_values(r.out);
  EXPECT_EQ(kv["tasks"], "2") << r.out;
  EXPECT_EQ(kv["solved_tasks"], "0") << r.out;
  EXPECT_EQ(kv["test_outputs"], "3") << r.out;
  EXPECT_EQ(kv["correct_outputs"], "1") << r.out;
  EXPECT_DOUBLE_EQ(std::stod(kv["score"]), 1.0 / 3.0) << r.out;
}

TEST(ScoreCli, TooFewAttemptsForATaskScoreTheMissingOutputsZero) {
  TempDir dir;
  auto r = score(dir, R"({"a": [{"attempt_1": [[1, 2]], "attempt_2": [[1, 2]]}],
                           "b": [{"attempt_1": [[0]], "attempt_2": [[4], [5]]}]})");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kv = key_values(r.out);
  EXPECT_EQ(kv["solved_tasks"], "1") << r.out;  // b, through attempt_2
  EXPECT_EQ(kv["correct_outputs"], "2") << r.out;
}

TEST(ScoreCli, EmptySubmissionScoresZero) {
  TempDir dir;
  auto r = score(dir, "{}");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kv = key_values(r.out);
  EXPECT_EQ(kv["tasks"], "2") << r.out;
  EXPECT_EQ(kv["solved_tasks"], "0") << r.out;
  EXPECT_EQ(kv["test_outputs"], "3") << r.out;
  EXPECT_EQ(kv["correct_outputs"], "0") << r.out;
  EXPECT_EQ(std::stod(kv["score"]), 0.0) << r.out;
}

TEST(ScoreCli, MalformedOrUnreadableFilesAreOneErrorLineAndExitOne) {
  TempDir dir;
  const std::string bad_submissions[] = {
      R"({"a": [{"attempt_1": [[1, 2]], "attempt_2": )",                    // truncated JSON
      R"({"a": [{"attempt_1": [[1, 2]]}]})",                                 // attempt_2 missing
      R"({"a": [{"attempt_1": [[1, 2], [3]], "attempt_2": [[0]]}]})",        // ragged grid
      R"([1, 2])",                                                           // not an object of task ids
  };
  for (const auto& text : bad_submissions) {
    auto r = score(dir, text);
    EXPECT_EQ(r.exit_code, 1) << text << "\n" << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find((dir / "submission.json").string()), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << text;
  }
  auto sol = write_file(dir / "bad_solutions.json", R"({"a": [[[1, 2]]], "a": []})");  // duplicate task id
  auto sub = write_file(dir / "ok.json", "{}");
  auto r = run_args({"score", "--submission", sub.string(), "--solutions", sol.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(sol.string()), std::string::npos) << r.err;
  r = run_args({"score", "--submission", (dir / "missing.json").string(), "--solutions", sol.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "missing.json").string()), std::string::npos) << r.err;
}

TEST(ScoreCli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_args({"score"}).exit_code, 2);
  EXPECT_EQ(run_args({"score", "--submission", "s.json"}).exit_code, 2);
  EXPECT_EQ(run_args({"score", "--solutions", "s.json"}).exit_code, 2);
  EXPECT_EQ(run_args({"score", "--submission", "a", "--solutions", "b", "--bogus"}).exit_code, 2);
}

TEST(ScoreCli, WritesNothingWhereItRuns) {
  TempDir dir;
  write_file(dir / "submission.json", "{}");
  write_file(dir / "x_solutions.json", kSolutions);
  auto r = run_args({"score", "--submission", "submission.json", "--solutions", "x_solutions.json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir.path())) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"submission.json", "x_solutions.json"}));
}

}  // namespace
}  // namespace megabatch
