// `megabatch tasks PATH [--solutions FILE]`: loads and checks ARC tasks, prints counts and every rejection.
#include "app/commands.hpp"
#include "engine/task_io.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace megabatch::app {
namespace {

struct TasksOptions {
  std::string path;
  std::string solutions;
};

// Grids counted by their larger side in buckets of 5 (1-5 .. 26-30): enough to see a split's size profile.
constexpr int kBucketWidth = 5;
constexpr int kBuckets = kMaxArcSide / kBucketWidth;

void print_report(const LoadResult& result, std::ostream& out) {
  std::size_t train = 0, test = 0, test_outputs = 0;
  std::array<std::size_t, kBuckets> sizes{};
  auto count = [&](const Grid& g) { ++sizes[static_cast<std::size_t>((std::max(g.h, g.w) - 1) / kBucketWidth)]; };
  for (const auto& task : result.tasks) {
    train += task.train.size();
    test += task.test.size();
    for (const auto& p : task.train) count(p.input), count(p.output);
    for (const auto& p : task.test) {
      count(p.input);
      if (p.output) ++test_outputs, count(*p.output);
    }
  }
  out << "tasks: " << result.tasks.size() << " loaded, " << result.rejections.size() << " rejected (" << result.files
      << " files read)\n";
  out << "pairs: " << train << " train, " << test << " test (" << test_outputs << " with outputs)\n";
  out << "grids by larger side:";
  for (int b = 0; b < kBuckets; ++b)
    out << ' ' << b * kBucketWidth + 1 << '-' << (b + 1) * kBucketWidth << ": " << sizes[static_cast<std::size_t>(b)];
  out << '\n';
  for (const auto& r : result.rejections) out << "rejected: " << r.line() << '\n';
}

int run_tasks(const TasksOptions& options) {
  auto start = std::chrono::steady_clock::now();
  LoadResult result;
  try {
    std::optional<std::filesystem::path> solutions;
    if (!options.solutions.empty()) solutions = options.solutions;
    result = load_tasks(options.path, solutions);
  } catch (const std::invalid_argument& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("read {} in {:.0f} ms", options.path, ms);
  print_report(result, std::cout);
  return result.ok() ? kExitOk : kExitFailure;
}

const Registrar registrar{
    "tasks", 10, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
      auto options = std::make_shared<TasksOptions>();
      auto* cmd = app.add_subcommand("tasks", "Load and check ARC tasks; exit 1 when any file or task is rejected");
      cmd->add_option("path", options->path,
                      "A folder of <id>.json task files, one task file, or a Kaggle *_challenges.json")
          ->required()
          ->check(CLI::ExistingPath);
      cmd->add_option("--solutions", options->solutions,
                      "Kaggle *_solutions.json for a challenges file (default: the X_solutions.json beside it)")
          ->check(CLI::ExistingFile);
      return [options] { return run_tasks(*options); };
    }};

}  // namespace
}  // namespace megabatch::app
