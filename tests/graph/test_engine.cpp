// The flow graph's wiring on small in-memory worlds: routing by batch size, per-task gather across tasks of
// different shapes, waves against exhaustive runs, failing programs, bounded queues and cross-task batches.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "engine_support.hpp"

namespace megabatch::graph {
namespace {

using test::CollectingSink;
using test::describe;
using test::RecordingExecutor;
using test::World;

EngineMetrics run_all(const World& w, const EngineOptions& options, TaskSink& sink, BatchExecutor* cpu = nullptr,
                      BatchExecutor* gpu = nullptr, const CandidateFilter& filter = {}) {
  CpuExecutor plain(w.context());
  Engine engine(w.context(), options, cpu ? *cpu : plain, gpu);
  return engine.run(w.all_tasks(), filter, sink);
}

// Every task arrived exactly once, with one pair per candidate and statuses sized to the task.
void expect_complete(const World& w, const CollectingSink& sink, std::size_t candidates) {
  ASSERT_EQ(sink.arrivals.size(), w.tasks().size());
  for (const auto& [task, n] : sink.arrivals) EXPECT_EQ(n, 1) << "task " << task;
  for (const auto& [task, r] : sink.results) {
    const Task& t = w.tasks()[task];
    EXPECT_EQ(r.task, task);
    ASSERT_EQ(r.pairs.size(), candidates) << t.id;
    for (const PairResult& p : r.pairs) {
      EXPECT_EQ(p.train.size(), t.train.size()) << t.id;
      EXPECT_EQ(p.test.size(), t.test.size()) << t.id;
      EXPECT_EQ(p.predictions.size(), t.test.size()) << t.id;
    }
  }
}

// Pair results keyed by (task, program name), so worlds with different program lists compare.
std::map<std::pair<std::uint32_t, std::string>, PairResult> by_name(const World& w, const CollectingSink& sink) {
  std::map<std::pair<std::uint32_t, std::string>, PairResult> out;
  for (const auto& [task, r] : sink.results)
    for (const PairResult& p : r.pairs) out[{task, w.program_name(p.program)}] = p;
  return out;
}

// ---- routing ----------------------------------------------------------------------------------------------

TEST(EngineRouting, AFixedThresholdSendsBatchesOfAtLeastThatSizeToTheGpu) {
  GpuRouting r(256);
  EXPECT_EQ(r.route(255), Route::Cpu);
  EXPECT_EQ(r.route(256), Route::Gpu);
  EXPECT_EQ(r.route(100000), Route::Gpu);
  r.observe(Route::Gpu, 300, 300, 1.0);  // a fixed threshold learns nothing
  EXPECT_EQ(r.route(255), Route::Cpu);
  EXPECT_FALSE(r.report().automatic);
  EXPECT_TRUE(r.report().decided);
  EXPECT_EQ(r.report().threshold, 256u);
}

TEST(EngineRouting, TheCrossoverIsWhereTheGpuLineFallsBelowTheCpuLine) {
  // CPU 10 us an evaluation; GPU 2 ms a batch + 2 us an evaluation: equal at 250.
  const std::vector<RouteSample> cpu = {{100, 1e-3}, {1000, 1e-2}, {400, 4e-3}};
  const std::vector<RouteSample> gpu = {{100, 2.2e-3}, {1000, 4e-3}, {4000, 10e-3}};
  RoutingReport fit;
  EXPECT_EQ(GpuRouting::crossover(cpu, gpu, &fit), 250u);
  EXPECT_NEAR(fit.cpu_seconds_per_evaluation, 1e-5, 1e-12);
  EXPECT_NEAR(fit.gpu_seconds_per_batch, 2e-3, 1e-9);
  EXPECT_NEAR(fit.gpu_seconds_per_evaluation, 2e-6, 1e-12);
  // A GPU as slow an evaluation as the CPU never wins; one with no fixed cost always does.
  EXPECT_EQ(GpuRouting::crossover(cpu, {{100, 3e-3}, {1000, 12e-3}, {2000, 22e-3}}), GpuRouting::kNever);
  EXPECT_EQ(GpuRouting::crossover(cpu, {{100, 1e-4}, {1000, 1e-3}}), 1u);
  // Batches all of one size: no slope to fit, the whole time counts an evaluation.
  EXPECT_EQ(GpuRouting::crossover(cpu, {{500, 1e-3}, {500, 1e-3}}), 1u);
  EXPECT_EQ(GpuRouting::crossover(cpu, {{500, 6e-3}}), GpuRouting::kNever);
  EXPECT_EQ(GpuRouting::crossover({}, gpu), GpuRouting::kNever);
}

TEST(EngineRouting, AutoProbesBothSidesThenDecides) {
  GpuRouting r(std::nullopt);
  EXPECT_TRUE(r.report().automatic);
  std::vector<Route> routes;
  for (int k = 0; k < 8; ++k) routes.push_back(r.route(100));
  // Alternating, three to each side, then the CPU while the probe's batches are out.
  EXPECT_EQ(routes, (std::vector<Route>{Route::Gpu, Route::Cpu, Route::Gpu, Route::Cpu, Route::Gpu, Route::Cpu,
                                        Route::Cpu, Route::Cpu}));
  // A GPU batch whose rows all fell back to the CPU measured no device: its slot goes to another batch.
  r.observe(Route::Gpu, 100, 0, 5.0);
  EXPECT_EQ(r.route(100), Route::Gpu);
  EXPECT_EQ(r.route(100), Route::Cpu);
  for (std::size_t n : {100, 200, 400}) r.observe(Route::Cpu, n, 0, 1e-5 * static_cast<double>(n));
  EXPECT_FALSE(r.report().decided);
  for (std::size_t n : {100, 1000}) r.observe(Route::Gpu, n, n, 2e-3 + 2e-6 * static_cast<double>(n));
  EXPECT_FALSE(r.report().decided);
  r.observe(Route::Gpu, 4000, 4000, 2e-3 + 2e-6 * 4000);
  const RoutingReport rep = r.report();
  EXPECT_TRUE(rep.decided);
  EXPECT_EQ(rep.threshold, 250u);
  EXPECT_EQ(rep.gpu.size(), 3u);
  EXPECT_EQ(rep.cpu.size(), 3u);
  EXPECT_EQ(r.route(249), Route::Cpu);
  EXPECT_EQ(r.route(250), Route::Gpu);
}

TEST(EngineRouting, BatchesAtLeastMinGpuBatchGoToTheGpuAndSmallerOnesToTheCpu) {
  World w(test::kRulePrograms, test::mixed_tasks());
  CpuExecutor cpu_inner(w.context()), gpu_inner(w.context());
  RecordingExecutor cpu(cpu_inner, Route::Cpu), gpu(gpu_inner, Route::Gpu);
  EngineOptions o;
  o.exhaustive = true;
  o.max_batch = 4;
  o.min_gpu_batch = 4;
  // Six candidates per task: items of 4 and 2 programs per sample, so full batches (GPU) and batches of
  // 2 (CPU) both occur whatever the timing.
  const std::set<std::uint32_t> excluded = {w.program("p_identity"), w.program("p_rot180")};
  CandidateFilter six = [&](std::uint32_t, std::uint32_t p) { return !excluded.count(p); };
  CollectingSink sink;
  EngineMetrics m = run_all(w, o, sink, &cpu, &gpu, six);

  auto on_gpu = gpu.batches(), on_cpu = cpu.batches();
  ASSERT_FALSE(on_gpu.empty());
  ASSERT_FALSE(on_cpu.empty());
  for (const auto& b : on_gpu) EXPECT_GE(b->evaluations, o.min_gpu_batch);
  for (const auto& b : on_cpu) EXPECT_LT(b->evaluations, o.min_gpu_batch);
  EXPECT_EQ(m.gpu_batches, on_gpu.size());
  EXPECT_EQ(m.cpu_batches, on_cpu.size());
  std::size_t evaluations = 0;
  for (const auto& b : on_gpu) evaluations += b->evaluations;
  for (const auto& b : on_cpu) evaluations += b->evaluations;
  EXPECT_EQ(evaluations, m.evaluations);
  expect_complete(w, sink, 6);
  // The GPU's batches run on the engine's device thread (an async_node hands them over), never on a TBB
  // worker or the thread waiting for the graph.
  const auto gpu_threads = gpu.threads(), cpu_threads = cpu.threads();
  EXPECT_EQ(gpu_threads.size(), 1u);
  for (const auto& t : gpu_threads) {
    EXPECT_EQ(cpu_threads.count(t), 0u);
    EXPECT_NE(t, std::this_thread::get_id());
  }

  // Results do not depend on where a batch ran.
  CollectingSink plain;
  run_all(w, o, plain, nullptr, nullptr, six);
  auto a = by_name(w, sink), b = by_name(w, plain);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, p] : a) {
    EXPECT_EQ(p.train, b[key].train) << key.second << " on " << key.first;
    EXPECT_EQ(p.test, b[key].test) << key.second << " on " << key.first;
    EXPECT_EQ(p.predictions, b[key].predictions) << key.second << " on " << key.first;
  }
}

