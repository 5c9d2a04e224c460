// Hardening, inputs: every bad entry of a task or programs folder gets one short line and the rest
// loads; nothing but a regular file is read, and no file past the size limit. Before: a symlink loop
// aborted the whole load, a FIFO given as --tasks hung, /dev/zero was read without end, a JSON value
// nested 100,000 deep crashed `tasks`, a 10 MB string cell made a 10 MB "line", a file name with a
// newline forged a line, and a task file with misspelled keys was taken for a Kaggle file.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "../graph/cli_support.hpp"
#include "engine/input_files.hpp"
#include "engine/task_io.hpp"

namespace megabatch {
namespace {

using test::read_json;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

const char* kGoodTask =
    R"({"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3, 4]], "output": [[4, 3]]}]})";

// Every line of `text` that mentions `needle`.
std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) out.push_back(line);
  return out;
}

// A folder holding one good task and one entry of each bad kind.
fs::path bad_task_folder(const fs::path& dir) {
  const fs::path tasks = dir / "tasks";
  fs::create_directories(tasks / "folder.json");
  write_file(tasks / "good.json", kGoodTask);
  fs::create_symlink("loop.json", tasks / "loop.json");
  fs::create_symlink("nowhere.json", tasks / "dangling.json");
  EXPECT_EQ(::mkfifo((tasks / "fifo.json").c_str(), 0644), 0);
  std::string deep(100'000, '[');
  deep += std::string(100'000, ']');
  write_file(tasks / "deep.json", R"({"train": [{"input": [[)" + deep + R"(]], "output": [[1]]}], "test": []})");
  write_file(tasks / "bigcell.json", R"({"train": [{"input": [[")" + std::string(10'000'000, 'x') +
                                         R"("]], "output": [[1]]}], "test": [{"input": [[1]]}]})");
  write_file(tasks / "misspelled.json", R"({"trian": [{"input": [[1]], "output": [[1]]}], "tset": []})");
  write_file(tasks / "forged\n[error] x.json", "not JSON");
  return tasks;
}

TEST(HardeningInputs, EveryBadEntryOfATaskFolderIsOneShortLineAndTheRestLoads) {
  TempDir dir;
  const fs::path tasks = bad_task_folder(dir.path());
  auto r = run_args({"tasks", tasks.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("tasks: 1 loaded, 8 rejected"), std::string::npos) << r.out;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"folder.json", "folder.json: a directory, not a file"},
      {"loop.json", "loop.json: a symbolic link loop, not a file"},
      {"dangling.json", "dangling.json: a dangling symbolic link, not a file"},
      {"fifo.json", "fifo.json: a FIFO, not a file"},
      {"deep.json", "deep.json: malformed JSON: nested deeper than 16 levels"},
      {"bigcell.json", "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" (a string of 10000000 bytes) is not an integer"},
      {"misspelled.json", "missing \"train\" (a task has \"train\" and \"test\"; this one has \"trian\", \"tset\")"},
  };
  for (const auto& [file, what] : expected) {
    const auto lines = lines_with(r.out, file);
    ASSERT_EQ(lines.size(), 1u) << file << "\n" << r.out.substr(0, 3000);
    EXPECT_NE(lines[0].find(what), std::string::npos) << lines[0];
    EXPECT_LT(lines[0].size(), 400u) << file;
  }
  // The newline in a file name is written \n: its rejection is one line, and no line starts with a forged "[error]".
  EXPECT_EQ(lines_with(r.out, "forged\\n[error] x.json: malformed JSON").size(), 1u) << r.out.substr(0, 3000);
  for (const auto& line : lines_with(r.out + r.err, "[error] x.json")) EXPECT_NE(line.rfind("[error]", 0), 0u) << line;
  EXPECT_EQ(lines_with(r.out, "misspelled").size(), 1u);  // one line, not one per key of a "Kaggle file"
}

