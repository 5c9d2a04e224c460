// ARC task I/O: round trips, every strict check with its message, Kaggle files, submissions and the scorer,
// and the 400 ARC-AGI-1 training tasks (skipped when ../shared is absent).
#include "engine/results/scoring.hpp"
#include "engine/task_io.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace megabatch {
namespace {

using test::TempDir;
using test::write_file;

Grid filled(int h, int w, Color start = 0) {
  Grid g(h, w);
  for (std::size_t i = 0; i < g.cells.size(); ++i) g.cells[i] = static_cast<Color>((start + i) % 10);
  return g;
}

Task sample_task(const std::string& id) {
  Task t;
  t.id = id;
  t.train.push_back({filled(1, 1), filled(1, 1, 3)});      // smallest grid
  t.train.push_back({filled(30, 30), filled(30, 30, 7)});  // largest grid
  t.train.push_back({filled(3, 7), filled(7, 3, 1)});
  t.test.push_back({filled(2, 5), filled(5, 2)});
  t.test.push_back({filled(4, 4), std::nullopt});  // unknown output
  return t;
}

LoadResult load_one(const std::string& json_text) {
  TempDir dir;
  return load_tasks(write_file(dir / "t1.json", json_text));
}

// The one rejection a bad task file gets, as "MESSAGE" (the file's path is checked elsewhere).
std::string rejection_of(const std::string& json_text) {
  LoadResult r = load_one(json_text);
  EXPECT_TRUE(r.tasks.empty());
  if (r.rejections.size() != 1) return "expected one rejection, got " + std::to_string(r.rejections.size());
  return r.rejections[0].message;
}

// A valid task with `grid` placed at train[0].input.
std::string task_with_input(const std::string& grid) {
  return R"({"train": [{"input": )" + grid + R"(, "output": [[1]]}], "test": [{"input": [[1]]}]})";
}

TEST(TaskIo, TaskFileRoundTripKeepsEveryGridAndMissingOutputs) {
  TempDir dir;
  Task task = sample_task("rt1");
  write_task_file(dir / "rt1.json", task);
  LoadResult r = load_tasks(dir / "rt1.json");
  ASSERT_TRUE(r.ok()) << r.rejections[0].line();
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(r.tasks[0], task);
  EXPECT_FALSE(r.tasks[0].has_test_outputs());
}

TEST(TaskIo, FolderLoadsTaskFilesInNameOrderWithIdsFromFileNames) {
  TempDir dir;
  for (std::string id : {"c3", "a1", "b2"}) write_task_file(dir / (id + ".json"), sample_task(id));
  write_file(dir / "notes.txt", "not a task");  // only *.json files are read
  LoadResult r = load_tasks(dir.path());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.tasks.size(), 3u);
  EXPECT_EQ(r.tasks[0].id, "a1");
  EXPECT_EQ(r.tasks[2].id, "c3");
  EXPECT_EQ(r.files, 3u);
}

TEST(TaskIo, RejectionLineNamesFileAndPair) {
  TempDir dir;
  auto file =
      write_file(dir / "abc.json", R"({"train": [{"input": [[1]], "output": [[1]]}, {"input": [[1]], "output": [[1]]},
    {"input": [[1]], "output": [[1,2,3,4,5,6], [1,2,3,4,5,6], [1,2,3,4,5,6], [1,2,3,4,5]]}],
    "test": [{"input": [[1]]}]})");
  LoadResult r = load_tasks(file);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].line(), file.string() + ": train[2].output: row 3 has 5 cells, row 0 has 6");
  EXPECT_EQ(r.rejections[0].task, "abc");
}

TEST(TaskIo, RejectsMalformedJsonWithLineAndColumn) {
  EXPECT_TRUE(rejection_of("{\"train\": [\n").starts_with("malformed JSON: parse error at line 2, column 1"))
      << rejection_of("{\"train\": [\n");
  EXPECT_TRUE(rejection_of("").starts_with("malformed JSON: ")) << rejection_of("");
}

TEST(TaskIo, RejectsBadGridsWithTheirMessages) {
  EXPECT_EQ(rejection_of(task_with_input("[[1, 2], [3]]")), "train[0].input: row 1 has 1 cells, row 0 has 2");
  EXPECT_EQ(rejection_of(task_with_input("[]")), "train[0].input: empty grid (no rows)");
  EXPECT_EQ(rejection_of(task_with_input("[[]]")), "train[0].input: row 0 is empty");
  EXPECT_EQ(rejection_of(task_with_input("[[1], 2]")), "train[0].input: row 1 is not a list but number");
  EXPECT_EQ(rejection_of(task_with_input("7")), "train[0].input: expected a list of rows, got number");
  std::string rows31 = "[";
  for (int i = 0; i < 31; ++i) rows31 += std::string(i ? "," : "") + "[0]";
  EXPECT_EQ(rejection_of(task_with_input(rows31 + "]")), "train[0].input: 31 rows, at most 30 allowed");
  std::string cols31 = "[[0";
  for (int i = 1; i < 31; ++i) cols31 += ",0";
  EXPECT_EQ(rejection_of(task_with_input(cols31 + "]]")), "train[0].input: row 0 has 31 cells, at most 30 allowed");
}

