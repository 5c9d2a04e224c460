// tokpidjin's pipeline end to end: its library folders as program sources (solver_md5/ with a `solve`
// in every file, solver_dir/ of links), its md5 names and files, and a run merging into an existing
// tokpidjin root by its check_save rule.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::read_file;
using test::read_jsonl;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

// Fifty distinct tokpidjin programs: chains of mir_rot_t's eight mirrors and rotations.
std::string fifty_programs() {
  std::string src = "from dsl import *\nfrom constants import *\n\n";
  int made = 0;
  for (int a = 0; a < 8 && made < 50; ++a)
    for (int b = 0; b < 8 && made < 50; ++b, ++made)
      src += "def solve_p" + std::to_string(made) + "(S, I, C):\n    x1 = mir_rot_t(I, A" + std::to_string(a) +
             ")\n    O = mir_rot_t(x1, A" + std::to_string(b) + ")\n    return O\n\n";
  return src;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    out.push_back(text.substr(at, end - at));
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

TEST(TokpidjinCli, ASolverMd5FolderOfFiftyFilesLoadsFiftyPrograms) {
  TempDir dir;
  const fs::path source = write_file(dir / "fifty.py", fifty_programs());
  // inline --expand writes tokpidjin's solver_md5/ files: <md5>.py, each defining `solve`.
  auto inl = run_args({"inline", source.string(), "--expand", (dir / "solver_md5").string()});
  ASSERT_EQ(inl.exit_code, 0) << inl.err;
  const auto names = lines_of(inl.out);
  ASSERT_EQ(names.size(), 50u);
  std::set<std::string> md5s;
  for (const auto& l : names) md5s.insert(l.substr(0, 32));
  ASSERT_EQ(md5s.size(), 50u) << "the fifty programs are distinct";
  const std::string one = read_file(dir / "solver_md5" / (*md5s.begin() + ".py"));
  EXPECT_TRUE(one.starts_with("from dsl import *\nfrom constants import *\n\ndef solve(S, I, C):\n")) << one;

  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  auto run = run_args({"--log-level", "info", "run", "--tasks", tasks.string(), "--programs",
                       (dir / "solver_md5").string(), "--out", (dir / "out").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("programs: 50 loaded"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("50 tokpidjin"), std::string::npos) << run.err;
  // Each program is named by its file, and its md5 is that name: tokpidjin's naming round-trips.
  const auto results = read_jsonl(dir / "out/results.jsonl");
  ASSERT_FALSE(results.empty());
  for (const auto& r : results) {
    EXPECT_TRUE(md5s.count(r["program"].get<std::string>())) << r["program"];
    EXPECT_EQ(r["md5"], r["program"]);
  }
  // flip is solved by mir_rot_t(mir_rot_t(I, A0), A2) and by others: several programs pass it.
  std::size_t flips = 0;
  for (const auto& r : results) flips += r["task"] == "flip" && r["pass"] == true;
  EXPECT_GT(flips, 1u);
}

TEST(TokpidjinCli, ASolverDirIsReadThroughItsLinksEachProgramOnce) {
  TempDir dir;
  fs::create_directories(dir / "root/solver_md5");
  write_file(dir / "root/solver_md5/aa.py", "def solve(S, I, C):\n    O = vmirror_t(I)\n    return O\n");
  write_file(dir / "root/solver_md5/bb.py", "def solve(S, I, C):\n    O = hmirror_t(I)\n    return O\n");
  for (const char* link : {"solve_flip/4000/10/aa.py", "solve_upside/3000/10/aa.py", "solve_upside/4000/10/bb.py"}) {
    fs::create_directories((dir / "root/solver_dir" / link).parent_path());
    fs::create_symlink(fs::path("../../../../solver_md5") / fs::path(link).filename(), dir / "root/solver_dir" / link);
  }
  auto run = run_args({"--log-level", "info", "run", "--tasks", test::write_engine_tasks(dir / "tasks").string(),
                       "--programs", (dir / "root/solver_dir").string(), "--out", (dir / "out").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("programs: 2 loaded"), std::string::npos) << run.err;
}

// A tokpidjin root as its own scripts leave it: absolute links to wherever it once lived.
void tokpidjin_root(const fs::path& root, const std::string& task, const std::vector<std::string>& entries) {
  fs::create_directories(root / "solver_md5");
  for (const auto& e : entries) {  // "<score>/<t_log>/<md5>"
    const std::string md5 = fs::path(e).filename().string();
    write_file(root / "solver_md5" / (md5 + ".py"), "def solve(S, I, C):\n    O = identity(I)\n    return O\n");
    const fs::path link = root / "solver_dir" / ("solve_" + task) / (e + ".py");
    fs::create_directories(link.parent_path());
    fs::create_symlink("/kaggle/working/tokpidjin/solver_md5/" + md5 + ".py", link);
  }
}

std::set<std::string> entries_of(const fs::path& task_dir) {
  std::set<std::string> out;
  for (auto it = fs::recursive_directory_iterator(task_dir); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_symlink()) out.insert(it->path().lexically_relative(task_dir).string());
  return out;
}

TEST(TokpidjinCli, ARunMergesIntoAnExistingRootByCheckSave) {
  TempDir dir;
  const fs::path root = dir / "root";
  tokpidjin_root(root, "flip", {"1000/9/old1", "2000/8/old2"});
  const fs::path programs = write_file(dir / "p.py", "def solve_flip(S, I, C):\n    O = vmirror_t(I)\n    return O\n");
  auto run = run_args({"run", "--tasks", test::write_engine_tasks(dir / "tasks").string(), "--programs",
                       programs.string(), "--out", root.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("solver_dir: 1 added, 0 evicted over 1 tasks"), std::string::npos) << run.out;
  const auto kept = entries_of(root / "solver_dir/solve_flip");
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_TRUE(kept.count("1000/9/old1.py"));
  EXPECT_TRUE(kept.count("2000/8/old2.py"));
  // The new program: every sample of flip matched (4 x 1000), linked relatively into solver_md5/.
  const auto results = read_jsonl(root / "results.jsonl");
  ASSERT_EQ(results.size(), 1u);
  const std::string md5 = results[0]["md5"];
  const fs::path link = root / "solver_dir/solve_flip/4000" / std::to_string(results[0]["t_log"].get<int>()) / (md5 + ".py");
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), fs::path("../../../../solver_md5") / (md5 + ".py"));
  EXPECT_EQ(read_file(root / "solver_md5" / (md5 + ".py")),
            "from dsl import *\nfrom constants import *\n\ndef solve(S, I, C):\n    O = vmirror_t(I)\n    return O\n");
  // Merging the same run again changes nothing.
  auto again = run_args({"run", "--tasks", (dir / "tasks").string(), "--programs", programs.string(), "--out",
                         root.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("solver_dir: 0 added, 0 evicted"), std::string::npos) << again.out;
  EXPECT_EQ(entries_of(root / "solver_dir/solve_flip"), kept);
}

TEST(TokpidjinCli, AFullTaskEvictsItsWorstForABetterProgramAndRefusesAWorseOne) {
  TempDir dir;
  const fs::path root = dir / "root";
  std::vector<std::string> full;
  for (int k = 0; k < 32; ++k) full.push_back(std::string(k < 2 ? "3000/5/" : "3000/9/") + "m" + std::to_string(10 + k));
  tokpidjin_root(root, "flip", full);
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  // Better (4000): the slowest of the 3000s goes (t_log 5: m10 and m11, the larger md5 first).
  const fs::path better = write_file(dir / "better.py", "def solve_a(S, I, C):\n    O = vmirror_t(I)\n    return O\n");
  auto run = run_args({"run", "--tasks", tasks.string(), "--programs", better.string(), "--out", root.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("solver_dir: 1 added, 1 evicted over 1 tasks (at most 32 a task)"), std::string::npos) << run.out;
  auto kept = entries_of(root / "solver_dir/solve_flip");
  EXPECT_EQ(kept.size(), 32u);
  EXPECT_TRUE(kept.count("3000/5/m10.py"));
  EXPECT_FALSE(kept.count("3000/5/m11.py"));
  EXPECT_FALSE(fs::exists(root / "solver_dir/solve_flip/3000/5/m11.py"));
  // Worse (matches the first demo only: 1000): refused, nothing changes.
  const fs::path worse = write_file(dir / "worse.py", "def solve_b(S, I, C):\n    O = identity(I)\n    return O\n");
  run = run_args({"run", "--tasks", tasks.string(), "--programs", worse.string(), "--out", root.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("solver_dir: 0 added, 0 evicted"), std::string::npos) << run.out;
  EXPECT_EQ(entries_of(root / "solver_dir/solve_flip"), kept);
}

TEST(TokpidjinCli, TheDialectIsLoggedPerFileAndCanBeForced) {
  TempDir dir;
  const fs::path programs = write_file(dir / "p.py", "def solve_flip(S, I, C):\n    O = vmirror_t(I)\n    return O\n");
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  auto run = run_args({"--log-level", "info", "run", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                       (dir / "out").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find(programs.string() + ": tokpidjin (the (S, I, C) signature at line 1)"), std::string::npos)
      << run.err;
  run = run_args({"run", "--dialect", "arc-dsl", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                  (dir / "out2").string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(programs.string() + ":2: solve_flip: unknown name 'vmirror_t'"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace megabatch
