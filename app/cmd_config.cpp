// `megabatch config [--config FILE] [--set key=value]...`: prints the effective config as TOML, so a config file
// can be checked, and a tuned one written, without starting a run.
#include "app/commands.hpp"
#include "app/config_options.hpp"

#include <iostream>
#include <memory>

namespace megabatch::app {
namespace {

const Registrar registrar{"config", 90, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
                            auto options = std::make_shared<ConfigOptions>();
                            auto* cmd = app.add_subcommand(
                                "config", "Print the effective config (defaults < --config file < --set) as TOML");
                            add_config_options(*cmd, *options);
                            return [options] {
                              std::cout << to_toml(effective_config(*options));
                              return kExitOk;
                            };
                          }};

}  // namespace
}  // namespace megabatch::app
