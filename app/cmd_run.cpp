// `megabatch run`: every candidate program against every sample of every task, through the flow
// graph, to results.jsonl, solver_md5/ + solver_dir/, submission.json, score.json and metrics.json.
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdlib>
#include <random>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "app/commands.hpp"
#include "app/config_options.hpp"
#include "cpu/dsl/registry.hpp"
#include "cpu/dsl/vocabulary.hpp"
#include "cpu/executor.hpp"
#include "engine/program/parse.hpp"
#include "engine/results/run_record.hpp"
#include "engine/task_io.hpp"
#include "gpu/device.hpp"
#include "gpu/grid_ops.hpp"
#include "graph/gpu_executor.hpp"
#include "graph/engine.hpp"
#include "graph/outputs.hpp"
#include "graph/result_cache.hpp"
#include "app/cache_setup.hpp"

namespace megabatch::app {
namespace {

// Ctrl-C: the first stops the run after the tasks under way (every output written, --resume runs the
// rest); a second one ends it at once.
std::atomic<bool> stop_requested{false};
extern "C" void on_interrupt(int) {
  stop_requested.store(true);
  std::signal(SIGINT, SIG_DFL);
  static const char message[] = "\ninterrupt: finishing the tasks under way (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, message, sizeof message - 1);
}

struct RunOptions {
  std::string tasks;
  std::string solutions;
  std::vector<std::string> programs;
  bool own = false, exhaustive = false, resume = false, fresh = false;
  bool demo_score = false;  // score counts demo matches only (a search's selection)
  bool dedupe_states = false;
  int threads = -1;
  std::string backend = "auto";
  std::string out = "out";
  std::string library;  // empty: --out
  std::string shard;    // "K/N"
  std::size_t shard_index = 0, shard_count = 0;  // parsed from shard; count 0: not sharded
  long count = 0;           // 0: every task; N > 0: the first N; N < 0: a random |N| (tokpidjin's -c)
  unsigned long seed = 1;   // for the random sample
  bool timing = false;
  std::string dialect;  // empty: detected per file
  ConfigOptions config;
};

// A bar on a terminal, a plain line every 10% (at most every 2 s) otherwise; nothing under --log-level
// warn or quieter (a search's generations, run_card.sh), where only what needs attention is printed.
class Progress {
 public:
  Progress()
      : quiet_(spdlog::get_level() > spdlog::level::info), tty_(::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done, std::size_t total) {
    if (quiet_) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (tty_) {
      const int width = 40, filled = total ? static_cast<int>(width * done / total) : width;
      std::fprintf(stderr, "\r[%s%s] %zu/%zu tasks %.1fs", std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), done, total, secs);
      if (done == total) std::fprintf(stderr, "\n");
      return;
    }
    const std::size_t tenth = total ? done * 10 / total : 10;
    if (done == total || (tenth > last_tenth_ && secs - last_print_ >= 2.0)) {
      std::fprintf(stderr, "progress: %zu/%zu tasks, %.1fs\n", done, total, secs);
      last_tenth_ = tenth;
      last_print_ = secs;
    }
  }

