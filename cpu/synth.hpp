// Task synthesis (`megabatch synth`): runs library programs on random input grids (engine/synth.hpp) through the
// CPU executor and keeps the tasks that pass the rejection rules. Each task is built from its own generator,
// seeded from (seed, index), so the tasks may be made in parallel and still come out identical.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpu/executor.hpp"
#include "engine/synth.hpp"
#include "engine/task.hpp"

namespace megabatch::cpu {

// Why a candidate task was refused, in the order the rules are checked.
enum class SynthReject : std::uint8_t {
  DuplicateInput,  // two inputs of the task are equal
  Error,           // the program raised on some input
  Budget,          // the program ran out of budget on some input
  NotGrid,         // the output is not a grid, or an empty one
  Oversize,        // the output has more than 30 rows or columns
  BadColour,       // the output holds a colour outside 0-9
  Identity,        // the output equals the input on some pair
  ConstantOutput,  // every pair has the same output (the test output is visible in the train pairs)
  Ambiguous,       // --unambiguous: another program fits every train pair but differs on a test output
};
inline constexpr std::size_t kSynthRejectKinds = 9;
const char* to_string(SynthReject r);  // "duplicate_input", "error", ...

using RejectCounts = std::array<std::size_t, kSynthRejectKinds>;

// Whether two inputs are equal.
bool has_duplicate_inputs(std::span<const Grid> inputs);
// What is wrong with `outcome` as the output for `input`, if anything (Error ... Identity).
std::optional<SynthReject> check_output(const Grid& input, const Outcome& outcome);
// The first rule a candidate breaks: duplicate inputs, then each pair's output in order, then constant outputs.
// `outcomes[k]` is the generating program's outcome on `inputs[k]`.
std::optional<SynthReject> check_candidate(std::span<const Grid> inputs, std::span<const Outcome> outcomes);

struct SynthOptions {
  std::uint64_t seed = 0;
  std::size_t tasks = 100;
  bool unambiguous = false;
  int attempts_per_program = 20;  // fresh random inputs before a task gives its program up
  int programs_per_task = 8;      // programs a task tries before its slot stays empty
  // No wall-clock limit: a deadline would make the accepted tasks depend on the machine's load. Cells and calls
  // bound every evaluation deterministically.
  EvalLimits limits{4'000'000, 1'000'000, 0};
  // Every input of every task from this style (tests); by default each attempt draws a random style.
  std::optional<synth::GridStyle> style;
  // 0: none. k > 0: withhold generating programs (a seeded draw) until about 1/k of the tasks are theirs;
  // the manifest lists them, so a search seeded without them shows what it finds on its own.
  std::size_t withhold = 0;
};

// One task slot that gave its program up and moved on (or, when it was the last one tried, stayed empty).
struct SynthGiveUp {
  std::size_t index = 0;  // task index
  std::uint32_t program = 0;
  RejectCounts rejected{};
};

struct SynthProgramStats {
  std::size_t tasks = 0, attempts = 0, given_up = 0;
  RejectCounts rejected{};
};

struct SynthTask {
  std::size_t index = 0;     // task index; its id is synth::task_id(seed, index)
  std::uint32_t program = 0;  // DAG program index of the generating program
  Task task;
};

struct SynthReport {
  std::vector<SynthTask> tasks;             // ascending index; an index whose programs all failed is missing
  std::vector<std::size_t> unfilled;        // those missing indices
  std::vector<std::uint32_t> generators;    // programs eligible to generate, in DAG order
  std::vector<std::uint32_t> non_generators;  // programs that read S (the demo pairs) and so cannot
  std::vector<SynthProgramStats> per_program;  // by DAG program index
  std::vector<SynthGiveUp> give_ups;        // ascending index
  RejectCounts rejected{};
  std::size_t attempts = 0;
};

// Synthesises options.tasks tasks from the programs of `dag`. Task k goes to the (k mod n)-th program of a
// seeded shuffle of the n generators, so programs are used as evenly as possible; when that program fails
// attempts_per_program times the task moves on to the next program in the shuffle. Runs tasks in parallel
// (TBB); the result depends only on `dag` and `options`. Throws std::invalid_argument when the DAG has no
// program that can generate.
SynthReport synthesize(const CompiledDag& dag, const SynthOptions& options);

// The programs withheld under options.withhold, in DAG order: generators taken in a seeded order until the
// tasks they made reach ceil(tasks / withhold). Empty when withhold is 0.
std::vector<std::uint32_t> withheld_programs(const SynthOptions& options, const SynthReport& report);

// The manifest: seed, counts, rejection statistics by reason, per task id its program and file, per program
// its statistics, the give-ups, and (with options.withhold) "withheld": its programs and their tasks.
nlohmann::ordered_json synth_manifest(const program::Dag& dag, const SynthOptions& options, const SynthReport& report);

// Writes DIR/<id>.json per task and DIR/manifest.json, creating DIR. Task files listed by a manifest already in
// DIR (an earlier synth) are removed first so the folder holds exactly this run's tasks; nothing else is
// touched. Throws std::runtime_error naming the file that cannot be written.
void write_synth(const std::filesystem::path& dir, const program::Dag& dag, const SynthOptions& options,
                 const SynthReport& report);

// "400 tasks from 120 programs (seed 1): 523 attempts, 123 rejected (identity 80, error 43), 0 given up".
std::string synth_summary(const SynthOptions& options, const SynthReport& report);

}  // namespace megabatch::cpu
