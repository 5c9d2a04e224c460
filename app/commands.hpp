// Subcommand registry: each cmd_*.cpp adds itself with a static Registrar, so adding a command
// never touches main.cpp. Sources are compiled into the executable (not a library) so the
// registrars are never dropped by the linker.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace megabatch::app {

// Options every subcommand sees (parsed by main before dispatch).
struct GlobalOptions {
  std::string log_level = "info";
};

// A command adds its subcommand to `app` and returns the function to run once parsing succeeded.
// That function returns the process exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& app, const GlobalOptions& global)>;

struct CommandEntry {
  std::string name;
  int order;  // position in --help
  CommandSetup setup;
};

std::vector<CommandEntry>& command_registry();

struct Registrar {
  Registrar(std::string name, int order, CommandSetup setup) {
    command_registry().push_back({std::move(name), order, std::move(setup)});
  }
};

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // ran, but something was rejected or failed
inline constexpr int kExitUsage = 2;    // bad command line or malformed input expression
inline constexpr int kExitBusy = 3;     // the output folder is in use by another run (nothing was done)
inline constexpr int kExitInterrupted = 130;  // Ctrl-C: stopped after the work under way, outputs written

}  // namespace megabatch::app