// A Kaggle file whose one entry is not a task loses that entry only; a task file with misspelled
// keys is still read as one task (tested above).
TEST(HardeningInputs, AKaggleFileWithOneBadEntryLoadsEveryOther) {
  TempDir dir;
  const std::string task = kGoodTask;
  write_file(dir / "x.json", R"({"aa": )" + task + R"(, "bb": null, "cc": )" + task + "}");
  write_file(dir / "y_challenges.json", R"({"dd": [1], "ee": 5})");
  LoadResult loaded = load_tasks(dir.path());
  ASSERT_EQ(loaded.tasks.size(), 2u);
  EXPECT_EQ(loaded.tasks[0].id, "aa");
  EXPECT_EQ(loaded.tasks[1].id, "cc");
  std::vector<std::string> lines;
  for (const auto& r : loaded.rejections) lines.push_back(r.line());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("x.json: task bb: expected an object"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("y_challenges.json: task dd:"), std::string::npos) << lines[1];  // never one task
}

TEST(HardeningInputs, ARunOverTheBadFolderGoesOnWithTheGoodTask) {
  TempDir dir;
  const fs::path tasks = bad_task_folder(dir.path());
  write_file(dir / "p.py", "def solve_swap(I):\n    O = vmirror(I)\n    return O\n");
  auto r = run_args({"run", "--tasks", tasks.string(), "--programs", (dir / "p.py").string(), "--out",
                     (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(read_json(dir / "out/score.json")["solved_tasks"], 1) << r.err;
}

// The child is given a few seconds: a FIFO read would block until killed, /dev/zero never end.
test::CommandResult run_bounded(const std::vector<std::string>& args) {
  TempDir logs;
  test::Child child(args, logs / "out", logs / "err");
  for (int k = 0; k < 2000 && child.running(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (child.running()) {
    child.kill_now();
    child.wait();
    return {-1, "", "killed: still running after 10 s"};
  }
  const int status = child.wait();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, test::read_file(logs / "out"), test::read_file(logs / "err")};
}

TEST(HardeningInputs, AFifoOrADeviceGivenAsTasksIsRefusedAtOnce) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "tasks.json").c_str(), 0644), 0);
  auto r = run_bounded({"tasks", (dir / "tasks.json").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("tasks.json: a FIFO, not a task file or folder"), std::string::npos) << r.err;
  r = run_bounded({"tasks", "/dev/zero"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("/dev/zero: a character device, not a task file or folder"), std::string::npos) << r.err;
}

TEST(HardeningInputs, AFilePastTheSizeLimitIsRefusedUnread) {
  TempDir dir;
  write_file(dir / "huge.json", "{");
  fs::resize_file(dir / "huge.json", kMaxInputFileBytes + 1);  // sparse: no disk used
  EXPECT_THROW(read_input_file(dir / "huge.json"), InputFileError);
  LoadResult loaded = load_tasks(dir.path());
  ASSERT_EQ(loaded.rejections.size(), 1u);
  EXPECT_NE(loaded.rejections[0].line().find("larger than the 256 MiB limit on input files"), std::string::npos)
      << loaded.rejections[0].line();
}

TEST(HardeningInputs, EveryBadEntryOfAProgramsFolderIsOneLineAndTheRestLoads) {
  TempDir dir;
  const fs::path programs = dir / "programs";
  fs::create_directories(programs / "folder.py" / "inner");  // a folder named *.py is searched
  write_file(programs / "folder.py/inner/good.py", "def solve_swap(I):\n    O = vmirror(I)\n    return O\n");
  fs::create_symlink("loop.py", programs / "loop.py");
  fs::create_symlink("nowhere.py", programs / "dangling.py");
  ASSERT_EQ(::mkfifo((programs / "fifo.py").c_str(), 0644), 0);
  fs::create_directories(dir / "tasks");
  write_file(dir / "tasks/t.json", kGoodTask);
  auto r = run_bounded({"run", "--tasks", (dir / "tasks").string(), "--programs", programs.string(), "--out",
                        (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* what : {"dangling.py: a dangling symbolic link, not a file", "fifo.py: a FIFO, not a file",
                           "loop.py: a symbolic link loop, not a file"})
    EXPECT_EQ(lines_with(r.err, what).size(), 1u) << what << "\n" << r.err;
  EXPECT_EQ(read_json(dir / "out/metrics.json")["programs"], 1);
  EXPECT_EQ(read_json(dir / "out/score.json")["solved_tasks"], 1);
}

}  // namespace
}  // namespace megabatch