// The whole graph with min_gpu_batch "auto": the probe's batches reach both executors, the threshold
// follows the costs the executors report, and the metrics say what was measured.
TEST(EngineRouting, AutoMeasuresTheExecutorsAndRoutesByWhatItFound) {
  World w(test::kRulePrograms, test::mixed_tasks());
  for (const bool gpu_wins : {true, false}) {
    CpuExecutor cpu_inner(w.context()), gpu_inner(w.context());
    RecordingExecutor cpu(cpu_inner, Route::Cpu), gpu(gpu_inner, Route::Gpu);
    cpu.report_seconds(0, 1e-5);
    if (gpu_wins) gpu.report_seconds(1e-5, 1e-6);  // faster from 2 evaluations on
    else gpu.report_seconds(1e-3, 2e-5);          // slower at every size
    EngineOptions o;
    o.exhaustive = true;
    o.max_batch = 4;
    o.inflight_batches = 1;  // batches come back in the order they went: the probe ends early in the run
    o.auto_gpu_batch = true;
    o.min_gpu_batch = 1'000'000;  // not read when automatic
    CollectingSink sink;
    EngineMetrics m = run_all(w, o, sink, &cpu, &gpu);
    ASSERT_TRUE(m.routing.has_value());
    const RoutingReport& r = *m.routing;
    EXPECT_TRUE(r.automatic);
    ASSERT_TRUE(r.decided) << m.batches << " batches";
    EXPECT_EQ(r.cpu.size(), GpuRouting::kProbeBatches);
    EXPECT_EQ(r.gpu.size(), GpuRouting::kProbeBatches);
    EXPECT_NEAR(r.cpu_seconds_per_evaluation, 1e-5, 1e-9);
    EXPECT_EQ(r.threshold, GpuRouting::crossover(r.cpu, r.gpu));
    if (gpu_wins) {
      EXPECT_LE(r.threshold, 2u);
      EXPECT_GT(gpu.batches().size(), m.batches / 2) << "after the probe the GPU takes the batches of 2 or more";
    } else {
      EXPECT_EQ(r.threshold, GpuRouting::kNever);
      EXPECT_EQ(gpu.batches().size(), GpuRouting::kProbeBatches) << "only the probe's batches";
    }
    ASSERT_EQ(m.device_batches.size(), 1u);
    EXPECT_EQ(m.device_batches[0], gpu.batches().size());
    EXPECT_EQ(gpu.warm_ups(), std::vector<std::size_t>{0}) << "warmed once, before its first batch";
    expect_complete(w, sink, w.program_count());
  }
}