TEST(TaskIo, RejectsValuesOutsideZeroToNineAndNonIntegers) {
  EXPECT_EQ(rejection_of(task_with_input("[[1, 10]]")), "train[0].input: row 0, column 1: 10 is outside 0-9");
  EXPECT_EQ(rejection_of(task_with_input("[[-1]]")), "train[0].input: row 0, column 0: -1 is outside 0-9");
  EXPECT_EQ(rejection_of(task_with_input("[[1.5]]")), "train[0].input: row 0, column 0: 1.5 is not an integer");
  EXPECT_EQ(rejection_of(task_with_input("[[1.0]]")), "train[0].input: row 0, column 0: 1.0 is not an integer");
  EXPECT_EQ(rejection_of(task_with_input(R"([["3"]])")), "train[0].input: row 0, column 0: \"3\" is not an integer");
  EXPECT_EQ(rejection_of(task_with_input("[[true]]")), "train[0].input: row 0, column 0: true is not an integer");
  EXPECT_EQ(rejection_of(task_with_input("[[null]]")), "train[0].input: row 0, column 0: null is not an integer");
}

TEST(TaskIo, RejectsMissingOrEmptyTrainAndTest) {
  EXPECT_EQ(rejection_of(R"({"test": [{"input": [[1]]}]})"), "missing \"train\"");
  EXPECT_EQ(rejection_of(R"({"train": [{"input": [[1]], "output": [[1]]}]})"), "missing \"test\"");
  EXPECT_EQ(rejection_of("{}"), "missing \"train\"");
  EXPECT_EQ(rejection_of(R"({"train": [], "test": [{"input": [[1]]}]})"), "\"train\" has no pairs");
  EXPECT_EQ(rejection_of(R"({"train": {}, "test": [{"input": [[1]]}]})"),
            "\"train\" is not a list of pairs but object");
  EXPECT_EQ(rejection_of(R"({"train": [{"input": [[1]], "output": [[1]]}], "test": []})"), "\"test\" has no inputs");
  EXPECT_EQ(rejection_of(R"({"train": [{"input": [[1]]}], "test": [{"input": [[1]]}]})"),
            "train[0]: missing \"output\"");
  EXPECT_EQ(rejection_of(R"({"train": [{"input": [[1]], "output": [[1]]}], "test": [{"output": [[1]]}]})"),
            "test[0]: missing \"input\"");
  EXPECT_EQ(rejection_of(R"({"train": [[1]], "test": [{"input": [[1]]}]})"),
            "train[0]: expected an object with \"input\" and \"output\", got array");
  EXPECT_EQ(rejection_of("[1, 2]"), "expected a JSON object (a task, or task ids to tasks), got array");
}

TEST(TaskIo, RejectsDuplicateKeysThatJsonWouldSilentlyMerge) {
  EXPECT_EQ(rejection_of(R"({"train": [{"input": [[1]], "output": [[1]]}], "train": [], "test": [{"input": [[1]]}]})"),
            "duplicate key \"train\"");
}

TEST(TaskIo, BadFileIsSkippedAndTheRestLoad) {
  TempDir dir;
  write_task_file(dir / "good1.json", sample_task("good1"));
  write_file(dir / "bad.json", task_with_input("[[1, 2], [3]]"));
  write_task_file(dir / "good2.json", sample_task("good2"));
  LoadResult r = load_tasks(dir.path());
  ASSERT_EQ(r.tasks.size(), 2u);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].file, (dir / "bad.json").string());
  EXPECT_EQ(r.files, 3u);
}

TEST(TaskIo, MissingPathThrows) {
  TempDir dir;
  EXPECT_THROW(load_tasks(dir / "nope.json"), std::runtime_error);
}

TEST(TaskIo, SolutionsForASingleTaskFileOrFolderAreAUsageError) {
  TempDir dir;
  write_task_file(dir / "t1.json", sample_task("t1"));
  auto solutions = write_file(dir / "s_solutions.json", "{}");
  EXPECT_THROW(load_tasks(dir / "t1.json", solutions), std::invalid_argument);
  EXPECT_THROW(load_tasks(dir.path(), solutions), std::invalid_argument);
}

