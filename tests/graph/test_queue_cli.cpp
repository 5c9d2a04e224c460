// `megabatch submit` / `worker` / `merge` on a Redis Stream (a redis-server of the test's own): three
// workers, one SIGKILLed in the middle of a shard; another claims that shard once it has gone idle and
// resumes it, and the merged outputs equal the one-machine run byte for byte.
#include <gtest/gtest.h>

#include "../cache/redis_server.hpp"
#include "cache/shard_queue.hpp"
#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::Child;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

TEST(ShardQueue, AWorkerKilledMidShardIsReplacedAndTheMergeEqualsOneMachine) {
  if (!test::have_redis_server()) GTEST_SKIP() << test::kNoRedisServer;
  test::RedisServer server;
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  // A slow program (a few hundred ms a sample) so that a kill lands inside a shard, and a fast one.
  test::write_file(dir / "p.py",
                   "def solve_slow(I):\n    x1 = interval(ZERO, 300000, ONE)\n    x2 = apply(invert, x1)\n"
                   "    O = vmirror(I)\n    return O\n\n"
                   "def solve_flip(I):\n    return vmirror(I)\n");
  const std::vector<std::string> run = {"--tasks",   tasks.string(), "--programs", (dir / "p.py").string(), "--threads",
                                        "1",         "--exhaustive", "--set",      "batch.prune=off",      "--set",
                                        "cache=off"};
  std::vector<std::string> one = {"run", "--out", (dir / "one").string()};
  one.insert(one.end(), run.begin(), run.end());
  ASSERT_EQ(run_args(one).exit_code, 0);

  const std::string queue = server.url().substr(0, server.url().rfind('/')) + "/jobs";
  std::vector<std::string> submit = {"submit", "--queue", queue, "--shards", "3", "--out-root", (dir / "shards").string(), "--"};
  submit.insert(submit.end(), run.begin(), run.end());
  auto s = run_args(submit);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("queued 3 shards on " + queue), std::string::npos) << s.out;

  auto worker = [&](const std::string& name) {
    return std::make_unique<Child>(std::vector<std::string>{"worker", "--queue", queue, "--name", name, "--claim-after-ms", "300"},
                                   dir / (name + ".out"), dir / (name + ".err"));
  };
  // Worker A takes shard 0 and is killed once that shard's run has started and before it ends.
  const fs::path shard0 = dir / "shards/shard-0";
  {
    auto a = worker("A");
    for (int k = 0; k < 5000 && !fs::exists(shard0 / "run.json"); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    a->kill_now();
    a->wait();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // its run dies with it
  ASSERT_TRUE(fs::exists(shard0 / "run.json"));
  ASSERT_FALSE(fs::exists(shard0 / "submission.json")) << "worker A finished its shard before the kill";
  auto b = worker("B"), c = worker("C");
  for (auto* w : {b.get(), c.get()}) {
    const int status = w->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const std::string logs = test::read_file(dir / "B.err") + test::read_file(dir / "C.err");
  EXPECT_NE(logs.find("shard 0/3 was another worker's and went idle: resuming it"), std::string::npos) << logs;
  EXPECT_NE(test::read_file(dir / "B.out") + test::read_file(dir / "C.out"), "");

  auto m = run_args({"merge", "--out", (dir / "merged").string(), (dir / "shards/shard-0").string(),
                     (dir / "shards/shard-1").string(), (dir / "shards/shard-2").string()});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  for (const char* f : {"results.jsonl", "run.json", "submission.json", "score.json"})
    EXPECT_EQ(test::read_file(dir / "one" / f), test::read_file(dir / "merged" / f)) << f;
  EXPECT_EQ(test::tree(dir / "one/solver_dir"), test::tree(dir / "merged/solver_dir"));
  EXPECT_EQ(test::tree(dir / "one/solver_md5"), test::tree(dir / "merged/solver_md5"));
}

// Two workers, shards that run longer than the claim timeout: neither takes the other's live shard.
TEST(ShardQueue, ALiveShardIsNeverTakenFromItsWorker) {
  if (!test::have_redis_server()) GTEST_SKIP() << test::kNoRedisServer;
  test::RedisServer server;
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  test::write_file(dir / "p.py",
                   "def solve_slow(I):\n    x1 = interval(ZERO, 3000000, ONE)\n    x2 = apply(invert, x1)\n"
                   "    x3 = apply(invert, x2)\n    x4 = apply(invert, x3)\n    O = vmirror(I)\n    return O\n");
  const std::string queue = server.url().substr(0, server.url().rfind('/')) + "/live";
  // Budgets large enough for about 0.2 s a sample: each shard runs for several claim timeouts.
  auto s = run_args({"submit", "--queue", queue, "--shards", "2", "--out-root", (dir / "shards").string(), "--", "--tasks",
                     tasks.string(), "--programs", (dir / "p.py").string(), "--threads", "1", "--exhaustive", "--set",
                     "batch.prune=off", "--set", "cache=off", "--set", "budget.max_cells=100000000", "--set",
                     "budget.max_primitive_calls=100000000", "--set", "budget.wall_ms=100000"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  std::vector<std::unique_ptr<Child>> workers;
  for (const char* name : {"A", "B"})
    workers.push_back(std::make_unique<Child>(
        std::vector<std::string>{"worker", "--queue", queue, "--name", name, "--claim-after-ms", "300"},
        dir / (std::string(name) + ".out"), dir / (std::string(name) + ".err")));
  const auto start = std::chrono::steady_clock::now();
  for (auto& w : workers) {
    const int status = w->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string logs = test::read_file(dir / "A.err") + test::read_file(dir / "B.err");
  const std::string outs = test::read_file(dir / "A.out") + test::read_file(dir / "B.out");
  EXPECT_EQ(logs.find("another worker's"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("failed"), std::string::npos) << logs;
  EXPECT_NE(outs.find("worker A: 1 shards done, 0 given up"), std::string::npos) << outs;
  EXPECT_NE(outs.find("worker B: 1 shards done, 0 given up"), std::string::npos) << outs;
  EXPECT_GT(seconds, 0.6) << "the shards ran shorter than two claim timeouts: nothing was tested";
}

// submit makes every path the workers need absolute: several --programs values and --opt=value forms.
TEST(ShardQueue, SubmitMakesThePathsItIsGivenAbsolute) {
  if (!test::have_redis_server()) GTEST_SKIP() << test::kNoRedisServer;
  test::RedisServer server;
  TempDir dir;
  const std::string queue = server.url().substr(0, server.url().rfind('/')) + "/paths";
  auto s = run_args({"submit", "--queue", queue, "--shards", "1", "--out-root", "rel/shards", "--", "--tasks=t",
                     "--programs", "a.py", "b.py", "--set", "cache=off", "--config", "c.toml"},
                    dir.path());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  cache::ShardQueue q(queue);
  auto m = q.next("reader", 1000);
  ASSERT_TRUE(m);
  const std::string here = fs::canonical(dir.path()).string();
  EXPECT_EQ(m->job.out, here + "/rel/shards/shard-0");
  EXPECT_EQ(m->job.args, (std::vector<std::string>{"--tasks=" + here + "/t", "--programs", here + "/a.py", here + "/b.py",
                                                    "--set", "cache=off", "--config", here + "/c.toml"}));
}

TEST(ShardQueue, SubmitRefusesOptionsThatAreTheQueuesAndAMalformedQueue) {
  auto r = run_args({"submit", "--queue", "redis://127.0.0.1:1/jobs", "--shards", "2", "--out-root", "/tmp/x", "--",
                     "--tasks", "t", "--out", "o"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("submit: --out is the queue's to set"), std::string::npos) << r.err;
  auto bad = run_args({"worker", "--queue", "redis://127.0.0.1:6379"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("expected redis://HOST[:PORT]/NAME"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace megabatch