// Several devices: one executor each, fed by its own thread; every device gets batches.
TEST(EngineRouting, SeveralDevicesEachRunBatchesOnTheirOwnThread) {
  World w(test::kRulePrograms, test::mixed_tasks());
  CpuExecutor cpu(w.context()), inner0(w.context()), inner1(w.context()), inner2(w.context());
  RecordingExecutor d0(inner0, Route::Gpu), d1(inner1, Route::Gpu), d2(inner2, Route::Gpu);
  for (RecordingExecutor* d : {&d0, &d1, &d2}) d->delay(std::chrono::milliseconds(3));
  EngineOptions o;
  o.exhaustive = true;
  o.max_batch = 2;
  o.min_gpu_batch = 0;  // every batch to the devices
  o.inflight_batches = 6;
  CollectingSink sink;
  Engine engine(w.context(), o, cpu, std::vector<BatchExecutor*>{&d0, &d1, &d2});
  EngineMetrics m = engine.run(w.all_tasks(), {}, sink);
  EXPECT_EQ(m.cpu_batches, 0u);
  ASSERT_EQ(m.device_batches.size(), 3u);
  EXPECT_EQ(m.device_batches[0], d0.batches().size());
  EXPECT_EQ(m.device_batches[1], d1.batches().size());
  EXPECT_EQ(m.device_batches[2], d2.batches().size());
  EXPECT_EQ(m.device_batches[0] + m.device_batches[1] + m.device_batches[2], m.gpu_batches);
  std::set<std::thread::id> threads;
  for (const RecordingExecutor* d : {&d0, &d1, &d2}) {
    EXPECT_EQ(d->warm_ups(), std::vector<std::size_t>{0}) << "each device warmed once, before its first batch";
    EXPECT_FALSE(d->batches().empty()) << "a device was never given a batch";
    ASSERT_EQ(d->threads().size(), 1u);
    threads.insert(*d->threads().begin());
  }
  EXPECT_EQ(threads.size(), 3u) << "each device has its own thread";
  expect_complete(w, sink, w.program_count());
}

