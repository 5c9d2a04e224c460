// The result cache end to end: `megabatch run` twice gives the same outputs byte for byte, the second
// time from the cache; a damaged or unreachable cache is one line and the run goes on; and
// `megabatch cache stats|verify|clear` look after it.
#include <gtest/gtest.h>

#include "../cache/redis_server.hpp"
#include "cli_support.hpp"
#include "graph/result_cache.hpp"

namespace megabatch {
namespace {

using nlohmann::json;
using test::read_json;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

std::vector<std::string> run_with(const fs::path& tasks, const fs::path& out, const std::vector<std::string>& sets) {
  std::vector<std::string> args = {"run",   "--tasks",   tasks.string(), "--programs", (test::engine_data() / "programs.py").string(),
                                   "--out", out.string(), "--threads", "2", "--set", "batch.max_batch=3"};
  for (const auto& s : sets) args.insert(args.end(), {"--set", s});
  return args;
}

// Every output a run writes, as a value: what a cache hit must not change. metrics.json (timings,
// evaluations and cache counts), the lock file and progress.jsonl (tasks in completion order) are
// the run's own.
std::map<std::string, std::string> outputs(const fs::path& out) {
  auto t = test::tree(out);
  for (const char* own : {"metrics.json", ".megabatch.lock", "progress.jsonl"}) t.erase(own);
  return t;
}

std::size_t lines_with(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

TEST(CacheCli, ASecondRunComesFromTheCacheWithTheSameOutputs) {
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  const std::string cache = "cache_dir=" + (dir / "cache").string();
  auto cold = run_args(run_with(tasks, dir / "cold", {cache}));
  ASSERT_LE(cold.exit_code, 1) << cold.err;  // the fixture's two rejected functions
  auto warm = run_args(run_with(tasks, dir / "warm", {cache}));
  ASSERT_EQ(warm.exit_code, cold.exit_code) << warm.err;
  EXPECT_EQ(outputs(dir / "cold"), outputs(dir / "warm"));

  const json mc = read_json(dir / "cold/metrics.json")["cache"], mw = read_json(dir / "warm/metrics.json")["cache"];
  EXPECT_EQ(mc["store"], "lmdb:" + (dir / "cache").string());
  EXPECT_EQ(mc["hits"], 0);
  EXPECT_EQ(mc["stored"], 9 * 5);  // 9 programs x 5 tasks
  EXPECT_EQ(mw["hits"], 9 * 5);
  EXPECT_EQ(mw["misses"], 0);
  EXPECT_EQ(mw["hit_rate"], 1.0);
  EXPECT_EQ(read_json(dir / "warm/metrics.json")["evaluations"], 0);
  EXPECT_EQ(mw["evaluations_saved"], read_json(dir / "cold/metrics.json")["evaluations"]);
  EXPECT_NE(warm.out.find("cache lmdb:" + (dir / "cache").string() + ": 45 hits, 0 misses (100.0%)"), std::string::npos)
      << warm.out;

  // `cache off`: no store, no cache section, the same outputs
  auto off = run_args(run_with(tasks, dir / "off", {cache, "cache=off"}));
  EXPECT_FALSE(read_json(dir / "off/metrics.json").contains("cache"));
  EXPECT_EQ(outputs(dir / "cold"), outputs(dir / "off"));
}

TEST(CacheCli, ADamagedCacheIsOneLineAndTheRunGoesOn) {
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  auto reference = run_args(run_with(tasks, dir / "ref", {"cache=off"}));
  fs::create_directories(dir / "cache");
  test::write_file(dir / "cache/data.mdb", std::string(20000, '\x7f'));
  auto r = run_args(run_with(tasks, dir / "out", {"cache_dir=" + (dir / "cache").string()}));
  EXPECT_EQ(r.exit_code, reference.exit_code) << r.err;
  EXPECT_EQ(lines_with(r.err, "cache lmdb:" + (dir / "cache").string() + ": "), 1u) << r.err;
  EXPECT_EQ(lines_with(r.err, "the run goes on without the cache"), 1u) << r.err;
  EXPECT_EQ(outputs(dir / "ref"), outputs(dir / "out"));
}

TEST(CacheCli, AnUnreachableServerIsOneLineAndTheRunGoesOn) {
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  auto reference = run_args(run_with(tasks, dir / "ref", {"cache=off"}));
  const std::string url = "redis://127.0.0.1:" + std::to_string(test::free_port()) + "/0";
  auto r = run_args(run_with(tasks, dir / "out", {"cache=" + url}));
  EXPECT_EQ(r.exit_code, reference.exit_code) << r.err;
  EXPECT_EQ(lines_with(r.err, "cache " + url + ": cannot connect"), 1u) << r.err;
  EXPECT_EQ(outputs(dir / "ref"), outputs(dir / "out"));
}

TEST(CacheCli, TwoInstancesShareOneRedisCache) {
  if (!test::have_redis_server()) GTEST_SKIP() << test::kNoRedisServer;
  test::RedisServer server;
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  auto a = run_args(run_with(tasks, dir / "a", {"cache=" + server.url(2)}));
  auto b = run_args(run_with(tasks, dir / "b", {"cache=" + server.url(2)}));
  ASSERT_EQ(a.exit_code, b.exit_code) << b.err;
  EXPECT_EQ(read_json(dir / "b/metrics.json")["cache"]["hits"], 45) << b.err;
  EXPECT_EQ(outputs(dir / "a"), outputs(dir / "b"));
  auto stats = run_args({"cache", "stats", "--set", "cache=" + server.url(2)});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("entries 45\n"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("lifetime: 45 hits, 45 misses (50.0%)"), std::string::npos) << stats.out;
}

TEST(CacheCli, StatsVerifyAndClearLookAfterTheCache) {
  TempDir dir;
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  const std::vector<std::string> at = {"--set", "cache_dir=" + (dir / "cache").string()};
  auto command = [&](std::vector<std::string> args) {
    args.insert(args.end(), at.begin(), at.end());
    return run_args(args);
  };
  run_args(run_with(tasks, dir / "out", {"cache_dir=" + (dir / "cache").string()}));

  auto stats = command({"cache", "stats"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("cache lmdb:" + (dir / "cache").string() + "\n"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("lifetime: 0 hits, 45 misses (0.0%), 0 evicted"), std::string::npos) << stats.out;
  const std::string entries = stats.out.substr(stats.out.find("entries "), stats.out.find('\n', stats.out.find("entries ")) - stats.out.find("entries "));
  const int n = std::stoi(entries.substr(8));
  EXPECT_GT(n, 0);
  EXPECT_LE(n, 45);  // identical programs share an entry

  auto verify = command({"cache", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find(std::to_string(n) + " entries, 0 malformed"), std::string::npos) << verify.out;

  {  // damage one entry
    auto store = cache::open_lmdb_store(dir / "cache", {});
    std::string key;
    store->for_each([&](std::string_view k, std::string_view) {
      if (key.empty()) key = std::string(k);
    });
    store->put(std::vector<std::pair<std::string, std::string>>{{key, "MBP1 not a record"}});
  }
  verify = command({"cache", "verify"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find(std::to_string(n) + " entries, 1 malformed"), std::string::npos) << verify.out;
  verify = command({"cache", "verify", "--delete-bad"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("removed 1 malformed entries"), std::string::npos) << verify.out;
  EXPECT_NE(command({"cache", "verify"}).out.find(std::to_string(n - 1) + " entries, 0 malformed"), std::string::npos);

  auto clear = command({"cache", "clear"});
  EXPECT_EQ(clear.exit_code, 0) << clear.err;
  EXPECT_NE(clear.out.find("cleared " + std::to_string(n - 1) + " entries"), std::string::npos) << clear.out;
  EXPECT_NE(command({"cache", "stats"}).out.find("entries 0\n"), std::string::npos);

  auto off = run_args({"cache", "stats", "--set", "cache=off"});
  EXPECT_EQ(off.exit_code, 0);
  EXPECT_NE(off.out.find("the cache is off"), std::string::npos) << off.out;
}

}  // namespace
}  // namespace megabatch
