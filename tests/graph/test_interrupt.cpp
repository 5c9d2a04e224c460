// Ctrl-C on `megabatch run`: the tasks under way finish, every output is written for what is done,
// the run exits 130 saying so, and --resume runs the rest to exactly the uninterrupted outputs.
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::Child;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

TEST(Interrupt, CtrlCFinishesTheTasksUnderWayAndResumeRunsTheRest) {
  TempDir dir;
  // 60 tasks (the fixtures under 12 names each) and a program that takes a while on each sample.
  const fs::path tasks = dir / "tasks";
  fs::create_directories(tasks);
  for (int k = 0; k < 12; ++k)
    for (const auto& [id, text] : test::engine_tasks()) test::write_file(tasks / (id + std::to_string(k) + ".json"), text);
  test::write_file(dir / "p.py",
                   "def solve_slow(I):\n    x1 = interval(ZERO, 300000, ONE)\n    x2 = apply(invert, x1)\n"
                   "    O = vmirror(I)\n    return O\n\n"
                   "def solve_flip(I):\n    return vmirror(I)\n");
  auto args = [&](const fs::path& out) {
    return std::vector<std::string>{"run", "--tasks", tasks.string(), "--programs", (dir / "p.py").string(), "--out",
                                    out.string(), "--threads", "1", "--exhaustive", "--set", "batch.prune=off",
                                    "--set", "cache=off", "--set", "batch.max_batch=4"};
  };
  ASSERT_EQ(run_args(args(dir / "whole")).exit_code, 0);

  const fs::path out = dir / "out";
  std::string err;
  int status = 0;
  {
    Child child(args(out), dir / "o", dir / "e");
    for (int k = 0; k < 20000 && child.running() && test::count_lines(out / "progress.jsonl") < 3; ++k)
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    child.interrupt();
    status = child.wait();
  }
  err = test::read_file(dir / "e");
  ASSERT_TRUE(WIFEXITED(status)) << err;
  ASSERT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("interrupt: finishing the tasks under way"), std::string::npos) << err;
  const std::string report = test::read_file(dir / "o");
  EXPECT_NE(report.find("interrupted: "), std::string::npos) << report;
  EXPECT_NE(report.find("--resume runs the rest"), std::string::npos) << report;
  const std::size_t done = test::count_lines(out / "progress.jsonl");
  EXPECT_GE(done, 3u);
  EXPECT_LT(done, 60u);
  for (const char* f : {"submission.json", "metrics.json", "results.jsonl"}) EXPECT_TRUE(fs::exists(out / f)) << f;

  std::vector<std::string> resume = args(out);
  resume.push_back("--resume");
  auto r = run_args(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resume: " + std::to_string(done) + " tasks already done"), std::string::npos) << r.err;
  for (const char* f : {"results.jsonl", "submission.json", "score.json"})
    EXPECT_EQ(test::read_file(out / f), test::read_file(dir / "whole" / f)) << f;
  EXPECT_EQ(test::tree(out / "solver_dir"), test::tree(dir / "whole/solver_dir"));
}

}  // namespace
}  // namespace megabatch