TEST(EngineRouting, WithoutAGpuExecutorEveryBatchRunsOnTheCpu) {
  World w(test::kRulePrograms, test::mixed_tasks());
  CpuExecutor inner(w.context());
  RecordingExecutor cpu(inner, Route::Cpu);
  EngineOptions o;
  o.max_batch = 8;
  o.min_gpu_batch = 1;  // every batch would qualify for a GPU
  CollectingSink sink;
  EngineMetrics m = run_all(w, o, sink, &cpu, nullptr);
  EXPECT_EQ(m.gpu_batches, 0u);
  EXPECT_GT(m.cpu_batches, 0u);
  EXPECT_EQ(m.cpu_batches, cpu.batches().size());
  EXPECT_EQ(m.batches, m.cpu_batches);
  expect_complete(w, sink, w.program_count());
}

// ---- gather -----------------------------------------------------------------------------------------------

// Checks the per-task results of a run over mixed_tasks(): each task's own rule program passes and predicts
// every test output; statuses follow the waves rule (or are all filled when exhaustive).
void expect_mixed_results(const World& w, const CollectingSink& sink, bool exhaustive) {
  const auto rules = test::mixed_rules();
  for (const auto& [task, r] : sink.results) {
    const Task& t = w.tasks()[task];
    const std::uint32_t own = w.program(test::rule_program(rules[task]));
    std::uint64_t evaluations = 0;
    for (const PairResult& p : r.pairs) {
      bool alive = true;  // matched every earlier train sample
      for (std::size_t k = 0; k < p.train.size(); ++k) {
        const bool ran = exhaustive || alive;
        EXPECT_EQ(p.train[k] != SampleStatus::Skipped, ran) << t.id << " " << describe(p);
        evaluations += p.train[k] != SampleStatus::Skipped;
        alive = alive && p.train[k] == SampleStatus::Match;
      }
      EXPECT_EQ(alive, p.pass());
      for (std::size_t k = 0; k < p.test.size(); ++k) {
        const bool ran = exhaustive || p.pass();
        EXPECT_EQ(p.test[k] != SampleStatus::Skipped, ran) << t.id << " " << describe(p);
        evaluations += p.test[k] != SampleStatus::Skipped;
        // An unknown test output never counts as a match.
        if (!t.test[k].output) {
          EXPECT_NE(p.test[k], SampleStatus::Match) << t.id << " " << describe(p);
        }
      }
      if (p.program != own) continue;
      EXPECT_TRUE(p.pass()) << t.id << " " << describe(p);
      for (std::size_t k = 0; k < t.test.size(); ++k) {
        ASSERT_TRUE(p.predictions[k].has_value()) << t.id << " test " << k;
        EXPECT_EQ(*p.predictions[k], test::apply_rule(rules[task], t.test[k].input)) << t.id << " test " << k;
        EXPECT_EQ(p.test[k], t.test[k].output ? SampleStatus::Match : SampleStatus::Mismatch) << t.id;
      }
    }
    EXPECT_EQ(r.evaluations, evaluations) << t.id;
    EXPECT_EQ(r.evaluations + r.skipped, r.pairs.size() * (t.train.size() + t.test.size())) << t.id;
  }
}

TEST(EngineGather, TasksOfDifferentShapesSharingBatchesEachCompleteOnceExhaustive) {
  World w(test::kRulePrograms, test::mixed_tasks());
  EngineOptions o;
  o.exhaustive = true;
  o.max_batch = 3;  // items split and samples of many tasks share batches
  o.task_window = 5;
  o.inflight_batches = 2;
  CollectingSink sink;
  EngineMetrics m = run_all(w, o, sink);
  expect_complete(w, sink, w.program_count());
  expect_mixed_results(w, sink, true);
  EXPECT_EQ(m.tasks, w.tasks().size());
  EXPECT_EQ(m.evaluations, m.samples * w.program_count());
  EXPECT_EQ(m.skipped, 0u);
}

TEST(EngineGather, TasksOfDifferentShapesSharingBatchesEachCompleteOnceInWaves) {
  World w(test::kRulePrograms, test::mixed_tasks());
  EngineOptions o;
  o.max_batch = 3;
  o.task_window = 5;
  o.inflight_batches = 2;
  CollectingSink sink;
  EngineMetrics m = run_all(w, o, sink);
  expect_complete(w, sink, w.program_count());
  expect_mixed_results(w, sink, false);
  std::uint64_t evaluations = 0, skipped = 0;
  for (const auto& [task, r] : sink.results) evaluations += r.evaluations, skipped += r.skipped;
  EXPECT_EQ(m.evaluations, evaluations);
  EXPECT_EQ(m.skipped, skipped);
}

