// Config: the run's tuning knobs (threads, batching, per-evaluation budgets, cache), as printable data.
// Precedence: the defaults below < a configs/*.toml file < `--set key=value` on the command line.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace megabatch {

// How the flow graph groups work (TOML table [batch]). Untuned first guesses until the graph exists to measure.
struct BatchConfig {
  int max_batch = 4096;      // samples per batch message (oneTBB wants ~100k cycles per node body)
  // Smaller batches stay on the CPU, where no launch or transfer is paid: a number of evaluations, or
  // "auto" (the run times its first batches on both and sets it: graph/routing.hpp).
  std::string min_gpu_batch = "auto";
  int max_wait_ms = 5;       // a partial batch is flushed after this long
  int inflight_batches = 4;  // batches in flight at once (bounds every queue)
  // Which demo a wave runs first: "given" (file order, as the Python reference) or "smallest_first"
  // (fewest input cells first: failing candidates are caught on the cheapest demo).
  std::string wave_order = "given";
  // "on": on a task's first wave, stop a program once its output provably cannot equal the demo
  // output (its pair fails either way and is never reported); "off": run every step.
  std::string prune = "on";
  friend bool operator==(const BatchConfig&, const BatchConfig&) = default;
};

// Limits on one evaluation of one program on one input (TOML table [budget]).
struct BudgetConfig {
  // The first two match engine/value.hpp's Budget defaults.
  std::int64_t max_primitive_calls = 1'000'000;  // calls made by closures count too
  std::int64_t max_cells = 4'000'000;            // cells/elements allocated
  int wall_ms = 1000;                            // the per-call limit the Python reference runs used
  friend bool operator==(const BudgetConfig&, const BudgetConfig&) = default;
};

struct Config {
  int threads = 0;  // worker threads; 0 = every hardware thread
  BatchConfig batch;
  BudgetConfig budget;
  std::int64_t max_inline_chars = 1'000'000;  // longer inlined solvers are refused (program::InlineOptions)
  // The result cache (graph/result_cache.hpp): "on" (LMDB in cache_dir), "off", or a shared Redis
  // server "redis://HOST:PORT/DB".
  std::string cache = "on";
  std::string cache_dir = ".cache/megabatch";
  std::int64_t cache_max_mb = 2048;  // the embedded cache's bound; its oldest entries go first
  friend bool operator==(const Config&, const Config&) = default;
};

// A bad config file or override; the message names the file (or "--set"), the key and the line.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// batch.min_gpu_batch as a number, or nullopt for "auto".
std::optional<std::int64_t> fixed_gpu_batch(const BatchConfig& batch);

// Every key a file or --set may name, dotted as in TOML ("batch.max_batch"), in describe() order.
std::vector<std::string_view> config_keys();

// Defaults overlaid with the file; unknown keys, wrong types and out-of-range values throw ConfigError.
Config load_config(const std::filesystem::path& file);
// Overlays `file` onto `config` (what load_config does to the defaults).
void merge_config_file(Config& config, const std::filesystem::path& file);
// Applies one "key=value" (e.g. "budget.wall_ms=500", "cache_dir=/tmp/c"); throws ConfigError.
void apply_override(Config& config, std::string_view assignment);
// One line for the start-up log: "threads=0 batch.max_batch=4096 ... cache_dir=.cache/megabatch".
std::string describe(const Config& config);
// The whole config as a TOML file that load_config reads back to the same Config.
std::string to_toml(const Config& config);

}  // namespace megabatch