// ---- Kaggle files ----

std::vector<Task> kaggle_tasks() {
  Task a = sample_task("aaa");
  a.test[1].output = filled(4, 4, 2);
  Task b = sample_task("bbb");
  b.test.pop_back();
  return {a, b};
}

TEST(TaskIoKaggle, ChallengesAndSolutionsRoundTrip) {
  TempDir dir;
  auto tasks = kaggle_tasks();
  write_challenges(dir / "x_challenges.json", tasks);
  write_solutions(dir / "x_solutions.json", tasks);
  LoadResult r = load_tasks(dir / "x_challenges.json", dir / "x_solutions.json");
  ASSERT_TRUE(r.ok()) << r.rejections[0].line();
  EXPECT_EQ(r.tasks, tasks);
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(read_solutions(dir / "x_solutions.json"), solutions_of(tasks));
}

TEST(TaskIoKaggle, SolutionsBesideChallengesAreFoundAndFoldersPairThem) {
  TempDir dir;
  auto tasks = kaggle_tasks();
  write_challenges(dir / "x_challenges.json", tasks);
  write_solutions(dir / "x_solutions.json", tasks);
  EXPECT_EQ(load_tasks(dir / "x_challenges.json").tasks, tasks);
  write_file(dir / "sample_submission.json", "{}");  // skipped in folders
  LoadResult r = load_tasks(dir.path());
  ASSERT_TRUE(r.ok()) << r.rejections[0].line();
  EXPECT_EQ(r.tasks, tasks);
}

TEST(TaskIoKaggle, ChallengesWithoutSolutionsHaveNoTestOutputs) {
  TempDir dir;
  write_challenges(dir / "y_challenges.json", kaggle_tasks());
  LoadResult r = load_tasks(dir / "y_challenges.json");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.tasks.size(), 2u);
  EXPECT_FALSE(r.tasks[0].has_test_outputs());
}

TEST(TaskIoKaggle, SolutionCountMustMatchTestInputs) {
  TempDir dir;
  write_challenges(dir / "c_challenges.json", kaggle_tasks());
  auto sol = write_file(dir / "s.json", R"({"aaa": [[[1]]], "bbb": [[[1]]]})");
  LoadResult r = load_tasks(dir / "c_challenges.json", sol);
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(r.tasks[0].id, "bbb");
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].line(), sol.string() + ": task aaa: 1 output grid(s) for 2 test input(s)");
}

TEST(TaskIoKaggle, SolutionGridsAreCheckedAndEntriesMatched) {
  TempDir dir;
  auto challenges =
      write_file(dir / "c.json", R"({"aaa": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]},
    "bbb": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}})");
  auto sol = write_file(dir / "s.json", R"({"aaa": [[[1, 12]]], "zzz": [[[1]]]})");
  LoadResult r = load_tasks(challenges, sol);
  EXPECT_TRUE(r.tasks.empty());
  std::vector<std::string> lines;
  for (const auto& rej : r.rejections) lines.push_back(rej.line());
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{sol.string() + ": task aaa: [0]: row 0, column 1: 12 is outside 0-9",
                                             sol.string() + ": task bbb: no entry for this task",
                                             sol.string() + ": task zzz: no such task in " + challenges.string()}));
}

TEST(TaskIoKaggle, BadTaskInChallengesIsRejectedAlone) {
  TempDir dir;
  auto file = write_file(dir / "c.json",
                         R"({"aaa": {"train": [{"input": [[1], [1, 2]], "output": [[2]]}], "test": [{"input": [[3]]}]},
    "bbb": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}})");
  LoadResult r = load_tasks(file);
  ASSERT_EQ(r.tasks.size(), 1u);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].line(), file.string() + ": task aaa: train[0].input: row 1 has 2 cells, row 0 has 1");
}

TEST(TaskIoKaggle, DuplicateIdsKeepTheFirstAndRejectTheRest) {
  TempDir dir;
  const std::string t1 = R"({"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[1]]}]})";
  const std::string t2 = R"({"train": [{"input": [[2]], "output": [[2]]}], "test": [{"input": [[2]]}]})";
  auto file = write_file(dir / "c.json", "{\"aaa\": " + t1 + ", \"aaa\": " + t2 + "}");
  LoadResult r = load_tasks(file);
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(r.tasks[0].train[0].input, filled(1, 1, 1));
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].line(), file.string() + ": task aaa: duplicate task id; only its first entry is loaded");

  // Across files of one folder: aaa.json first (name order), then the challenges file's aaa.
  TempDir folder;
  write_file(folder / "aaa.json", t1);
  write_file(folder / "k_challenges.json", "{\"aaa\": " + t2 + ", \"bbb\": " + t2 + "}");
  LoadResult both = load_tasks(folder.path());
  ASSERT_EQ(both.tasks.size(), 2u);
  ASSERT_EQ(both.rejections.size(), 1u);
  EXPECT_EQ(both.rejections[0].line(), (folder / "k_challenges.json").string() +
                                           ": task aaa: duplicate task id, first loaded from " +
                                           (folder / "aaa.json").string());
}