TEST(EngineGather, TaskWithNoCandidateCompletesWithNoPairs) {
  World w(test::kRulePrograms, test::mixed_tasks());
  const std::uint32_t flip = w.program("p_flip");
  // Only odd tasks get a candidate: even ones go straight from the batcher to the sink.
  CandidateFilter odd_only = [&](std::uint32_t task, std::uint32_t p) { return task % 2 == 1 && p == flip; };
  CollectingSink sink;
  EngineOptions o;
  o.max_batch = 2;
  EngineMetrics m = run_all(w, o, sink, nullptr, nullptr, odd_only);
  ASSERT_EQ(sink.arrivals.size(), w.tasks().size());
  for (const auto& [task, r] : sink.results) {
    EXPECT_EQ(sink.arrivals[task], 1);
    EXPECT_EQ(r.pairs.size(), task % 2) << "task " << task;
    if (task % 2 == 1 && !r.pairs.empty()) {
      EXPECT_EQ(r.pairs[0].program, flip);
    }
  }
  EXPECT_GT(m.evaluations, 0u);
}

// ---- waves ------------------------------------------------------------------------------------------------

TEST(EngineWaves, WavesAndExhaustiveAgreeOnEveryPassingPairAndWavesSkipWork) {
  World w(test::kRulePrograms, test::mixed_tasks(11));
  EngineOptions o;
  o.max_batch = 5;
  o.task_window = 4;
  CollectingSink waves, all;
  EngineMetrics mw = run_all(w, o, waves);
  o.exhaustive = true;
  EngineMetrics ma = run_all(w, o, all);
  expect_complete(w, waves, w.program_count());
  expect_complete(w, all, w.program_count());

  auto a = by_name(w, all), b = by_name(w, waves);
  std::size_t passing = 0, skipped_statuses = 0;
  for (const auto& [key, full] : a) {
    const PairResult& wave = b.at(key);
    ASSERT_EQ(full.pass(), wave.pass()) << key.second << " on task " << key.first;
    for (SampleStatus s : wave.train) skipped_statuses += s == SampleStatus::Skipped;
    for (SampleStatus s : wave.test) skipped_statuses += s == SampleStatus::Skipped;
    if (full.pass()) {
      ++passing;
      EXPECT_EQ(full.train, wave.train) << key.second << " on task " << key.first;
      EXPECT_EQ(full.test, wave.test) << key.second << " on task " << key.first;
      EXPECT_EQ(full.predictions, wave.predictions) << key.second << " on task " << key.first;
      EXPECT_EQ(full.cost, wave.cost) << key.second << " on task " << key.first;
    } else {
      // Up to and including the first miss, waves saw what the exhaustive run saw.
      for (std::size_t k = 0; k < full.train.size(); ++k) {
        EXPECT_EQ(full.train[k], wave.train[k]) << key.second << " on task " << key.first;
        if (full.train[k] != SampleStatus::Match) break;
      }
    }
  }
  EXPECT_GE(passing, w.tasks().size());  // at least each task's own program
  EXPECT_GT(skipped_statuses, 0u);
  EXPECT_GT(mw.skipped, 0u);
  EXPECT_EQ(ma.skipped, 0u);
  EXPECT_EQ(mw.evaluations + mw.skipped, ma.evaluations);
  EXPECT_LT(mw.evaluations, ma.evaluations);
}

