// The result cache through the engine: a warm rerun runs nothing and gives every pair exactly as the
// cold run did; keys follow content (a renamed task hits, a changed one misses, as do another semantics
// version and other settings); a corrupt entry is a miss that the run replaces; a timed-out pair is
// never kept; and the program fingerprint ignores names and the DAG's numbering.
#include <gtest/gtest.h>

#include <atomic>

#include "cache/store.hpp"
#include "engine/program/fingerprint.hpp"
#include "engine_support.hpp"
#include "graph/result_cache.hpp"
#include "../test_support.hpp"

namespace megabatch::graph {
namespace {

using test::CollectingSink;
using test::describe;
using megabatch::test::TempDir;
using test::World;

constexpr const char* kSettings = "waves given prune on calls 1000000 cells 4000000";

struct CacheRun {
  EngineMetrics metrics;
  CollectingSink sink;
};

CacheRun run_with_cache(const World& w, const std::filesystem::path& dir, std::string settings = kSettings,
                   int semantics = cpu::kSemanticsVersion, EngineOptions options = {}) {
  ResultCache cache(cache::open_lmdb_store(dir, {}), w.dag(), w.tasks(), std::move(settings), semantics);
  options.cache = &cache;
  options.max_batch = 7;
  CpuExecutor cpu(w.context());
  Engine engine(w.context(), options, cpu);
  CacheRun r;
  r.metrics = engine.run(w.all_tasks(), {}, r.sink);
  return r;
}

std::size_t pair_count(const CacheRun& r) {
  std::size_t n = 0;
  for (const auto& [t, tr] : r.sink.results) n += tr.pairs.size();
  return n;
}

void expect_same_pairs(const CacheRun& a, const CacheRun& b) {
  ASSERT_EQ(a.sink.results.size(), b.sink.results.size());
  for (const auto& [task, ra] : a.sink.results) {
    const TaskResult& rb = b.sink.results.at(task);
    ASSERT_EQ(ra.pairs.size(), rb.pairs.size());
    for (std::size_t k = 0; k < ra.pairs.size(); ++k) {
      const PairResult &x = ra.pairs[k], &y = rb.pairs[k];
      EXPECT_EQ(x.program, y.program);
      EXPECT_EQ(x.train, y.train) << describe(x) << " vs " << describe(y);
      EXPECT_EQ(x.test, y.test) << describe(x) << " vs " << describe(y);
      EXPECT_EQ(x.predictions, y.predictions) << describe(x);
      EXPECT_EQ(x.cost, y.cost) << describe(x);
    }
  }
}

TEST(ResultCache, AWarmRunRunsNothingAndGivesEveryPairAsTheColdRunDid) {
  TempDir dir;
  World w(test::kRulePrograms, test::mixed_tasks());
  CacheRun cold = run_with_cache(w, dir / "c");
  ASSERT_TRUE(cold.metrics.cache);
  EXPECT_EQ(cold.metrics.cache->hits, 0u);
  EXPECT_EQ(cold.metrics.cache->misses, pair_count(cold));
  EXPECT_EQ(cold.metrics.cache->stored, pair_count(cold));
  EXPECT_GT(cold.metrics.evaluations, 0u);

  CacheRun warm = run_with_cache(w, dir / "c");
  EXPECT_EQ(warm.metrics.evaluations, 0u);
  EXPECT_EQ(warm.metrics.batches, 0u);
  EXPECT_EQ(warm.metrics.cache->hits, pair_count(cold));
  EXPECT_EQ(warm.metrics.cache->misses, 0u);
  EXPECT_EQ(warm.metrics.cache->evaluations_saved, cold.metrics.evaluations);
  expect_same_pairs(cold, warm);
  // the costliest table does not change either
  for (std::size_t p = 0; p < w.program_count(); ++p) {
    EXPECT_EQ(warm.metrics.program_costs[p].cost, cold.metrics.program_costs[p].cost) << w.program_name(p);
    EXPECT_EQ(warm.metrics.program_costs[p].evaluations, cold.metrics.program_costs[p].evaluations);
  }
  EXPECT_EQ(cache::open_lmdb_store(dir / "c", {})->stats().hits, pair_count(cold));  // lifetime counters
}

TEST(ResultCache, ExhaustiveRunsAreCachedApartFromWaves) {
  TempDir dir;
  World w(test::kRulePrograms, test::mixed_tasks());
  EngineOptions exhaustive;
  exhaustive.exhaustive = true;
  CacheRun cold = run_with_cache(w, dir / "c", "exhaustive calls 1 cells 1", cpu::kSemanticsVersion, exhaustive);
  CacheRun warm = run_with_cache(w, dir / "c", "exhaustive calls 1 cells 1", cpu::kSemanticsVersion, exhaustive);
  EXPECT_EQ(warm.metrics.evaluations, 0u);
  expect_same_pairs(cold, warm);
  CacheRun waves = run_with_cache(w, dir / "c");  // other settings: all misses
  EXPECT_EQ(waves.metrics.cache->hits, 0u);
}

TEST(ResultCache, KeysFollowContentNotNames) {
  TempDir dir;
  const auto tasks = test::mixed_tasks();
  World w(test::kRulePrograms, tasks);
  run_with_cache(w, dir / "c");

  // renamed tasks, and the programs renamed and reordered: every pair hits
  auto renamed = tasks;
  for (auto& t : renamed) t.id = "renamed_" + t.id;
  World w2(R"(
def other_identity(I):
    return identity(I)

def other_rot180(I):
    x1 = rot90(I)
    O = rot90(x1)
    return O

def other_flip(I):
    return vmirror(I)
)", renamed);
  CacheRun r = run_with_cache(w2, dir / "c");
  EXPECT_EQ(r.metrics.cache->misses, 0u);
  EXPECT_EQ(r.metrics.evaluations, 0u);

  // one task's content changed (a test output): only its pairs miss
  auto changed = tasks;
  changed[3].test.at(0).output->at(0, 0) += 1;  // task 3: one test pair, output known
  World w3(test::kRulePrograms, changed);
  CacheRun c = run_with_cache(w3, dir / "c");
  EXPECT_EQ(c.metrics.cache->misses, w3.program_count());
  EXPECT_EQ(c.metrics.cache->hits, (tasks.size() - 1) * w3.program_count());

  // another semantics version, other budgets: every pair misses
  EXPECT_EQ(run_with_cache(w, dir / "c", kSettings, cpu::kSemanticsVersion + 1).metrics.cache->hits, 0u);
  EXPECT_EQ(run_with_cache(w, dir / "c", "waves given prune on calls 5 cells 4000000").metrics.cache->hits, 0u);
}

TEST(ResultCache, ACorruptEntryIsAMissThatTheRunReplaces) {
  TempDir dir;
  World w(test::kRulePrograms, test::mixed_tasks());
  CacheRun cold = run_with_cache(w, dir / "c");
  {
    // damage one entry's value and truncate another
    ResultCache keys(nullptr, w.dag(), w.tasks(), kSettings);
    auto store = cache::open_lmdb_store(dir / "c", {});
    const std::string a = keys.key(0, 0), b = keys.key(1, 2);
    std::string va = *store->get(std::vector<std::string>{a})[0], vb = *store->get(std::vector<std::string>{b})[0];
    va[va.size() / 2] ^= 0x5a;
    store->put(std::vector<std::pair<std::string, std::string>>{{a, va}, {b, vb.substr(0, 7)}});
    EXPECT_FALSE(well_formed_pair(va));
    EXPECT_FALSE(well_formed_pair(vb.substr(0, 7)));
  }
  CacheRun r = run_with_cache(w, dir / "c");
  EXPECT_EQ(r.metrics.cache->corrupt, 2u);
  EXPECT_EQ(r.metrics.cache->misses, 2u);
  expect_same_pairs(cold, r);
  CacheRun again = run_with_cache(w, dir / "c");
  EXPECT_EQ(again.metrics.cache->corrupt, 0u);
  EXPECT_EQ(again.metrics.cache->misses, 0u);
}

TEST(ResultCache, RecordsRoundTripAndAreCheckedAgainstTheirTask) {
  const auto tasks = test::mixed_tasks();
  const Task& t = tasks[4];  // 2 train pairs, 1 test
  ASSERT_EQ(t.train.size(), 2u);
  ASSERT_EQ(t.test.size(), 1u);
  PairResult p;
  p.program = 3;
  p.train = {SampleStatus::Match, SampleStatus::Budget};
  p.test = {SampleStatus::Mismatch};
  p.predictions = {grid_from_rows({{1, 2, 9}, {0, 0, 3}})};
  p.cost = 123456789;
  const std::string record = encode_pair(p);
  EXPECT_TRUE(well_formed_pair(record));
  auto back = decode_pair(record, t, 3);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->train, p.train);
  EXPECT_EQ(back->test, p.test);
  EXPECT_EQ(back->predictions, p.predictions);
  EXPECT_EQ(back->cost, p.cost);
  EXPECT_TRUE(back->cached);
  EXPECT_FALSE(decode_pair(record, tasks[0], 3));  // another task's shape (1 train pair)
  for (std::size_t cut = 0; cut < record.size(); ++cut) EXPECT_FALSE(well_formed_pair(record.substr(0, cut))) << cut;
  for (std::size_t at = 0; at < record.size(); ++at) {
    std::string bad = record;
    bad[at] ^= 1;
    EXPECT_FALSE(well_formed_pair(bad)) << at;
  }
}

TEST(ResultCache, ATimedOutPairIsNeverKept) {
  TempDir dir;
  World w(test::kRulePrograms, test::mixed_tasks());
  const Task& t = w.tasks()[0];
  PairResult p;
  p.program = 0;
  p.train.assign(t.train.size(), SampleStatus::Budget);
  p.test.assign(t.test.size(), SampleStatus::Skipped);
  p.predictions.assign(t.test.size(), std::nullopt);
  p.timed_out = true;
  {
    ResultCache cache(cache::open_lmdb_store(dir / "c", {}), w.dag(), w.tasks(), kSettings);
    cache.add(0, p);
    p.program = 1;
    p.timed_out = false;
    cache.add(0, p);
    cache.flush();
    EXPECT_EQ(cache.metrics().stored, 1u);
  }
  ResultCache cache(cache::open_lmdb_store(dir / "c", {}), w.dag(), w.tasks(), kSettings);
  const std::uint32_t programs[] = {0, 1};
  auto found = cache.find(0, programs);
  EXPECT_FALSE(found[0]);
  EXPECT_TRUE(found[1]);
}

TEST(ResultCache, AStoreThatFailsMidRunStopsTheCacheNotTheRun) {
  // A store that answers its first lookups (all misses) and then fails every call, while other
  // tasks' lookups are in flight: the run completes as if it had no cache, and says why.
  class Broken final : public cache::Store {
   public:
    const std::string& where() const override { return where_; }
    std::vector<std::optional<std::string>> get(std::span<const std::string> keys) override {
      if (answered_.fetch_add(1) < 5) return std::vector<std::optional<std::string>>(keys.size());
      fail();
    }
    void put(std::span<const std::pair<std::string, std::string>>) override { fail(); }
    void erase(std::span<const std::string>) override { fail(); }
    void count(std::uint64_t, std::uint64_t) override { fail(); }
    cache::StoreStats stats() override { fail(); }
    void clear() override { fail(); }
    void for_each(const std::function<void(std::string_view, std::string_view)>&) override { fail(); }

   private:
    [[noreturn]] static void fail() { throw cache::CacheError("cache test:broken: server went away"); }
    std::string where_ = "test:broken";
    std::atomic<int> answered_{0};
  };
  World w(test::kRulePrograms, test::mixed_tasks());
  ResultCache cache(std::make_unique<Broken>(), w.dag(), w.tasks(), kSettings);
  EngineOptions o;
  o.cache = &cache;
  CpuExecutor cpu(w.context());
  Engine engine(w.context(), o, cpu);
  CollectingSink sink, plain_sink;
  EngineMetrics m = engine.run(w.all_tasks(), {}, sink);
  EXPECT_EQ(m.cache->failed, "cache test:broken: server went away");
  EXPECT_EQ(m.cache->misses, 5 * w.program_count());  // the five answered lookups
  EXPECT_FALSE(cache.active());
  Engine plain(w.context(), EngineOptions{}, cpu);
  plain.run(w.all_tasks(), {}, plain_sink);
  CacheRun a, b;
  a.sink = std::move(sink);
  b.sink = std::move(plain_sink);
  expect_same_pairs(a, b);
}

// Through the engine: a pair the wall clock stopped is computed again next time; the others are kept.
TEST(ResultCache, PairsTheClockStoppedAreRunAgainTheOthersAreKept) {
  TempDir dir;
  cpu::EvalLimits limits;
  limits.max_calls = limits.max_cells = std::int64_t{1} << 50;
  limits.wall_ms = 1;  // 2,700 rotations of a 150x150 grid take far longer
  World w(R"(
def p_flip(I):
    return vmirror(I)

def p_slow(I):
    x1 = upscale(I, 30)
    x2 = power(rot90, 900)
    x3 = x2(x1)
    x4 = x2(x3)
    O = x2(x4)
    return O
)", test::mixed_tasks(), limits);
  CacheRun cold = run_with_cache(w, dir / "c");
  const std::uint32_t slow = w.program("p_slow");
  std::size_t clock_stops = 0;
  for (const auto& [t, r] : cold.sink.results)
    for (const PairResult& p : r.pairs)
      if (p.program == slow) {
        EXPECT_TRUE(p.timed_out) << describe(p);
        clock_stops += p.timed_out;
      }
  EXPECT_EQ(clock_stops, w.tasks().size());
  EXPECT_EQ(cold.metrics.cache->stored, pair_count(cold) - clock_stops);
  CacheRun warm = run_with_cache(w, dir / "c");
  EXPECT_EQ(warm.metrics.cache->hits, pair_count(cold) - clock_stops);
  EXPECT_EQ(warm.metrics.cache->misses, clock_stops);
}

TEST(ProgramFingerprint, IgnoresNamesAndNumberingButNotDeadLines) {
  World a(R"(
def first(I):
    x1 = rot90(I)
    O = vmirror(x1)
    return O

def second(I):
    x1 = hmirror(I)
    x2 = rot90(x1)
    return x2
)", {});
  World b(R"(
def unrelated(I):
    return hmirror(I)

def renamed(I):
    y = hmirror(I)
    z = rot90(y)
    return z

def dead_line(I):
    x1 = hmirror(I)
    x9 = divide(ONE, ZERO)
    x2 = rot90(x1)
    return x2
)", {});
  EXPECT_EQ(program::program_fingerprint(a.dag(), 1), program::program_fingerprint(b.dag(), 1));
  EXPECT_NE(program::program_fingerprint(a.dag(), 0), program::program_fingerprint(a.dag(), 1));
  EXPECT_NE(program::program_fingerprint(b.dag(), 1), program::program_fingerprint(b.dag(), 2));
}

}  // namespace
}  // namespace megabatch::graph
