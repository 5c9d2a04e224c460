// `run --shard K/N` and `megabatch merge`: the shards of a run, merged, are byte for byte the run one
// machine makes (results, run.json, submission, score, solver_md5/, solver_dir/), for any N, even with
// empty shards; shards that are not every shard of one finished run are refused, naming the folder.
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::read_json;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

struct Shards : ::testing::Test {
  TempDir dir;
  fs::path tasks = test::write_engine_tasks(dir / "tasks");
  fs::path programs = test::engine_data() / "programs.py";

  std::vector<std::string> run(const fs::path& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> a = {"run", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                                  out.string(), "--threads", "2", "--set", "cache=off"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  // The shards of N, each in dir/name-K; their folders.
  std::vector<std::string> shard_run(const std::string& name, int n) const {
    std::vector<std::string> folders;
    for (int k = 0; k < n; ++k) {
      const fs::path out = dir / (name + "-" + std::to_string(k));
      auto r = run_args(run(out, {"--shard", std::to_string(k) + "/" + std::to_string(n)}));
      EXPECT_LE(r.exit_code, 1) << r.err;  // the fixture's two rejected functions
      folders.push_back(out.string());
    }
    return folders;
  }
  test::CommandResult merge(const fs::path& out, std::vector<std::string> folders) const {
    std::vector<std::string> a = {"merge", "--out", out.string()};
    a.insert(a.end(), folders.begin(), folders.end());
    return run_args(a);
  }
};

void expect_same_run(const fs::path& one, const fs::path& merged) {
  for (const char* f : {"results.jsonl", "run.json", "submission.json", "score.json"})
    EXPECT_EQ(test::read_file(one / f), test::read_file(merged / f)) << f;
  EXPECT_EQ(test::tree(one / "solver_dir"), test::tree(merged / "solver_dir"));
  EXPECT_EQ(test::tree(one / "solver_md5"), test::tree(merged / "solver_md5"));
}

TEST_F(Shards, MergedShardsAreByteForByteTheOneMachineRun) {
  auto one = run_args(run(dir / "one"));
  ASSERT_LE(one.exit_code, 1) << one.err;
  ASSERT_FALSE(test::tree(dir / "one/solver_dir").empty());
  for (int n : {1, 2, 3, 7}) {  // 7 shards of 5 tasks: two are empty
    auto folders = shard_run("n" + std::to_string(n), n);
    std::reverse(folders.begin(), folders.end());  // any order on the command line
    const fs::path merged = dir / ("merged" + std::to_string(n));
    auto m = merge(merged, folders);
    ASSERT_EQ(m.exit_code, 0) << m.err;
    EXPECT_NE(m.out.find("merged " + std::to_string(n) + " shards: 5 tasks"), std::string::npos) << m.out;
    expect_same_run(dir / "one", merged);
    const auto metrics = read_json(merged / "metrics.json");
    EXPECT_EQ(metrics["merged_shards"], n);
    EXPECT_EQ(metrics["tasks"], 5);
    EXPECT_EQ(metrics["evaluations"], read_json(dir / "one/metrics.json")["evaluations"]);
    // the merged folder is a finished run: --resume has nothing to do and changes nothing
    auto resumed = run_args(run(merged, {"--resume"}));
    EXPECT_NE(resumed.err.find("resume: 5 tasks already done, 0 to run"), std::string::npos) << resumed.err;
    expect_same_run(dir / "one", merged);
  }
}

TEST_F(Shards, AShardRecordsWhichItIsAndResumesOnlyAsItself) {
  const fs::path out = dir / "s";
  run_args(run(out, {"--shard", "1/3"}));
  const auto record = read_json(out / "run.json");
  EXPECT_EQ(record["shard"]["index"], 1);
  EXPECT_EQ(record["shard"]["count"], 3);
  EXPECT_EQ(record["shard"]["tasks"], nlohmann::json({"recolour", "upside"}));  // tasks 1 and 4 of 5
  EXPECT_EQ(record["tasks"]["count"], 5);  // the whole run's
  auto other = run_args(run(out, {"--shard", "2/3", "--resume"}));
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("shard 1/3 there, shard 2/3 here"), std::string::npos) << other.err;
  for (const char* bad : {"3/3", "1", "a/2", "1/0", "-1/2", "1/2x"}) {
    auto r = run_args(run(dir / "bad", {"--shard", bad}));
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("expected K/N with 0 <= K < N"), std::string::npos) << r.err;
  }
}

TEST_F(Shards, AnythingButEveryShardOfOneFinishedRunIsRefused) {
  auto folders = shard_run("a", 3);
  auto refused = [&](std::vector<std::string> f, const std::string& message) {
    auto m = merge(dir / "m", f);
    EXPECT_EQ(m.exit_code, 1) << m.out;
    EXPECT_NE(m.err.find(message), std::string::npos) << m.err;
  };
  refused({folders[0], folders[1]}, "merge: shard 2/3 is missing");
  refused({folders[0], folders[1], folders[1]}, "merge: " + folders[1] + ": shard 1 again");
  // another run's shard: other programs
  test::write_file(dir / "p.py", "def solve_flip(I):\n    return vmirror(I)\n");
  const fs::path foreign = dir / "foreign";
  run_args({"run", "--tasks", tasks.string(), "--programs", (dir / "p.py").string(), "--out", foreign.string(),
            "--shard", "2/3", "--set", "cache=off"});
  refused({folders[0], folders[1], foreign.string()}, "merge: " + foreign.string() + ": a shard of another run than");
  // not a shard, not a run
  auto whole = run_args(run(dir / "whole"));
  refused({folders[0], folders[1], (dir / "whole").string()}, "not a shard (run with --shard K/N)");
  refused({folders[0], folders[1], (dir / "tasks").string()}, "no run.json");
  // a shard stopped in its final writes: no metrics.json
  const std::string metrics = test::read_file(fs::path(folders[1]) / "metrics.json");
  fs::remove(fs::path(folders[1]) / "metrics.json");
  refused(folders, folders[1] + ": not finished (its last files were not all written, or its library not all merged)");
  test::write_file(fs::path(folders[1]) / "metrics.json", metrics);
  // an unfinished shard: its journal lost its last task
  const fs::path progress = fs::path(folders[2]) / "progress.jsonl";
  std::string text = test::read_file(progress);
  text.erase(text.rfind('\n', text.size() - 2) + 1);
  test::write_file(progress, text);
  refused(folders, folders[2] + ": not finished (0 of 1 tasks done): finish it with `megabatch run ... --shard 2/3 --resume`");
}

}  // namespace
}  // namespace megabatch