TEST(EngineWaves, SmallestFirstRunsTheDemoWithTheFewestInputCellsFirstAndKeepsEveryPassingPair) {
  World w(test::kRulePrograms, test::mixed_tasks(11));
  EngineOptions o;
  o.max_batch = 5;
  o.task_window = 4;
  o.wave_order = WaveOrder::SmallestFirst;
  CollectingSink waves, all;
  EngineMetrics mw = run_all(w, o, waves);
  o.exhaustive = true;
  run_all(w, o, all);
  expect_complete(w, waves, w.program_count());

  // The order each task's train samples must have been visited in: by input cells, ties in file order.
  auto order_of = [&](std::uint32_t task) {
    const Task& t = w.tasks()[task];
    std::vector<std::size_t> order(t.train.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return t.train[a].input.cells.size() < t.train[b].input.cells.size();
    });
    return order;
  };
  std::size_t reordered_tasks = 0, first_run_not_first_in_file = 0;
  for (std::uint32_t task = 0; task < w.tasks().size(); ++task) {
    const auto order = order_of(task);
    reordered_tasks += !std::is_sorted(order.begin(), order.end());
    for (const PairResult& full : all.results.at(task).pairs) {
      const PairResult& wave = waves.results.at(task).pairs[&full - all.results.at(task).pairs.data()];
      ASSERT_EQ(full.program, wave.program);
      ASSERT_EQ(full.pass(), wave.pass()) << w.program_name(full.program) << " on task " << task;
      if (full.pass()) {
        EXPECT_EQ(full.train, wave.train);
        EXPECT_EQ(full.test, wave.test);
        EXPECT_EQ(full.predictions, wave.predictions);
        continue;
      }
      // Visited in order up to and including the first miss; everything after it is skipped.
      bool missed = false;
      for (std::size_t k : order) {
        if (missed) {
          EXPECT_EQ(wave.train[k], SampleStatus::Skipped) << w.program_name(full.program) << " on task " << task;
        } else {
          EXPECT_EQ(wave.train[k], full.train[k]) << w.program_name(full.program) << " on task " << task;
          missed = full.train[k] != SampleStatus::Match;
        }
      }
      first_run_not_first_in_file += order[0] != 0 && wave.train[order[0]] != SampleStatus::Skipped &&
                                     wave.train[0] == SampleStatus::Skipped;
      for (SampleStatus s : wave.test) EXPECT_EQ(s, SampleStatus::Skipped);
    }
  }
  // The world must exercise the reordering, or this test would only repeat the given-order one.
  EXPECT_GT(reordered_tasks, 0u);
  EXPECT_GT(first_run_not_first_in_file, 0u);
  EXPECT_GT(mw.skipped, 0u);
}

// ---- pruning by output shape ------------------------------------------------------------------------------

// The rule programs plus ones that fail, unpruned, in every way there is, after a node that fixes
// their output's shape.
std::string pruning_programs() {
  return std::string(test::kRulePrograms) + R"(
def p_fill_from_nothing(I):
    x1 = ofcolor(I, TEN)
    x2 = first(x1)
    O = fill(I, TWO, x2)
    return O

def p_paint_a_giant(I):
    x1 = upscale(I, 1000)
    x2 = asobject(x1)
    O = paint(I, x2)
    return O

def p_turned_recolour(I):
    x1 = replace(I, ONE, TWO)
    O = rot90(x1)
    return O
)";
}

TEST(EnginePrune, PruningByShapeChangesNoReportedPairAndOnlyTheFirstWaveIsPruned) {
  cpu::EvalLimits limits;
  limits.max_cells = 2'000'000;
  limits.wall_ms = 0;
  World w(pruning_programs(), test::mixed_tasks(5), limits);
  EngineOptions o;
  o.max_batch = 7;
  o.task_window = 4;
  CollectingSink on_sink, off_sink, all_sink;
  const EngineMetrics on = run_all(w, o, on_sink);
  o.prune = false;
  const EngineMetrics off = run_all(w, o, off_sink);
  o.prune = true;
  o.exhaustive = true;
  const EngineMetrics all = run_all(w, o, all_sink);
  expect_complete(w, on_sink, w.program_count());

  auto a = by_name(w, off_sink), b = by_name(w, on_sink);
  std::size_t reported = 0, pruned_pairs = 0;
  for (const auto& [key, unpruned] : a) {
    const PairResult& pruned = b.at(key);
    ASSERT_EQ(unpruned.pass(), pruned.pass()) << key.second << " on task " << key.first;
    if (unpruned.train_matches() > 0 || pruned.train_matches() > 0) {
      // a pair that matched a demo is reported: it must be exactly what it was without pruning
      ++reported;
      EXPECT_EQ(unpruned.train, pruned.train) << key.second << " on task " << key.first;
      EXPECT_EQ(unpruned.test, pruned.test) << key.second << " on task " << key.first;
      EXPECT_EQ(unpruned.predictions, pruned.predictions) << key.second << " on task " << key.first;
      EXPECT_EQ(unpruned.cost, pruned.cost) << key.second << " on task " << key.first;
      continue;
    }
    // otherwise it failed its first demo both ways, and ran nothing after it either way
    EXPECT_EQ(unpruned.train[0] == SampleStatus::Match, false);
    pruned_pairs += unpruned.train[0] != pruned.train[0];
    for (std::size_t k = 1; k < unpruned.train.size(); ++k) EXPECT_EQ(pruned.train[k], SampleStatus::Skipped);
  }
  EXPECT_GE(reported, w.tasks().size());
  EXPECT_GT(pruned_pairs, 0u);  // an error or budget stop became a proven mismatch
  EXPECT_GT(on.pruned, 0u);
  EXPECT_EQ(off.pruned, 0u);
  EXPECT_EQ(all.pruned, 0u);  // --exhaustive reports every sample: nothing may be pruned
  EXPECT_EQ(on.evaluations, off.evaluations);
  EXPECT_LT(on.errors + on.budget_stops, off.errors + off.budget_stops);
}

