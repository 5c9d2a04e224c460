// The megabatch binary: `tasks` exit codes (0 all loaded, 1 something rejected, 2 usage) and report, and the
// --config/--set options through `config`.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace megabatch {
namespace {

using test::quote;
using test::run_megabatch;
using test::TempDir;
using test::write_file;

std::size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    auto end = text.find('\n', pos);
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return n;
}

// Five small well-formed tasks written here (the project tracks no task files): a horizontal flip,
// a recolouring, a transpose, a rotation and a 2x upscale.
void write_example_tasks(const std::filesystem::path& dir) {
  write_file(dir / "flip-horizontal.json",
             R"({"train": [{"input": [[2, 1, 3], [0, 0, 0]], "output": [[3, 1, 2], [0, 0, 0]]},)"
             R"( {"input": [[0, 0, 3, 3]], "output": [[3, 3, 0, 0]]}],)"
             R"( "test": [{"input": [[1, 2, 0]], "output": [[0, 2, 1]]}]})");
  write_file(dir / "recolour-1-to-2.json",
             R"({"train": [{"input": [[4, 1], [1, 1]], "output": [[4, 2], [2, 2]]}],)"
             R"( "test": [{"input": [[1, 0, 1]], "output": [[2, 0, 2]]}]})");
  write_file(dir / "transpose.json",
             R"({"train": [{"input": [[1, 2], [3, 4]], "output": [[1, 3], [2, 4]]},)"
             R"( {"input": [[5, 6, 7]], "output": [[5], [6], [7]]}],)"
             R"( "test": [{"input": [[0, 8], [9, 0]], "output": [[0, 9], [8, 0]]}]})");
  write_file(dir / "rotate-90.json",
             R"({"train": [{"input": [[1, 2], [3, 4]], "output": [[3, 1], [4, 2]]}],)"
             R"( "test": [{"input": [[5, 0], [0, 6]], "output": [[0, 5], [6, 0]]}]})");
  write_file(dir / "upscale-2x.json",
             R"({"train": [{"input": [[1, 0]], "output": [[1, 1, 0, 0], [1, 1, 0, 0]]},)"
             R"( {"input": [[3]], "output": [[3, 3], [3, 3]]}],)"
             R"( "test": [{"input": [[0, 2]], "output": [[0, 0, 2, 2], [0, 0, 2, 2]]}]})");
}

TEST(CliTasks, ExamplesLoadAndExitZero) {
  TempDir dir;
  write_example_tasks(dir.path());
  auto r = run_megabatch("tasks " + quote(dir.path()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("tasks: 5 loaded, 0 rejected (5 files read)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("grids by larger side: 1-5: "), std::string::npos) << r.out;
}

// Four broken task files, one fault each, written here (not tracked): a colour of 10, no "test", a
// ragged row, truncated JSON.
TEST(CliTasks, BadExamplesAreEachReportedAndExitOne) {
  TempDir dir;
  write_file(dir / "colour-ten.json",
             R"({"train": [{"input": [[1, 10]], "output": [[10, 1]]}], "test": [{"input": [[2, 3]]}]})");
  write_file(dir / "missing-test.json", R"({"train": [{"input": [[1, 2]], "output": [[2, 1]]}]})");
  write_file(dir / "ragged-row.json",
             R"({"train": [{"input": [[1, 2], [3, 4]], "output": [[2, 1], [4, 3]]},)"
             R"( {"input": [[1, 2, 3], [4, 5, 6]], "output": [[3, 2, 1], [6, 5]]}],)"
             R"( "test": [{"input": [[7, 8], [9, 0]]}]})");
  write_file(dir / "truncated.json", R"({"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[1, 2])");
  auto r = run_megabatch("tasks " + quote(dir.path()));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("tasks: 0 loaded, 4 rejected"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines_starting(r.out, "rejected: "), 4u) << r.out;
}

TEST(CliTasks, OneCorruptFileAmongGoodOnesIsReportedAloneAndTheRestLoad) {
  TempDir dir;
  write_example_tasks(dir.path());
  std::filesystem::remove(dir / "recolour-1-to-2.json");
  std::string broken = test::read_file(dir / "upscale-2x.json");
  auto bad = write_file(dir / "upscale-2x.json", broken.substr(0, broken.size() / 2));  // cut mid-file
  auto r = run_megabatch("tasks " + quote(dir.path()));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("tasks: 3 loaded, 1 rejected (4 files read)\n"), std::string::npos) << r.out;
  ASSERT_EQ(count_lines_starting(r.out, "rejected: "), 1u) << r.out;
  EXPECT_NE(r.out.find("rejected: " + bad.string() + ": malformed JSON: "), std::string::npos) << r.out;
}

TEST(CliTasks, UsageErrorsExitTwo) {
  TempDir dir;
  auto solutions = write_file(dir / "s_solutions.json", "{}");
  EXPECT_EQ(run_megabatch("tasks").exit_code, 2);
  EXPECT_EQ(run_megabatch("tasks " + quote(dir / "missing")).exit_code, 2);
  EXPECT_EQ(run_megabatch("tasks --no-such-flag " + quote(dir.path())).exit_code, 2);
  EXPECT_EQ(run_megabatch("tasks " + quote(dir.path()) + " --solutions " + quote(solutions)).exit_code, 2);
  EXPECT_EQ(run_megabatch("").exit_code, 2);
}

TEST(CliTasks, HelpExitsZero) {
  auto r = run_megabatch("tasks --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--solutions"), std::string::npos) << r.out;
}

TEST(CliTasks, KaggleChallengesWithSolutions) {
  TempDir dir;
  auto challenges = write_file(dir / "k.json",
                               R"({"t1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}})");
  auto solutions = write_file(dir / "ks.json", R"({"t1": [[[4]]]})");
  auto r = run_megabatch("tasks " + quote(challenges) + " --solutions " + quote(solutions));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("pairs: 1 train, 1 test (1 with outputs)"), std::string::npos) << r.out;
}

TEST(CliTasks, TrainingSplitLoadsWithZeroRejected) {
  if (!std::filesystem::is_directory(test::training_dir())) GTEST_SKIP() << test::kNoTrainingData;
  auto r = run_megabatch("--log-level warn tasks " + quote(test::training_dir()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("tasks: 400 loaded, 0 rejected (400 files read)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pairs: 1302 train, 416 test (416 with outputs)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // --log-level warn silences the info line
}

TEST(CliConfig, FileThenSetOverridesAndTheConfigIsLoggedOnce) {
  TempDir dir;
  auto file = write_file(dir / "c.toml", "threads = 3\n[batch]\nmax_batch = 64\n");
  auto r = run_megabatch("config --config " + quote(file) + " --set threads=5 --set budget.wall_ms=250");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("threads = 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max_batch = 64\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wall_ms = 250\n"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines_starting(r.err, "["), 1u) << r.err;
  EXPECT_NE(r.err.find("threads=5 batch.max_batch=64"), std::string::npos) << r.err;
}

TEST(CliConfig, BadSetIsAUsageErrorAndABadFileAFailure) {
  TempDir dir;
  EXPECT_EQ(run_megabatch("config --set nope=1").exit_code, 2);
  EXPECT_EQ(run_megabatch("config --set threads=x").exit_code, 2);
  EXPECT_EQ(run_megabatch("config --config " + quote(dir / "missing.toml")).exit_code, 2);
  auto bad = write_file(dir / "bad.toml", "[batch]\nmax_bach = 1\n");
  auto r = run_megabatch("config --config " + quote(bad));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad.string() + ":2: unknown key 'batch.max_bach'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace megabatch