 private:
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_;
  std::size_t last_tenth_ = 0;
  double last_print_ = -10;
};

int run_command(const RunOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.fresh && !o.library.empty()) {
    // A shared library holds other runs' entries: emptying it is not one run's to decide.
    spdlog::error("--fresh empties the library in --out; with --library {} it would delete other runs' entries "
                  "(empty that folder by hand if you mean it)", o.library);
    return kExitUsage;
  }
  Config config = effective_config(o.config);
  if (o.threads >= 0) config.threads = o.threads;
  const int threads = config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, std::max(1, threads));
  bool rejected = false;

  // Tasks: bad files and tasks are reported one line each and skipped.
  std::optional<std::filesystem::path> solutions;
  if (!o.solutions.empty()) solutions = o.solutions;
  LoadResult loaded = load_tasks(o.tasks, solutions);
  for (const auto& r : loaded.rejections) {
    std::string where = r.file + (r.task.empty() ? "" : ": " + r.task);
    spdlog::error("{}: {}", where, r.message);
    rejected = true;
  }
  spdlog::info("tasks: {} loaded, {} rejected", loaded.tasks.size(), loaded.rejections.size());
  if (o.count != 0) {
    // Positive: the first N tasks (id order); negative: a seeded random sample, as tokpidjin's -c.
    const std::size_t n = std::min<std::size_t>(loaded.tasks.size(), static_cast<std::size_t>(std::labs(o.count)));
    if (o.count < 0) {
      std::mt19937_64 rng(o.seed);
      for (std::size_t k = 0; k < n; ++k) {
        std::size_t pick = k + static_cast<std::size_t>(rng() % (loaded.tasks.size() - k));
        std::swap(loaded.tasks[k], loaded.tasks[pick]);
      }
      loaded.tasks.resize(n);
      std::sort(loaded.tasks.begin(), loaded.tasks.end(), [](const Task& a, const Task& b) { return a.id < b.id; });
    } else {
      loaded.tasks.resize(n);
    }
    spdlog::info("tasks: running {} of them (--count {})", loaded.tasks.size(), o.count);
  }

  // Programs: one shared DAG; a bad function is reported and skipped. Each file is read in one
  // dialect, given or detected, and says which.
  program::Dag dag;
  std::size_t functions = 0;
  {
    program::ParseOptions parse_options;
    if (!o.dialect.empty()) parse_options.dialect = dialect_from_name(o.dialect);
    std::vector<std::filesystem::path> paths(o.programs.begin(), o.programs.end());
    program::ParseResult parsed = program::parse_paths(paths, cpu::dsl_vocabularies(), parse_options);
    // One line per file for a few files; for a library folder of many, a count per dialect (and the
    // files at debug level).
    std::size_t per_dialect[kDialectCount] = {0, 0};
    for (const auto& f : parsed.files) {
      ++per_dialect[static_cast<int>(f.dialect)];
      if (parsed.files.size() <= 8) spdlog::info("programs: {}: {} ({})", f.file, dialect_name(f.dialect), f.reason);
      else spdlog::debug("programs: {}: {} ({})", f.file, dialect_name(f.dialect), f.reason);
    }
    if (parsed.files.size() > 8)
      spdlog::info("programs: {} files: {} tokpidjin, {} arc-dsl{}", parsed.files.size(),
                   per_dialect[static_cast<int>(Dialect::Tokpidjin)], per_dialect[static_cast<int>(Dialect::ArcDsl)],
                   o.dialect.empty() ? " (detected per file)" : " (--dialect)");
    for (const auto& e : parsed.errors) {
      spdlog::error("{}", e.to_string());
      rejected = true;
    }
    for (const auto& p : parsed.programs) {
      try {
        dag.add(p);
        ++functions;
      } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        rejected = true;
      }
    }
  }
  spdlog::info("programs: {} loaded; DAG {} nodes shared ({} unshared)", functions, dag.shared_node_count(),
               dag.unshared_node_count());
  // What decides results.jsonl besides the tasks and the programs: --resume continues a folder only
  // when all of it is the same (engine/results/run_record.hpp). A shard's record describes the whole
  // run, and which shard it is.
  RunRecord record = describe_run(loaded.tasks, dag,
                                  {{"megabatch", MEGABATCH_VERSION},
                                   {"own", o.own ? "true" : "false"},
                                   {"exhaustive", o.exhaustive ? "true" : "false"},
                                   {"batch.wave_order", config.batch.wave_order},
                                   {"batch.prune", config.batch.prune},
                                   {"budget.max_primitive_calls", std::to_string(config.budget.max_primitive_calls)},
                                   {"budget.max_cells", std::to_string(config.budget.max_cells)},
                                   {"budget.wall_ms", std::to_string(config.budget.wall_ms)},
                                   {"max_inline_chars", std::to_string(config.max_inline_chars)},
                                   {"score", o.demo_score ? "demos" : "demos+tests"}});
  if (o.dedupe_states) record.settings["dedupe_states"] = "true";  // absent when off: older records still resume
  if (o.shard_count > 0) {
    ShardInfo shard{o.shard_index, o.shard_count, {}};
    std::vector<Task> mine;
    for (std::size_t k = 0; k < loaded.tasks.size(); ++k)
      if (in_shard(k, shard.index, shard.count)) {
        shard.task_ids.push_back(loaded.tasks[k].id);
        mine.push_back(std::move(loaded.tasks[k]));
      }
    spdlog::info("tasks: shard {}/{}: {} of {}", shard.index, shard.count, mine.size(), loaded.tasks.size());
    loaded.tasks = std::move(mine);
    record.shard = std::move(shard);
  }
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  cpu::CompiledDag compiled(dag);
  cpu::EvalLimits limits{config.budget.max_cells, config.budget.max_primitive_calls, config.budget.wall_ms};
  graph::RunContext context = graph::make_run_context(compiled, loaded.tasks, limits);

  // The GPU executor (graph/gpu_executor.hpp): `gpu` on each CUDA device, behind the router; `gpu-host`
  // runs its whole path by the tbb launcher and takes every batch with device work, so a machine
  // without a GPU tests it.
  // `auto` uses the devices that pass their self-test, and the router measures them against the CPU.
  graph::CpuExecutor cpu_executor(context);
  // Several devices (Kaggle's 4x L4) get one executor each.
  std::vector<std::unique_ptr<graph::GpuExecutor>> gpu_executors;
  if (o.backend == "gpu-host") {
    gpu_executors.push_back(std::make_unique<graph::GpuExecutor>(context, graph::GpuExecutor::Launcher::Host));
  } else if (o.backend == "gpu" || o.backend == "auto") {
    // Every device is checked against the host launcher before the run trusts it with a batch.
    const int devices = gpu::built_with_cuda() ? gpu::device_count() : 0;
    for (int d = 0; d < devices; ++d) {
      std::unique_ptr<graph::GpuExecutor> e;
      std::optional<std::string> failed;
      try {
        e = std::make_unique<graph::GpuExecutor>(context, graph::GpuExecutor::Launcher::Device, d);
        failed = e->self_test();
      } catch (const std::exception& ex) {
        failed = ex.what();
      }
      if (failed)
        spdlog::error("GPU {}: its self-test failed ({}): not used", d, *failed);
      else
        gpu_executors.push_back(std::move(e));
    }
    if (o.backend == "gpu" && gpu_executors.empty())
      spdlog::warn("--backend gpu: {}; running on the CPU",
                   !gpu::built_with_cuda() ? "this build has no CUDA" : devices == 0 ? "no GPU is present" : "no GPU passed its self-test");
  }
  if (!gpu_executors.empty())
    spdlog::info("backend {}: {} of {} programs run whole on the device path (gpu/ops/grid_ops.hpp), {} device(s)",
                 gpu_executors.front()->name(), gpu_executors.front()->device_programs(), dag.programs().size(),
                 gpu_executors.size());

  graph::EngineOptions eo;
  eo.exhaustive = o.exhaustive || o.own;  // --own reports every sample of a task's own solver
  eo.max_batch = static_cast<std::size_t>(config.batch.max_batch);
  // `gpu-host` exists to test the device path: with "auto" it takes every batch with device work (its
  // host launcher is never faster than the CPU, so a probe would route nothing to it); a number is honoured.
  const std::optional<std::int64_t> fixed = fixed_gpu_batch(config.batch);
  eo.auto_gpu_batch = !fixed && o.backend != "gpu-host";
  eo.min_gpu_batch = fixed ? static_cast<std::size_t>(*fixed) : 0;
  eo.max_wait_ms = config.batch.max_wait_ms;
  eo.inflight_batches = static_cast<std::size_t>(config.batch.inflight_batches);
  eo.wave_order = config.batch.wave_order == "smallest_first" ? graph::WaveOrder::SmallestFirst : graph::WaveOrder::Given;
  eo.prune = config.batch.prune == "on";
  eo.dedupe_states = o.dedupe_states;
  // The result cache: what besides program and task decides a pair's outcome is part of its key.
  const std::string cache_settings =
      (eo.exhaustive ? std::string("exhaustive") : "waves " + config.batch.wave_order + " prune " + config.batch.prune) +
      " calls " + std::to_string(config.budget.max_primitive_calls) + " cells " + std::to_string(config.budget.max_cells);
  // State dedupe folds a task's pairs by their demo outputs, which a cache entry does not keep: a warm
  // run could not fold what it read, and would report more than a cold one. So no cache then.
  std::unique_ptr<graph::ResultCache> result_cache;
  if (o.dedupe_states && config.cache != "off")
    spdlog::info("cache: not used with --dedupe-states (an entry keeps no outputs to fold by)");
  else
    result_cache = open_result_cache(config, dag, loaded.tasks, cache_settings);
  eo.cache = result_cache.get();

  graph::OutputOptions oo;
  oo.out_dir = o.out;
  oo.record = std::move(record);
  oo.own = o.own;
  oo.resume = o.resume;
  oo.fresh = o.fresh;
  oo.library_dir = o.library;
  oo.score_with_test = !o.demo_score;
  oo.dedupe_states = o.dedupe_states;
  oo.max_inline_chars = static_cast<std::uint64_t>(config.max_inline_chars);
  std::unique_ptr<graph::RunWriter> writer_holder;
  try {
    writer_holder = std::make_unique<graph::RunWriter>(context, oo);
  } catch (const graph::FolderInUse& e) {
    spdlog::error("{}", e.what());
    return kExitBusy;  // nothing done: a queue worker leaves the shard to the run that has it
  }
  graph::RunWriter& writer = *writer_holder;

  std::vector<std::uint32_t> order;
  for (std::uint32_t t = 0; t < loaded.tasks.size(); ++t)
    if (!writer.completed().count(t)) order.push_back(t);
  if (o.resume) spdlog::info("resume: {} tasks already done, {} to run", writer.completed().size(), order.size());
  // Instances sharing a cache on the same tasks each start at another place in the list, so each
  // finds the others' results ahead of it instead of all computing the same task at once. The order
  // of work changes no output (results are written in task order).
  if (result_cache && order.size() > 1) {
    const std::size_t start = static_cast<std::size_t>(::getpid()) * 2654435761u % order.size();
    std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(start), order.end());
    spdlog::debug("tasks: starting at the {}-th (instances sharing the cache start apart)", start);
  }

  graph::CandidateFilter filter;
  if (o.own) {
    const auto& programs = dag.programs();
    filter = [&](std::uint32_t task, std::uint32_t program) {
      return programs[program].name == "solve_" + loaded.tasks[task].id;
    };
  }
  Progress progress;
  eo.stop = &stop_requested;
  std::signal(SIGINT, on_interrupt);
  std::vector<graph::BatchExecutor*> gpus;
  for (const auto& e : gpu_executors) gpus.push_back(e.get());
  graph::Engine engine(context, eo, cpu_executor, gpus);
  graph::EngineMetrics metrics =
      engine.run(order, filter, writer, [&](std::size_t done, std::size_t total) { progress.update(done, total); });
  graph::RunSummary s = writer.finalize(metrics, load_seconds);

  std::printf("tasks %zu  programs %zu  dag nodes %zu (unshared %zu)\n", loaded.tasks.size(), functions,
              dag.shared_node_count(), dag.unshared_node_count());
  std::printf("evaluations %llu (skipped by waves %llu, pruned %llu, errors %llu, budget stops %llu) in %.2fs: %.0f/s\n",
              static_cast<unsigned long long>(metrics.evaluations), static_cast<unsigned long long>(metrics.skipped),
              static_cast<unsigned long long>(metrics.pruned), static_cast<unsigned long long>(metrics.errors),
              static_cast<unsigned long long>(metrics.budget_stops),
              metrics.seconds_total, metrics.seconds_total > 0 ? metrics.evaluations / metrics.seconds_total : 0.0);
  for (std::size_t d = 0; d < gpu_executors.size(); ++d) {
    const graph::GpuExecutor& e = *gpu_executors[d];
    std::printf("%s executor%s: %llu evaluations on the device path, %llu on its CPU evaluator (%llu slice plans, "
                "%llu launches)\n",
                e.name(), gpu_executors.size() > 1 ? (" " + std::to_string(d)).c_str() : "",
                static_cast<unsigned long long>(e.device_evaluations()), static_cast<unsigned long long>(e.cpu_evaluations()),
                static_cast<unsigned long long>(e.plans_run()), static_cast<unsigned long long>(e.launches()));
  }
  if (metrics.routing && metrics.routing->automatic)
    std::printf("routing: min_gpu_batch auto: %s\n",
                !metrics.routing->decided ? "the run ended before the probe did (too few batches)"
                : metrics.routing->threshold == graph::GpuRouting::kNever
                    ? "the CPU was faster at every batch size measured"
                    : ("batches of " + std::to_string(metrics.routing->threshold) + " or more on the GPU").c_str());
  if (o.dedupe_states)
    std::printf("states: %llu pairs folded into a shorter program of the same state (%llu test evaluations saved)\n",
                static_cast<unsigned long long>(metrics.state_duplicates),
                static_cast<unsigned long long>(metrics.state_tests_saved));
  std::printf("batches %llu (cpu %llu, gpu %llu), sizes:", static_cast<unsigned long long>(metrics.batches),
              static_cast<unsigned long long>(metrics.cpu_batches), static_cast<unsigned long long>(metrics.gpu_batches));
  for (const auto& [bucket, n] : metrics.batch_size_histogram)
    std::printf(" <=%zu:%llu", bucket, static_cast<unsigned long long>(n));
  std::printf("\nseconds: load %.2f, graph %.2f (execute %.2f, gather %.3f, finish %.3f)\n", load_seconds,
              metrics.seconds_total, metrics.seconds_execute, metrics.seconds_gather, metrics.seconds_finish);
  if (o.timing) {
    // tokpidjin's -T: where the evaluation time went, by primitive.
    const auto rows = cpu::primitive_times_by_cost();
    std::printf("%-14s %12s %10s\n", "primitive", "evaluations", "seconds");
    for (std::size_t r = 0; r < rows.size() && r < 20; ++r)
      std::printf("%-14s %12lld %10.3f\n", rows[r].first.c_str(), static_cast<long long>(rows[r].second.evaluations),
                  static_cast<double>(rows[r].second.ns) * 1e-9);
    // The CUDA issue's coverage figure: the share of primitive time spent in ops that have a device body.
    double all = 0, device = 0;
    std::size_t device_ops = 0;
    for (const auto& [name, t] : rows) {
      all += static_cast<double>(t.ns);
      if (t.id >= 0 && (cpu::primitives()[static_cast<std::size_t>(t.id)].device ||
                        cpu::primitives()[static_cast<std::size_t>(t.id)].device_select))
        device += static_cast<double>(t.ns), ++device_ops;
    }
    std::printf("primitives with a device body (gpu/ops/grid_ops.hpp): %zu of the %zu primitives evaluated, %.1f%% of their time\n", device_ops,
                rows.size(), all > 0 ? 100.0 * device / all : 0.0);
    // The costliest candidates in deterministic work units (also in metrics.json).
    std::printf("%-24s %12s %14s %8s %8s\n", "program", "evaluations", "cost units", "budget", "errors");
    for (std::uint32_t p : graph::costliest_programs(metrics.program_costs, 10)) {
      const graph::ProgramCost& c = metrics.program_costs[p];
      std::printf("%-24s %12llu %14lld %8llu %8llu\n", dag.programs()[p].name.c_str(),
                  static_cast<unsigned long long>(c.evaluations), static_cast<long long>(c.cost),
                  static_cast<unsigned long long>(c.budget_stops), static_cast<unsigned long long>(c.errors));
    }
  }
  if (metrics.cache) print_cache_line(*metrics.cache);
  std::printf("passing pairs %zu  result lines %zu  solver files %zu\n", s.passing_pairs, s.result_lines, s.solver_files);
  std::printf("solver_dir: %zu added, %zu evicted over %zu tasks (at most %zu a task)\n", s.library_added,
              s.library_evicted, s.library_tasks, oo.max_solvers_per_task);
  if (s.scored)
    std::printf("solved %zu/%zu tasks, %zu/%zu test outputs (score %.4f)\n", s.solved_tasks, s.tasks,
                s.correct_outputs, s.test_outputs, s.test_outputs ? double(s.correct_outputs) / s.test_outputs : 0.0);
  if (s.library_failed)
    std::printf("solver_dir: %zu tasks could not be merged (see the errors above)\n", s.library_failed);
  std::printf("outputs in %s\n", o.out.c_str());
  if (metrics.stopped) {
    const std::size_t done = writer.completed().size();
    std::printf("interrupted: %zu of %zu tasks done; the same command with --resume runs the rest\n", done,
                loaded.tasks.size());
    return kExitInterrupted;
  }
  return rejected || s.library_failed ? kExitFailure : kExitOk;
}