// ---- failing programs -------------------------------------------------------------------------------------

constexpr std::string_view kFailingPrograms = R"(
def p_first_of_nothing(I):
    x1 = ofcolor(I, TEN)
    O = first(x1)
    return O

def p_divide_by_zero(I):
    x1 = divide(ONE, ZERO)
    O = upscale(I, x1)
    return O

def p_call_a_grid(I):
    x1 = I(I)
    return x1

def p_huge(I):
    O = upscale(I, 1000)
    return O
)";

TEST(EngineErrors, RaisingAndOverBudgetProgramsDoNotStopTheRunOrChangeOtherResults) {
  cpu::EvalLimits limits;
  limits.max_cells = 100'000;
  // The failing programs come first, so they share nodes (I, upscale) with the good ones and shift their ids.
  World mixed(std::string(kFailingPrograms) + std::string(test::kRulePrograms), test::mixed_tasks(), limits);
  World good(test::kRulePrograms, test::mixed_tasks(), limits);
  EngineOptions o;
  o.exhaustive = true;
  o.max_batch = 7;
  CollectingSink with_failures, without;
  EngineMetrics m = run_all(mixed, o, with_failures);
  run_all(good, o, without);
  expect_complete(mixed, with_failures, mixed.program_count());
  expect_mixed_results(mixed, with_failures, true);

  auto a = by_name(mixed, with_failures), b = by_name(good, without);
  std::size_t failing_pairs = 0;
  for (const auto& [key, p] : a) {
    const auto& [task, name] = key;
    SampleStatus expected = name == "p_huge" ? SampleStatus::Budget : SampleStatus::Error;
    if (name == "p_first_of_nothing" || name == "p_divide_by_zero" || name == "p_call_a_grid" || name == "p_huge") {
      ++failing_pairs;
      for (SampleStatus s : p.train) EXPECT_EQ(s, expected) << name << " on task " << task;
      for (SampleStatus s : p.test) EXPECT_EQ(s, expected) << name << " on task " << task;
      for (const auto& g : p.predictions) EXPECT_FALSE(g.has_value()) << name;
      continue;
    }
    const PairResult& q = b.at(key);
    EXPECT_EQ(p.train, q.train) << name << " on task " << task;
    EXPECT_EQ(p.test, q.test) << name << " on task " << task;
    EXPECT_EQ(p.predictions, q.predictions) << name << " on task " << task;
    EXPECT_EQ(p.cost, q.cost) << name << " on task " << task;
  }
  EXPECT_EQ(failing_pairs, 4 * mixed.tasks().size());
  EXPECT_EQ(m.errors, 3 * m.samples);
  EXPECT_EQ(m.budget_stops, m.samples);

  // Per-program costs: every program ran on every sample (exhaustive), failures are attributed to the
  // programs that failed, and the programs' costs add up to their pairs' costs.
  ASSERT_EQ(m.program_costs.size(), mixed.program_count());
  std::int64_t pair_costs = 0, program_costs = 0;
  for (const auto& [key, p] : a) pair_costs += p.cost;
  for (std::uint32_t id = 0; id < m.program_costs.size(); ++id) {
    const ProgramCost& c = m.program_costs[id];
    const std::string name = mixed.program_name(id);
    program_costs += c.cost;
    EXPECT_EQ(c.evaluations, m.samples) << name;
    EXPECT_EQ(c.budget_stops, name == "p_huge" ? m.samples : 0u) << name;
    const bool raises = name == "p_first_of_nothing" || name == "p_divide_by_zero" || name == "p_call_a_grid";
    EXPECT_EQ(c.errors, raises ? m.samples : 0u) << name;
  }
  EXPECT_EQ(program_costs, pair_costs);
}

TEST(EngineMetricsTest, CostliestProgramsAreOrderedByCostThenIdAndSkipUnevaluatedOnes) {
  std::vector<ProgramCost> costs(5);
  costs[0] = {3, 0, 0, 50};
  costs[1] = {3, 0, 0, 900};
  costs[2] = {0, 0, 0, 0};  // never evaluated
  costs[3] = {3, 0, 1, 50};
  costs[4] = {3, 2, 0, 0};
  EXPECT_EQ(costliest_programs(costs, 10), (std::vector<std::uint32_t>{1, 0, 3, 4}));
  EXPECT_EQ(costliest_programs(costs, 2), (std::vector<std::uint32_t>{1, 0}));
  EXPECT_TRUE(costliest_programs(costs, 0).empty());
}

