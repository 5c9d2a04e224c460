// The shared --config/--set options: checked while CLI11 parses, applied once the command runs.
#include "app/config_options.hpp"

#include <spdlog/spdlog.h>

namespace megabatch::app {

void add_config_options(CLI::App& cmd, ConfigOptions& options) {
  cmd.add_option("--config", options.file, "TOML file of settings (see configs/*.toml)")->check(CLI::ExistingFile);
  cmd.add_option("--set", options.overrides, "Override one setting, e.g. --set batch.max_batch=1024 (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false)
      ->check(
          [](const std::string& assignment) -> std::string {
            // A scratch Config: the key and the value's type are checked here, the real merge happens later.
            Config scratch;
            try {
              apply_override(scratch, assignment);
            } catch (const ConfigError& e) {
              return e.what();
            }
            return {};
          },
          "");
}

Config effective_config(const ConfigOptions& options) {
  Config config;
  if (!options.file.empty()) merge_config_file(config, options.file);
  for (const auto& assignment : options.overrides) apply_override(config, assignment);
  spdlog::info("config{}{}: {}", options.file.empty() ? "" : " from " + options.file,
               options.overrides.empty() ? "" : " with " + std::to_string(options.overrides.size()) + " override(s)",
               describe(config));
  return config;
}

}  // namespace megabatch::app