TEST(TaskIoKaggle, OrphanSolutionsFileInFolderIsReported) {
  TempDir dir;
  write_file(dir / "z_solutions.json", "{}");
  LoadResult r = load_tasks(dir.path());
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].message, "solutions file without z_challenges.json beside it");
}

// ---- submission.json and the scorer ----

TEST(TaskIoSubmission, RoundTripAndScore) {
  TempDir dir;
  Solutions solutions = {{"aaa", {filled(2, 2), filled(3, 3)}}, {"bbb", {filled(1, 4)}}, {"ccc", {filled(5, 5)}}};
  Submission submission = {
      {"aaa", {{filled(2, 2, 1), filled(2, 2)}, {filled(3, 3, 1), filled(3, 3, 2)}}},  // 1 of 2 (second attempt)
      {"bbb", {{filled(1, 4), filled(9, 9)}}},                                         // 1 of 1 (first attempt)
  };                                                                                   // ccc missing: 0 of 1
  write_submission(dir / "submission.json", submission);
  Submission back = read_submission(dir / "submission.json");
  EXPECT_EQ(back, submission);
  EXPECT_DOUBLE_EQ(score_submission(back, solutions).score(), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(score_submission(back, {}).score(), 0.0);
}

TEST(TaskIoSubmission, MalformedSubmissionNamesFileAndTask) {
  TempDir dir;
  auto file = write_file(dir / "submission.json", R"({"aaa": [{"attempt_1": [[1]]}]})");
  try {
    read_submission(file);
    FAIL() << "expected TaskFormatError";
  } catch (const TaskFormatError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": task aaa: [0]: missing \"attempt_2\"");
  }
}

TEST(TaskIoSubmission, WriteSolutionsNeedsEveryOutput) {
  TempDir dir;
  EXPECT_THROW(write_solutions(dir / "s.json", {sample_task("no_output")}), std::invalid_argument);
}

// ---- the ARC-AGI-1 training split ----

TEST(TaskIoTraining, FourHundredTasksLoadWithoutRejections) {
  if (!std::filesystem::is_directory(test::training_dir())) GTEST_SKIP() << test::kNoTrainingData;
  LoadResult r = load_tasks(test::training_dir());
  for (const auto& rej : r.rejections) ADD_FAILURE() << rej.line();
  ASSERT_EQ(r.tasks.size(), 400u);
  std::size_t samples = 0;
  for (const auto& t : r.tasks) {
    EXPECT_TRUE(t.has_test_outputs()) << t.id;
    samples += t.train.size() + t.test.size();
  }
  EXPECT_EQ(samples, 1718u);  // the train+test sample count reference.md gives for this split
}

TEST(TaskIoTraining, KaggleFilesAndRewrittenTaskFilesLoadIdentically) {
  if (!std::filesystem::is_directory(test::training_dir())) GTEST_SKIP() << test::kNoTrainingData;
  std::vector<Task> tasks = load_tasks(test::training_dir()).tasks;
  ASSERT_EQ(tasks.size(), 400u);

  TempDir dir;
  write_challenges(dir / "training_challenges.json", tasks);
  write_solutions(dir / "training_solutions.json", tasks);
  LoadResult kaggle = load_tasks(dir / "training_challenges.json", dir / "training_solutions.json");
  EXPECT_TRUE(kaggle.ok());
  EXPECT_EQ(kaggle.tasks, tasks);  // both in id order: file names sort as the ids do

  TempDir rewritten;
  for (const auto& t : tasks) write_task_file(rewritten / (t.id + ".json"), t);
  LoadResult again = load_tasks(rewritten.path());
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.tasks, tasks);

  // A submission of the true outputs (twice) scores 1.
  Submission perfect;
  for (const auto& t : tasks)
    for (const auto& p : t.test) perfect[t.id].push_back({*p.output, *p.output});
  EXPECT_DOUBLE_EQ(score_submission(perfect, solutions_of(tasks)).score(), 1.0);
}

}  // namespace
}  // namespace megabatch