// ---- bounded queues ---------------------------------------------------------------------------------------

// Counts batches executing at once and the tasks that have work out and have not reached the sink yet.
class Probe final : public BatchExecutor, public TaskSink {
 public:
  explicit Probe(BatchExecutor& inner) : inner_(inner) {}
  const char* name() const override { return "probe"; }
  BatchResultPtr execute(const BatchPtr& batch) override {
    const std::size_t now = ++running_;
    std::size_t seen = max_running_.load();
    while (now > seen && !max_running_.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard lock(mutex_);
      for (const auto& item : batch->items) held_.insert(item.task);
      max_held_ = std::max(max_held_, held_.size());
    }
    // Give other batches the chance to overlap this one (the bound must hold whatever happens).
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    BatchResultPtr r = inner_.execute(batch);
    --running_;
    return r;
  }
  void on_task(TaskResult&& r) override {
    std::lock_guard lock(mutex_);
    held_.erase(r.task);
    ++delivered_[r.task];
  }
  std::size_t max_running() const { return max_running_.load(); }
  std::size_t max_held() const { return max_held_; }
  const std::map<std::uint32_t, int>& delivered() const { return delivered_; }

 private:
  BatchExecutor& inner_;
  std::atomic<std::size_t> running_{0}, max_running_{0};
  std::mutex mutex_;
  std::set<std::uint32_t> held_;
  std::size_t max_held_ = 0;
  std::map<std::uint32_t, int> delivered_;
};

TEST(EngineBounds, InflightBatchesAndTheTaskWindowAreNeverExceeded) {
  std::mt19937 rng(3);
  std::vector<Task> tasks;
  for (int k = 0; k < 60; ++k)
    tasks.push_back(test::make_task(test::numbered("b", k), test::kRules[k % 6], 1 + k % 3, 1, true, rng));
  World w(test::kRulePrograms, std::move(tasks));
  CpuExecutor inner(w.context());
  EngineOptions o;
  o.max_batch = 4;
  o.inflight_batches = 2;
  o.task_window = 3;
  o.max_wait_ms = 0;
  // More worker threads than the bounds allow, so only the graph's limiters can keep to them.
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 8);
  tbb::task_arena arena(8);
  Probe probe(inner);
  EngineMetrics m;
  arena.execute([&] {
    Engine engine(w.context(), o, probe, nullptr);
    m = engine.run(w.all_tasks(), {}, probe);
  });
  EXPECT_LE(probe.max_running(), o.inflight_batches);
  EXPECT_LE(probe.max_held(), o.task_window);
  ASSERT_EQ(probe.delivered().size(), w.tasks().size());
  for (const auto& [task, n] : probe.delivered()) EXPECT_EQ(n, 1) << "task " << task;
  EXPECT_GT(m.batches, 60u);  // far more batches than the in-flight bound: the limiter was exercised
}

// ---- cross-task batches -----------------------------------------------------------------------------------

TEST(EngineBatches, ABatchHoldsSamplesOfSeveralTasks) {
  // Tasks of one train pair and no test input, three candidates each: one 3-evaluation item per task, so a
  // batch of up to 8 evaluations can only fill up with items of two tasks.
  std::mt19937 rng(5);
  std::vector<Task> tasks;
  for (int k = 0; k < 12; ++k)
    tasks.push_back(test::make_task(test::numbered("m", k), test::kRules[k % 6], 1, 0, true, rng));
  World w(test::kRulePrograms, std::move(tasks));
  const std::set<std::uint32_t> three = {w.program("p_flip"), w.program("p_upside"), w.program("p_rot90")};
  CandidateFilter filter = [&](std::uint32_t, std::uint32_t p) { return three.count(p) > 0; };
  CpuExecutor inner(w.context());
  RecordingExecutor cpu(inner, Route::Cpu);
  EngineOptions o;
  o.exhaustive = true;
  o.max_batch = 8;
  o.max_wait_ms = 60'000;  // no partial batch leaves early: batches fill across tasks
  CollectingSink sink;
  run_all(w, o, sink, &cpu, nullptr, filter);
  expect_complete(w, sink, 3);
  std::size_t mixed = 0, items = 0;
  for (const auto& b : cpu.batches()) {
    std::set<std::uint32_t> in_batch;
    for (const auto& item : b->items) in_batch.insert(item.task), ++items;
    mixed += in_batch.size() >= 2;
  }
  EXPECT_GT(mixed, 0u);
  EXPECT_EQ(items, w.tasks().size());
}

}  // namespace
}  // namespace megabatch::graph
