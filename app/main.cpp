// megabatch entry point: global options, logging set-up, then the registered subcommands.
#include "app/commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

namespace megabatch::app {
std::vector<CommandEntry>& command_registry() {
  static std::vector<CommandEntry> registry;
  return registry;
}
}  // namespace megabatch::app

int main(int argc, char** argv) {
  using namespace megabatch::app;
  CLI::App app{"megabatch: evaluate arc-dsl solver programs over ARC tasks in large cross-task batches"};
  app.set_version_flag("--version", std::string("megabatch ") + MEGABATCH_VERSION);
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();

  auto& registry = command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const CommandEntry& a, const CommandEntry& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  for (auto& entry : registry) {
    std::size_t before = app.get_subcommands({}).size();
    auto run = entry.setup(app, global);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) runners.emplace_back(subs.back(), std::move(run));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // --help and --version are successes; every other parse problem is a usage error.
    return code == 0 ? kExitOk : kExitUsage;
  }

  // Logs go to stderr so stdout stays clean for results.
  auto logger = spdlog::stderr_color_mt("megabatch");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(global.log_level));
  spdlog::set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");

  for (auto& [sub, run] : runners) {
    if (sub->parsed()) {
      int code = kExitFailure;
      try {
        code = run();
      } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
      }
      // Results go to stdout: a write that failed there (a full disk, a closed pipe) is a failure of
      // the command, not an exit 0 with the output lost.
      std::cout.flush();
      if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
        spdlog::error("stdout: write failed: {}", std::strerror(errno ? errno : EIO));
        return kExitFailure;
      }
      return code;
    }
  }
  return kExitUsage;
}