const Registrar run_registrar("run", 40, [](CLI::App& app, const GlobalOptions&) {
  auto o = std::make_shared<RunOptions>();
  auto* sub = app.add_subcommand("run", "Run candidate programs over tasks: validate, inline, write a submission");
  sub->add_option("--tasks", o->tasks, "task folder, task file or Kaggle *_challenges.json")->required();
  sub->add_option("--solutions", o->solutions, "Kaggle *_solutions.json with the test outputs");
  sub->add_option("--programs", o->programs, "solver file or folder (repeatable)")->required();
  sub->add_flag("--own", o->own, "run only solve_<id> on task <id> (every sample)");
  sub->add_flag("--exhaustive", o->exhaustive, "run every sample instead of stopping a pair at its first miss");
  sub->add_flag("--resume", o->resume, "continue an interrupted run in --out");
  sub->add_flag("--demo-score", o->demo_score,
                "score a pair by its matched demos only (tokpidjin adds 1000 per matched test output)");
  sub->add_flag("--dedupe-states", o->dedupe_states,
                "per task, report only the shortest of the programs whose outputs agree on every demo they ran on "
                "(only it runs on the test inputs)");
  sub->add_flag("--fresh", o->fresh, "start solver_dir/ and solver_md5/ in --out empty instead of merging into them");
  sub->add_option("--threads", o->threads, "worker threads (0 = all cores; default from the config)");
  sub->add_option("--backend", o->backend,
                  "auto (every CUDA device that passes its self-test, behind the router, else the CPU), cpu, gpu (the "
                  "same, saying when no device is used), or gpu-host (the GPU executor's whole path on the CPU, "
                  "for every batch with device work)")
      ->check(CLI::IsMember({"auto", "cpu", "gpu", "gpu-host"}));
  sub->add_option("--out", o->out, "output folder")->capture_default_str();
  sub->add_option("--library", o->library,
                  "folder of the solver_dir/ and solver_md5/ to merge into (default: --out); runs may share one");
  sub->add_option("--count", o->count, "run N tasks: the first N, or a random sample of |N| when negative");
  sub->add_option("--seed", o->seed, "seed of the random sample of --count -N")->capture_default_str();
  sub->add_option("--shard", o->shard, "run the K-th of N task shards (K counts from 0), for `megabatch merge`")
      ->check([o](const std::string& v) -> std::string {
        const auto slash = v.find('/');
        try {
          if (slash == std::string::npos) throw std::invalid_argument(v);
          std::size_t used_k = 0, used_n = 0;
          const unsigned long k = std::stoul(v.substr(0, slash), &used_k), n = std::stoul(v.substr(slash + 1), &used_n);
          if (used_k != slash || used_n != v.size() - slash - 1 || n == 0 || k >= n) throw std::invalid_argument(v);
          o->shard_index = k;
          o->shard_count = n;
          return {};
        } catch (const std::exception&) {
          return "expected K/N with 0 <= K < N, got '" + v + "'";
        }
      });
  sub->add_flag("--timing", o->timing, "print the time by primitive and the costliest programs");
  sub->add_option("--dialect", o->dialect, "arc-dsl or tokpidjin for every program file (default: detected per file)")
      ->check(CLI::IsMember({"arc-dsl", "tokpidjin"}));
  add_config_options(*sub, o->config);
  return std::function<int()>([o] { return run_command(*o); });
});

}  // namespace
}  // namespace megabatch::app
