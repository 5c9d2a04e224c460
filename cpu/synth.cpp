#include "cpu/synth.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "engine/task_io.hpp"

namespace megabatch::cpu {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

bool reads_demos(const program::DagProgram& p) {
  return std::find(p.params.begin(), p.params.end(), "S") != p.params.end();
}

// What one task slot did with one program.
struct Tried {
  std::uint32_t program = 0;
  std::size_t attempts = 0;
  RejectCounts rejected{};
  bool accepted = false;
};

struct Slot {
  std::optional<SynthTask> task;
  std::vector<Tried> tried;
};

// The run-time view of a finished task: S holds the demo pairs, exactly as `megabatch run` binds it.
std::vector<Sample> run_samples(const Task& task) {
  std::vector<Value> demos;
  for (const auto& p : task.train) demos.push_back(make_tuple({make_grid(p.input), make_grid(p.output)}));
  const Value S = make_tuple(std::move(demos)), C = empty_tuple();
  std::vector<Sample> samples;
  for (const auto& p : task.train) samples.push_back({make_grid(p.input), S, C});
  for (const auto& p : task.test) samples.push_back({make_grid(p.input), S, C});
  return samples;
}

bool is_grid(const Outcome& o) {
  return o.status == EvalStatus::Ok && o.value.kind() == Kind::Grid && !o.value.grid().empty();
}

// Whether a program other than the generator fits every train pair and predicts a different test output (an
// error or non-grid on a test input predicts nothing, so it cannot make the engine miss).
bool is_ambiguous(Evaluator& ev, std::span<const std::uint32_t> programs, const Task& task, const EvalLimits& limits) {
  const std::vector<Sample> samples = run_samples(task);
  std::vector<std::uint32_t> fitting(programs.begin(), programs.end()), next;
  std::vector<Outcome> out;
  for (std::size_t k = 0; k < task.train.size() && !fitting.empty(); ++k) {
    ev.run(fitting, samples[k], limits, out);
    next.clear();
    for (std::size_t c = 0; c < fitting.size(); ++c)
      if (is_grid(out[c]) && out[c].value.grid() == task.train[k].output) next.push_back(fitting[c]);
    fitting.swap(next);
  }
  for (std::size_t k = 0; k < task.test.size() && !fitting.empty(); ++k) {
    ev.run(fitting, samples[task.train.size() + k], limits, out);
    for (const Outcome& o : out)
      if (is_grid(o) && o.value.grid() != *task.test[k].output) return true;
  }
  return false;
}

struct Context {
  const CompiledDag& dag;
  const SynthOptions& options;
  std::vector<std::uint32_t> order;  // the generators in their seeded shuffle
  std::vector<std::uint32_t> all;    // every program, for the ambiguity check
};

void make_task(const Context& ctx, std::size_t index, Evaluator& ev, Slot& slot) {
  const SynthOptions& o = ctx.options;
  synth::Rng rng(synth::mix_seed(o.seed, index));
  const std::size_t n = ctx.order.size();
  const std::size_t programs = std::min(n, static_cast<std::size_t>(std::max(1, o.programs_per_task)));
  const Value none = empty_tuple();
  std::vector<Grid> inputs;
  std::vector<Outcome> one;
  std::vector<Outcome> outcomes;
  for (std::size_t k = 0; k < programs; ++k) {
    Tried tried;
    tried.program = ctx.order[(index + k) % n];
    const std::uint32_t program[1] = {tried.program};
    for (int a = 0; a < o.attempts_per_program; ++a) {
      ++tried.attempts;
      const synth::GridStyle style = o.style ? *o.style : synth::random_style(rng);
      const int train = rng.between(3, 4), test = rng.between(1, 2);
      inputs.clear();
      for (int g = 0; g < train + test; ++g) inputs.push_back(synth::random_grid(style, rng));

      std::optional<SynthReject> why;
      if (has_duplicate_inputs(inputs)) why = SynthReject::DuplicateInput;
      outcomes.clear();
      for (std::size_t g = 0; g < inputs.size() && !why; ++g) {
        // Generators do not read S, so the demo pairs (unknown until every output is made) are left empty.
        ev.run(program, Sample{make_grid(inputs[g]), none, none}, o.limits, one);
        why = check_output(inputs[g], one[0]);
        outcomes.push_back(std::move(one[0]));
      }
      if (!why) why = check_candidate(inputs, outcomes);
      if (!why) {
        SynthTask made;
        made.index = index;
        made.program = tried.program;
        made.task.id = synth::task_id(o.seed, index);
        for (int g = 0; g < train + test; ++g) {
          Grid out = outcomes[g].value.grid();
          if (g < train) made.task.train.push_back({std::move(inputs[g]), std::move(out)});
          else made.task.test.push_back({std::move(inputs[g]), std::move(out)});
        }
        if (o.unambiguous && is_ambiguous(ev, ctx.all, made.task, o.limits)) {
          why = SynthReject::Ambiguous;
        } else {
          tried.accepted = true;
          slot.tried.push_back(tried);
          slot.task = std::move(made);
          return;
        }
      }
      ++tried.rejected[static_cast<std::size_t>(*why)];
    }
    slot.tried.push_back(tried);
  }
}

ordered_json reject_counts_json(const RejectCounts& counts, bool all) {
  ordered_json j = ordered_json::object();
  for (std::size_t r = 0; r < kSynthRejectKinds; ++r)
    if (all || counts[r]) j[to_string(static_cast<SynthReject>(r))] = counts[r];
  return j;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(file.string() + ": cannot write");
}

bool is_task_id(const std::string& s) {
  return s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

const char* to_string(SynthReject r) {
  switch (r) {
    case SynthReject::DuplicateInput: return "duplicate_input";
    case SynthReject::Error: return "error";
    case SynthReject::Budget: return "budget";
    case SynthReject::NotGrid: return "not_grid";
    case SynthReject::Oversize: return "oversize";
    case SynthReject::BadColour: return "bad_colour";
    case SynthReject::Identity: return "identity";
    case SynthReject::ConstantOutput: return "constant_output";
    case SynthReject::Ambiguous: return "ambiguous";
  }
  return "?";
}

bool has_duplicate_inputs(std::span<const Grid> inputs) {
  for (std::size_t a = 0; a < inputs.size(); ++a)
    for (std::size_t b = a + 1; b < inputs.size(); ++b)
      if (inputs[a] == inputs[b]) return true;
  return false;
}

std::optional<SynthReject> check_output(const Grid& input, const Outcome& outcome) {
  if (outcome.status == EvalStatus::Error) return SynthReject::Error;
  if (outcome.status == EvalStatus::Budget) return SynthReject::Budget;
  if (outcome.value.kind() != Kind::Grid) return SynthReject::NotGrid;
  const Grid& g = outcome.value.grid();
  if (g.empty()) return SynthReject::NotGrid;
  if (g.h > kMaxArcSide || g.w > kMaxArcSide) return SynthReject::Oversize;
  for (Color c : g.cells)
    if (c < 0 || c > kMaxArcColor) return SynthReject::BadColour;
  if (g == input) return SynthReject::Identity;
  return std::nullopt;
}

std::optional<SynthReject> check_candidate(std::span<const Grid> inputs, std::span<const Outcome> outcomes) {
  if (outcomes.size() != inputs.size())
    throw std::invalid_argument("check_candidate: " + std::to_string(outcomes.size()) + " outcomes for " +
                                std::to_string(inputs.size()) + " inputs");
  if (has_duplicate_inputs(inputs)) return SynthReject::DuplicateInput;
  for (std::size_t k = 0; k < inputs.size(); ++k)
    if (auto why = check_output(inputs[k], outcomes[k])) return why;
  bool constant = true;
  for (std::size_t k = 1; k < outcomes.size() && constant; ++k)
    constant = outcomes[k].value.grid() == outcomes[0].value.grid();
  if (constant && outcomes.size() > 1) return SynthReject::ConstantOutput;
  return std::nullopt;
}

SynthReport synthesize(const CompiledDag& dag, const SynthOptions& options) {
  const auto& programs = dag.dag().programs();
  SynthReport report;
  report.per_program.resize(programs.size());
  Context ctx{dag, options, {}, {}};
  for (std::uint32_t p = 0; p < programs.size(); ++p) {
    ctx.all.push_back(p);
    // A program reading the demo pairs cannot make them: its outputs would depend on themselves.
    (reads_demos(programs[p]) ? report.non_generators : report.generators).push_back(p);
  }
  if (report.generators.empty())
    throw std::invalid_argument(programs.empty() ? "synth: no programs loaded"
                                                 : "synth: no program takes only I; every one reads S");
  if (options.attempts_per_program < 1) throw std::invalid_argument("synth: attempts_per_program must be >= 1");
  ctx.order = report.generators;
  // Stream ~0 is never a task index in practice (tasks are numbered from 0), so the shuffle has its own stream.
  synth::Rng order_rng(synth::mix_seed(options.seed, std::numeric_limits<std::uint64_t>::max()));
  order_rng.shuffle(ctx.order);

  std::vector<Slot> slots(options.tasks);
  tbb::enumerable_thread_specific<Evaluator> evaluators([&] { return Evaluator(dag); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, options.tasks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    Evaluator& ev = evaluators.local();
    for (std::size_t k = r.begin(); k != r.end(); ++k) make_task(ctx, k, ev, slots[k]);
  });

  // Merged in index order, so the report never depends on which thread made which task.
  for (std::size_t index = 0; index < slots.size(); ++index) {
    Slot& slot = slots[index];
    for (const Tried& t : slot.tried) {
      SynthProgramStats& s = report.per_program[t.program];
      s.attempts += t.attempts;
      report.attempts += t.attempts;
      for (std::size_t r = 0; r < kSynthRejectKinds; ++r) {
        s.rejected[r] += t.rejected[r];
        report.rejected[r] += t.rejected[r];
      }
      if (t.accepted) {
        ++s.tasks;
      } else {
        ++s.given_up;
        report.give_ups.push_back({index, t.program, t.rejected});
      }
    }
    if (slot.task) report.tasks.push_back(std::move(*slot.task));
    else report.unfilled.push_back(index);
  }
  return report;
}

std::vector<std::uint32_t> withheld_programs(const SynthOptions& options, const SynthReport& report) {
  if (options.withhold == 0 || report.tasks.empty()) return {};
  std::vector<std::uint32_t> order = report.generators;
  synth::Rng rng(synth::mix_seed(options.seed, 0x77697468686f6c64ULL));  // its own stream: "withhold"
  rng.shuffle(order);
  const std::size_t want = (report.tasks.size() + options.withhold - 1) / options.withhold;
  std::vector<std::uint32_t> out;
  std::size_t covered = 0;
  for (std::uint32_t p : order) {
    if (covered >= want) break;
    if (report.per_program[p].tasks == 0) continue;
    covered += report.per_program[p].tasks;
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

ordered_json synth_manifest(const program::Dag& dag, const SynthOptions& options, const SynthReport& report) {
  const auto& programs = dag.programs();
  std::size_t rejected = 0, used = 0;
  for (std::size_t c : report.rejected) rejected += c;
  for (const auto& s : report.per_program) used += s.tasks > 0;

  ordered_json m = ordered_json::object();
  m["seed"] = options.seed;
  m["requested"] = options.tasks;
  m["generated"] = report.tasks.size();
  m["unambiguous"] = options.unambiguous;
  m["programs"] = programs.size();
  m["generators"] = report.generators.size();
  m["programs_used"] = used;
  m["attempts"] = report.attempts;
  m["rejected"] = rejected;
  m["rejections"] = reject_counts_json(report.rejected, true);
  m["give_ups"] = report.give_ups.size();

  ordered_json tasks = ordered_json::object();
  for (const SynthTask& t : report.tasks) {
    const auto& p = programs[t.program];
    tasks[t.task.id] = {{"program", p.name}, {"file", p.file}, {"train", t.task.train.size()},
                        {"test", t.task.test.size()}};
  }
  m["tasks"] = std::move(tasks);

  ordered_json unfilled = ordered_json::array();
  for (std::size_t index : report.unfilled) unfilled.push_back(synth::task_id(options.seed, index));
  m["unfilled"] = std::move(unfilled);

  ordered_json give_ups = ordered_json::array();
  for (const SynthGiveUp& g : report.give_ups)
    give_ups.push_back({{"task", synth::task_id(options.seed, g.index)},
                        {"program", programs[g.program].name},
                        {"file", programs[g.program].file},
                        {"rejections", reject_counts_json(g.rejected, false)}});
  m["give_up_list"] = std::move(give_ups);

  ordered_json skipped = ordered_json::array();
  for (std::uint32_t p : report.non_generators)
    skipped.push_back({{"program", programs[p].name}, {"file", programs[p].file}});
  m["non_generators"] = std::move(skipped);

  ordered_json by_program = ordered_json::array();
  for (std::uint32_t p : report.generators) {
    const SynthProgramStats& s = report.per_program[p];
    by_program.push_back({{"program", programs[p].name},
                          {"file", programs[p].file},
                          {"tasks", s.tasks},
                          {"attempts", s.attempts},
                          {"given_up", s.given_up},
                          {"rejections", reject_counts_json(s.rejected, false)}});
  }
  m["by_program"] = std::move(by_program);

  if (options.withhold > 0) {
    const auto withheld = withheld_programs(options, report);
    ordered_json names = ordered_json::array(), ids = ordered_json::array();
    for (std::uint32_t p : withheld) names.push_back(programs[p].name);
    for (const SynthTask& t : report.tasks)
      if (std::binary_search(withheld.begin(), withheld.end(), t.program)) ids.push_back(t.task.id);
    m["withheld"] = {{"share", "1/" + std::to_string(options.withhold)}, {"programs", std::move(names)},
                     {"tasks", std::move(ids)}};
  }
  return m;
}

void write_synth(const fs::path& dir, const program::Dag& dag, const SynthOptions& options, const SynthReport& report) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot create the folder: " + ec.message());
  const fs::path manifest = dir / "manifest.json";
  if (fs::is_regular_file(manifest)) {
    // Only files an earlier synth listed as its own tasks are removed; an unreadable manifest removes nothing.
    std::ifstream in(manifest, std::ios::binary);
    const nlohmann::json old = nlohmann::json::parse(in, nullptr, false);
    if (old.is_object() && old.contains("tasks") && old["tasks"].is_object())
      for (const auto& [id, entry] : old["tasks"].items())
        if (is_task_id(id)) fs::remove(dir / (id + ".json"), ec);
  }
  for (const SynthTask& t : report.tasks) write_task_file(dir / (t.task.id + ".json"), t.task);
  write_text(manifest, synth_manifest(dag, options, report).dump(2) + "\n");
}

std::string synth_summary(const SynthOptions& options, const SynthReport& report) {
  std::size_t rejected = 0;
  std::string reasons;
  for (std::size_t r = 0; r < kSynthRejectKinds; ++r) {
    rejected += report.rejected[r];
    if (!report.rejected[r]) continue;
    reasons += (reasons.empty() ? "" : ", ") + std::string(to_string(static_cast<SynthReject>(r))) + " " +
               std::to_string(report.rejected[r]);
  }
  std::string s = std::to_string(report.tasks.size()) + "/" + std::to_string(options.tasks) + " tasks from " +
                  std::to_string(report.generators.size()) + " programs (seed " + std::to_string(options.seed) +
                  (options.unambiguous ? ", unambiguous" : "") + "): " + std::to_string(report.attempts) +
                  " attempts, " + std::to_string(rejected) + " rejected";
  if (!reasons.empty()) s += " (" + reasons + ")";
  s += ", " + std::to_string(report.give_ups.size()) + " give-ups";
  if (!report.unfilled.empty()) s += ", " + std::to_string(report.unfilled.size()) + " unfilled";
  return s;
}

}  // namespace megabatch::cpu
