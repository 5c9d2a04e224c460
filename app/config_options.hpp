// `--config FILE` and repeatable `--set key=value` for any subcommand, and the effective Config they give.
#pragma once
#include "engine/config.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace megabatch::app {

struct ConfigOptions {
  std::string file;                    // empty: defaults only
  std::vector<std::string> overrides;  // "key=value", applied in command-line order
};

// Adds both options to `cmd`; a malformed --set or a missing file is a usage error at parse time.
// `options` must outlive parsing: commands keep it in the shared_ptr their runner captures.
void add_config_options(CLI::App& cmd, ConfigOptions& options);

// Defaults < file < --set; logs the result once at info level. Throws ConfigError naming the file and key.
Config effective_config(const ConfigOptions& options);

}  // namespace megabatch::app
