// --resume continues only its own run: it refuses a folder whose journal says tasks finished but whose
// results file is gone, a folder that holds another run (other tasks, other programs, other settings),
// and a journal with no run.json; a second run on a folder in use is refused too (issue 15, classes 7, 8).
#include <gtest/gtest.h>

#include <string>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::read_json;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

struct Folder {
  TempDir dir;
  fs::path tasks = test::write_engine_tasks(dir / "tasks");
  fs::path programs = test::source_dir() / "tests/data/engine/programs.py";
  std::vector<std::string> run(const fs::path& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"run", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                                     out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

TEST(ResumeGuard, MissingResultsWithAJournalIsRefusedNamingTheFile) {
  Folder f;
  const fs::path out = f.dir / "out";
  ASSERT_LE(run_args(f.run(out)).exit_code, 1);
  fs::remove(out / "results.jsonl");
  auto r = run_args(f.run(out, {"--resume"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("results.jsonl: missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cannot resume"), std::string::npos) << r.err;
}

TEST(ResumeGuard, AFolderHoldingAnotherRunIsRefusedSayingWhatDiffers) {
  Folder f;
  const fs::path out = f.dir / "out";
  ASSERT_LE(run_args(f.run(out)).exit_code, 1);
  const std::string submission = test::read_file(out / "submission.json");

  // other tasks: one task fewer
  fs::remove(f.tasks / "unsolved.json");
  auto r = run_args(f.run(out, {"--resume"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is a run of something else: other tasks (5 there, 4 here)"), std::string::npos) << r.err;
  test::write_engine_tasks(f.tasks);

  // other programs
  write_file(f.dir / "p.py", "def solve_flip(I):\n    O = vmirror(I)\n    return O\n");
  r = run_args({"run", "--tasks", f.tasks.string(), "--programs", (f.dir / "p.py").string(), "--out", out.string(),
                "--resume"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("other programs"), std::string::npos) << r.err;

  // other settings
  r = run_args(f.run(out, {"--resume", "--set", "batch.prune=off", "--exhaustive"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("batch.prune on there, off here"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("exhaustive false there, true here"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("run without --resume to start it over"), std::string::npos) << r.err;

  // nothing was touched by the refusals, and the same run resumes
  EXPECT_EQ(test::read_file(out / "submission.json"), submission);
  r = run_args(f.run(out, {"--resume"}));
  EXPECT_LE(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("resume: 5 tasks already done, 0 to run"), std::string::npos) << r.err;
}

TEST(ResumeGuard, AJournalWithoutARunRecordIsRefused) {
  Folder f;
  const fs::path out = f.dir / "out";
  ASSERT_LE(run_args(f.run(out)).exit_code, 1);
  fs::remove(out / "run.json");
  auto r = run_args(f.run(out, {"--resume"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("holds a journal but no run.json"), std::string::npos) << r.err;
}

TEST(ResumeGuard, AFreshRunReplacesAnotherRunsOutputsAndRecord) {
  Folder f;
  const fs::path out = f.dir / "out";
  ASSERT_LE(run_args(f.run(out)).exit_code, 1);
  write_file(f.dir / "p.py", "def solve_flip(I):\n    O = vmirror(I)\n    return O\n");
  auto r = run_args({"run", "--tasks", f.tasks.string(), "--programs", (f.dir / "p.py").string(), "--out",
                     out.string()});
  EXPECT_LE(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_json(out / "run.json")["programs"]["count"], 1);
  EXPECT_EQ(read_json(out / "metrics.json")["programs"], 1);
  // results.jsonl holds only this run's program
  std::istringstream lines(test::read_file(out / "results.jsonl"));
  for (std::string line; std::getline(lines, line);) EXPECT_NE(line.find("\"program\":\"solve_flip\""), std::string::npos);
  r = run_args({"run", "--tasks", f.tasks.string(), "--programs", (f.dir / "p.py").string(), "--out", out.string(),
                "--resume"});
  EXPECT_NE(r.err.find("resume: 5 tasks already done"), std::string::npos) << r.err;
}

// A run that holds its folder for a few seconds: every evaluation spends about a million calls.
TEST(FolderLock, ASecondRunOnAFolderInUseIsRefusedNamingTheHolder) {
  Folder f;
  write_file(f.dir / "slow.py",
             "def solve_slow(I):\n    x1 = interval(ZERO, 300000, ONE)\n    x2 = apply(invert, x1)\n"
             "    x3 = apply(invert, x1)\n    O = vmirror(I)\n    return O\n");
  const fs::path out = f.dir / "out";
  TempDir logs;
  // (no result cache: a warm one would end the first run at once)
  test::Child first({"run", "--threads", "1", "--exhaustive", "--set", "batch.prune=off", "--set", "cache=off", "--tasks", f.tasks.string(),
                     "--programs", (f.dir / "slow.py").string(), "--out", out.string()},
                    logs / "out", logs / "err");
  for (int k = 0; k < 1000 && !fs::exists(out / "run.json"); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = run_args(f.run(out));
  const bool held = first.running();
  first.wait();
  if (!held) GTEST_SKIP() << "the first run ended before the second started: nothing was tested";
  EXPECT_EQ(second.exit_code, 3) << second.err;  // "busy": nothing was done (a queue worker leaves the shard)
  EXPECT_NE(second.err.find(" is in use by another megabatch run (pid "), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("choose another --out"), std::string::npos) << second.err;
  // The first run's outputs are its own and whole.
  EXPECT_EQ(read_json(out / "metrics.json")["programs"], 1);
  EXPECT_EQ(read_json(out / "run.json")["programs"]["count"], 1);
  // Once it has ended, the folder is free again.
  auto third = run_args(f.run(out));
  EXPECT_LE(third.exit_code, 1) << third.err;
  EXPECT_EQ(third.err.find("in use"), std::string::npos) << third.err;
}

}  // namespace
}  // namespace megabatch
