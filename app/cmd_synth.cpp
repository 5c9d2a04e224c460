// `megabatch synth`: synthetic ARC tasks made by running library programs on random input grids, written as
// DIR/<id>.json plus DIR/manifest.json (see cpu/synth.hpp for the rules).
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>

#include "app/commands.hpp"
#include "cpu/dsl/vocabulary.hpp"
#include "cpu/synth.hpp"
#include "engine/program/parse.hpp"

namespace megabatch::app {
namespace {

struct SynthCommandOptions {
  std::size_t tasks = 0;
  std::uint64_t seed = 0;
  std::string out;
  std::string programs;
  bool unambiguous = false;
  std::size_t withhold = 0;
  int threads = 0;
};

int synth_command(const SynthCommandOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, std::max(1, threads));

  // The library beside the current directory unless told otherwise; running elsewhere must say so plainly.
  const std::filesystem::path programs = o.programs.empty() ? "configs/programs" : o.programs;
  if (!std::filesystem::exists(programs))
    throw std::runtime_error(programs.string() + ": no such program file or folder" +
                             (o.programs.empty() ? " (the default library; run from the repository root or pass "
                                                   "--programs FILE|DIR)"
                                                 : ""));
  bool rejected = false;
  cpu::DslVocabulary vocabulary;
  program::ParseResult parsed = program::parse_path(programs, vocabulary);
  for (const auto& e : parsed.errors) {
    spdlog::error("{}", e.to_string());
    rejected = true;
  }
  program::Dag dag;
  for (const auto& p : parsed.programs) {
    try {
      dag.add(p);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      rejected = true;
    }
  }
  if (dag.programs().empty()) throw std::runtime_error(programs.string() + ": no usable program");
  spdlog::info("programs: {} loaded from {}", dag.programs().size(), programs.string());

  cpu::CompiledDag compiled(dag);
  cpu::SynthOptions options;
  options.seed = o.seed;
  options.tasks = o.tasks;
  options.unambiguous = o.unambiguous;
  options.withhold = o.withhold;
  const cpu::SynthReport report = cpu::synthesize(compiled, options);
  for (const auto& g : report.give_ups)
    spdlog::warn("task {}: gave {} up after {} attempts", synth::task_id(o.seed, g.index),
                 dag.programs()[g.program].name, options.attempts_per_program);
  cpu::write_synth(o.out, dag, options, report);

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("synth: %s; %.2fs; written to %s\n", cpu::synth_summary(options, report).c_str(), secs, o.out.c_str());
  return rejected || !report.unfilled.empty() ? kExitFailure : kExitOk;
}

const Registrar synth_registrar("synth", 50, [](CLI::App& app, const GlobalOptions&) {
  auto o = std::make_shared<SynthCommandOptions>();
  auto* sub = app.add_subcommand("synth", "Synthesise ARC tasks by running library programs on random input grids");
  sub->add_option("--tasks", o->tasks, "number of tasks to make")->required()->check(CLI::PositiveNumber);
  sub->add_option("--seed", o->seed, "random seed; the same seed gives byte-identical files")->capture_default_str();
  sub->add_option("--out", o->out, "output folder (task files and manifest.json)")->required();
  sub->add_option("--programs", o->programs, "solver file or folder (default: configs/programs)");
  sub->add_flag("--unambiguous", o->unambiguous,
                "reject a task when another program fits every train pair but differs on a test output");
  sub->add_option("--withhold", o->withhold,
                  "K: list in manifest.json generating programs that made about 1/K of the tasks, for "
                  "`search --withheld` to leave out of its seeds")
      ->check(CLI::PositiveNumber);
  sub->add_option("--threads", o->threads, "worker threads (0 = all cores)")->capture_default_str();
  return std::function<int()>([o] { return synth_command(*o); });
});

}  // namespace
}  // namespace megabatch::app
