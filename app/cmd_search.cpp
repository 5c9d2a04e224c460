// `megabatch search`: tokpidjin's generate-evaluate-keep loop inside the engine. Generation 0 runs
// the seeds; each later generation mutates parents drawn from what scored so far (engine/search/) and
// runs every new child on every task as one mega-batched `megabatch run` into ROOT/generations/gNNNN,
// merging what passes into ROOT's solver_dir. Selection reads demo matches only (--demo-score): a
// test output never decides what is kept or what breeds, unless --score-with-test asks for
// tokpidjin's rule. Everything a generation needs is in its folder (its candidates, its run), so a
// killed search resumes where it stopped and ends as an uninterrupted one would.
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/spawn.hpp"
#include "app/config_options.hpp"
#include "cpu/dsl/registry.hpp"
#include "cpu/dsl/vocabulary.hpp"
#include "engine/input_files.hpp"
#include "engine/program/parse.hpp"
#include "engine/program/source.hpp"
#include "engine/search/enumerate.hpp"
#include "engine/search/generation.hpp"
#include "engine/search/pool.hpp"
#include "graph/library_writer.hpp"
#include "graph/outputs.hpp"

namespace megabatch::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct SearchOptions {
  std::string tasks, solutions, out, dialect, time_budget, withheld, backend;
  long count = 0;
  bool timing = false, remove_unlinked = false;
  std::vector<std::string> seeds;
  long generations = 0;
  std::size_t children = 200;
  std::size_t pool_per_task = 32;
  int enumerate = 0;
  std::vector<std::string> enumerate_primitives, enumerate_integers;
  std::size_t enumerate_max = 100'000;
  std::uint64_t seed = 1;
  int threads = -1;
  bool resume = false, score_with_test = false;
  std::string states;  // state dedupe in every generation's run: on, off, or empty (a new search: on; a resumed one: as it was)
  ConfigOptions config;
};

std::atomic<bool> interrupted{false};

// "90s", "30m", "9h" or plain seconds.
double parse_duration(const std::string& text) {
  std::size_t used = 0;
  const double v = std::stod(text, &used);
  const std::string unit = text.substr(used);
  if (unit.empty() || unit == "s") return v;
  if (unit == "m") return v * 60;
  if (unit == "h") return v * 3600;
  throw std::invalid_argument(text);
}

// What the mutator may know of each dialect's names, from the primitive table.
std::map<Dialect, search::TypeInfo> type_infos() {
  std::map<Dialect, search::TypeInfo> out;
  for (Dialect d : {Dialect::ArcDsl, Dialect::Tokpidjin}) {
    search::TypeInfo t;
    for (int id : cpu::dialect_primitives(d)) {
      const cpu::PrimitiveInfo& p = cpu::primitives()[id];
      if (p.builtin) continue;
      search::TypeInfo::Signature s;
      for (const auto& param : p.params) s.params.push_back(param.hint);
      s.returns = p.returns;
      t.primitives[p.name] = std::move(s);
    }
    t.params["I"] = "Grid";
    const char* colours[] = {"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"};
    for (const char* c : colours) t.colours.push_back(c);
    if (d == Dialect::Tokpidjin) {
      for (int k = 0; k <= 9; ++k) t.ranks_first.push_back("F" + std::to_string(k));
      for (int k = 1; k <= 10; ++k) t.ranks_last.push_back("L" + std::to_string(k));
    }
    out[d] = std::move(t);
  }
  return out;
}

std::string generation_name(long g) {
  char name[32];
  std::snprintf(name, sizeof name, "g%04ld", g);
  return name;
}

// A generation's candidate files: one per dialect (a file holds one).
// (and generation 0's enumerated programs, which are not seeds: they stay parents only where they score).
constexpr const char* kEnumeratedFile = "candidates.enumerated.py";
std::vector<fs::path> candidate_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const char* d : {"arc-dsl", "tokpidjin"})
    if (fs::exists(dir / ("candidates." + std::string(d) + ".py"))) out.push_back(dir / ("candidates." + std::string(d) + ".py"));
  if (fs::exists(dir / kEnumeratedFile)) out.push_back(dir / kEnumeratedFile);
  return out;
}

void write_candidates(const fs::path& dir, const std::vector<program::Program>& programs) {
  fs::create_directories(dir);
  std::map<Dialect, std::string> text;
  for (const auto& p : programs) text[p.dialect] += program::to_source(p) + "\n";
  for (const auto& [d, t] : text) graph::write_file_atomic(dir / ("candidates." + std::string(dialect_name(d)) + ".py"), t);
}

std::vector<program::Program> read_programs(const std::vector<fs::path>& files) {
  auto parsed = program::parse_paths(files, cpu::dsl_vocabularies());
  for (const auto& e : parsed.errors) spdlog::error("{}", e.to_string());
  return std::move(parsed.programs);
}

// What a finished generation's results.jsonl says: each program's best score (over tasks), the tasks where a
// candidate matched every demo pair, and those where such a candidate matched every test output too.
struct GenerationOutcome {
  struct Scored {
    std::string task, program;
    std::int64_t score;
  };
  std::vector<Scored> scored;  // every pair with a score, in file order
  std::set<std::string> passing, solved;
};

GenerationOutcome read_outcome(const fs::path& dir) {
  GenerationOutcome out;
  std::ifstream in(dir / "results.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const json j = json::parse(line);
    const std::string task = j.at("task").get<std::string>();
    if (const auto score = j.at("score").get<std::int64_t>(); score > 0)
      out.scored.push_back({task, j.at("program").get<std::string>(), score});
    if (!j.at("pass").get<bool>()) continue;
    out.passing.insert(task);
    const json& tests = j.at("test");
    bool all = !tests.empty();
    for (const auto& t : tests) all = all && t == "match";
    if (all) out.solved.insert(task);
  }
  return out;
}

// synth --withhold's list (manifest.json "withheld"): programs left out of the seeds, and their tasks.
struct Withheld {
  std::set<std::string> programs, tasks;
};

Withheld read_withheld(const std::string& manifest) {
  const json m = json::parse(read_input_file(manifest, 1 << 26), nullptr, false);
  if (!m.is_object() || !m.contains("withheld") || !m["withheld"].is_object())
    throw std::runtime_error(manifest + ": no \"withheld\" list (made by `megabatch synth --withhold K`)");
  Withheld w;
  for (const auto& p : m["withheld"].at("programs")) w.programs.insert(p.get<std::string>());
  for (const auto& t : m["withheld"].at("tasks")) w.tasks.insert(t.get<std::string>());
  return w;
}

std::size_t count_in(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::size_t n = 0;
  for (const auto& x : a) n += b.count(x);
  return n;
}

// ROOT/solved.png: tasks with a passing candidate and tasks solved against the search's time, drawn by
// gnuplot where it is installed (Debian: gnuplot-nox); without it, says so and draws nothing.
void plot_progress(const fs::path& root, const json& generations, bool withheld) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    spdlog::info("search: no gnuplot on PATH: {} not drawn (Debian: gnuplot-nox)", (root / "solved.png").string());
    return;
  }
  const fs::path data = root / ".solved.dat";
  {
    std::ofstream d(data);
    for (const auto& g : generations)
      d << g.at("elapsed_seconds").get<double>() << ' ' << g.at("tasks_passing").get<long>() << ' '
        << g.at("tasks_solved").get<long>() << ' ' << (withheld ? g.at("withheld_solved").get<long>() : 0) << '\n';
  }
  const fs::path png = root / "solved.png", tmp = root / ".solved.png.tmp";
  std::string script = "set terminal png size 800,500\nset output '" + tmp.string() +
                       "'\nset title 'megabatch search'\nset xlabel 'seconds'\nset ylabel 'tasks'\n"
                       "set key left top\nset yrange [0:*]\nplot '" + data.string() +
                       "' using 1:2 with linespoints title 'with a passing candidate (demo pairs)', '' using 1:3 "
                       "with linespoints title 'solved (test outputs too)'";
  if (withheld) script += ", '' using 1:4 with linespoints title 'withheld tasks solved'";
  script += "\n";
  FILE* gp = ::popen("gnuplot 2>/dev/null", "w");
  if (!gp) return;
  std::fwrite(script.data(), 1, script.size(), gp);
  const int status = ::pclose(gp);
  std::error_code ec;
  if (status == 0 && fs::exists(tmp)) fs::rename(tmp, png, ec);
  else spdlog::warn("search: gnuplot failed: {} not drawn", png.string());
  fs::remove(data, ec);
  fs::remove(tmp, ec);
}

int run_generation(const SearchOptions& o, long generation, const fs::path& dir, const std::vector<fs::path>& files) {
  std::vector<std::string> argv = {"megabatch", "--log-level", "warn", "run", "--tasks", o.tasks, "--out", dir.string(),
                                   "--library", o.out, "--resume"};
  if (!o.solutions.empty()) argv.insert(argv.end(), {"--solutions", o.solutions});
  for (const auto& f : files) argv.insert(argv.end(), {"--programs", f.string()});
  if (!o.score_with_test) argv.push_back("--demo-score");
  // Generation 0 is the seeds (the user's library, reported whole as tokpidjin's run_batt.py would) and
  // the enumerated programs; states fold the children of the generations after it.
  if (o.states == "on" && generation > 0) argv.push_back("--dedupe-states");
  if (o.threads >= 0) argv.insert(argv.end(), {"--threads", std::to_string(o.threads)});
  if (!o.backend.empty()) argv.insert(argv.end(), {"--backend", o.backend});
  if (o.count != 0) argv.insert(argv.end(), {"--count", std::to_string(o.count)});
  if (o.timing) argv.push_back("--timing");
  if (!o.config.file.empty()) argv.insert(argv.end(), {"--config", o.config.file});
  // No result cache unless asked for (--set cache=on after this one wins): every child is new, so a
  // generation would store 800,000 entries that nothing reads, and a 2 GB store's eviction made each
  // generation of the embedded default 3x slower by the tenth.
  argv.insert(argv.end(), {"--set", "cache=off"});
  for (const auto& s : o.config.overrides) argv.insert(argv.end(), {"--set", s});
  // The run dies with the search, and its report goes to the generation's folder.
  fs::create_directories(dir);
  const pid_t pid = spawn_self(argv, dir / "report.txt");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

int search_command(SearchOptions o) {
  const auto t0 = std::chrono::steady_clock::now();
  const double budget = o.time_budget.empty() ? 0.0 : parse_duration(o.time_budget);
  if (o.seeds.empty() && o.enumerate == 0) {
    std::fprintf(stderr, "search: say where to start: --seeds FILE|DIR, or --enumerate D\n");
    return kExitUsage;
  }
  if (o.generations <= 0 && budget <= 0) {
    std::fprintf(stderr, "search: say how long: --generations N or --time-budget 30m\n");
    return kExitUsage;
  }
  const fs::path root = fs::absolute(o.out), state_file = root / "search.json";
  json state;
  if (fs::exists(state_file)) {
    if (!o.resume) {
      std::fprintf(stderr, "search: %s holds a search already: --resume to continue it, or choose another --out\n",
                   root.c_str());
      return kExitUsage;
    }
    state = json::parse(read_input_file(state_file, 1 << 20));
    if (state.at("seed").get<std::uint64_t>() != o.seed) {
      std::fprintf(stderr, "search: %s is a search with --seed %llu, not %llu\n", root.c_str(),
                   static_cast<unsigned long long>(state.at("seed").get<std::uint64_t>()),
                   static_cast<unsigned long long>(o.seed));
      return kExitUsage;
    }
    // A search without the key predates state dedupe: it ran with it off.
    const std::string was = state.value("states", "off");
    if (!o.states.empty() && was != o.states) {
      std::fprintf(stderr, "search: %s is a search with --states %s, not %s\n", root.c_str(), was.c_str(), o.states.c_str());
      return kExitUsage;
    }
    o.states = was;
  } else {
    if (o.states.empty()) o.states = "on";
    state = {{"seed", o.seed}, {"generations_done", 0}, {"score", o.score_with_test ? "demos+tests" : "demos"},
             {"states", o.states}};
  }
  fs::create_directories(root / "generations");
  const auto types = type_infos();
  std::signal(SIGINT, [](int) { interrupted.store(true); });

  // The pool and what was evaluated, from the generations done (the state is the folders).
  search::ParentPool pool(o.pool_per_task);
  std::set<std::string> seen, passing, solved;
  const long done = state.at("generations_done").get<long>();
  auto absorb = [&](const fs::path& dir, bool seeds) {
    GenerationOutcome outcome = read_outcome(dir);
    for (const fs::path& file : candidate_files(dir))
      for (auto& p : read_programs({file})) {
        seen.insert(search::fingerprint(p));
        pool.add(std::move(p), seeds && file.filename() != kEnumeratedFile);
      }
    for (const auto& s : outcome.scored) pool.offer(s.task, s.program, s.score);
    pool.prune();
    passing.insert(outcome.passing.begin(), outcome.passing.end());
    solved.insert(outcome.solved.begin(), outcome.solved.end());
  };
  for (long g = 0; g < done; ++g) absorb(root / "generations" / generation_name(g), g == 0);

  // ROOT/metrics.json: one entry a generation (timings included, so not part of the search's state).
  const Withheld withheld = o.withheld.empty() ? Withheld{} : read_withheld(o.withheld);
  const fs::path metrics_file = root / "metrics.json";
  json generations = json::array();
  if (fs::exists(metrics_file)) {
    const json old = json::parse(read_input_file(metrics_file, 1 << 26), nullptr, false);
    if (old.is_object() && old.contains("generations") && old["generations"].is_array())
      for (const auto& g : old["generations"])
        if (g.value("generation", -1L) >= 0 && g.value("generation", -1L) < done) generations.push_back(g);
  }
  // The search's own time so far: earlier sessions' (a resumed search) and this one's since it started.
  const double elapsed_before = generations.empty() ? 0.0 : generations.back().value("elapsed_seconds", 0.0);
  auto last_plot = std::chrono::steady_clock::time_point{};
  if (!withheld.tasks.empty())
    spdlog::info("search: {} programs withheld from the seeds ({}); their {} tasks are watched",
                 withheld.programs.size(), o.withheld, withheld.tasks.size());
  if (done > 0) spdlog::info("search: resuming after {} generations: {} programs in the pool, {} evaluated", done, pool.size(), seen.size());

  int code = kExitOk;
  for (long g = done;; ++g) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if ((o.generations > 0 && g >= o.generations) || (budget > 0 && elapsed >= budget) || interrupted.load()) break;
    const fs::path dir = root / "generations" / generation_name(g);
    std::size_t duplicates = 0, generated = 0, enumerated = 0;
    std::string enumerated_text;
    if (candidate_files(dir).empty()) {
      std::vector<program::Program> candidates;
      // Whether a generation-0 program is new to the search (its structure not run before); counts the others.
      auto is_new = [&](const program::Program& p) {
        try {
          if (seen.insert(search::fingerprint(p)).second) return true;
          ++duplicates;
        } catch (const std::exception& e) {
          spdlog::error("{}", e.what());
        }
        return false;
      };
      if (g == 0) {
        std::vector<fs::path> seeds(o.seeds.begin(), o.seeds.end());
        program::ParseOptions po;
        if (!o.dialect.empty()) po.dialect = dialect_from_name(o.dialect);
        auto parsed = program::parse_paths(seeds, cpu::dsl_vocabularies(), po);
        for (const auto& e : parsed.errors) spdlog::error("{}", e.to_string());
        std::size_t left_out = 0;
        for (auto& p : parsed.programs) {
          if (withheld.programs.count(p.name) > 0) {
            ++left_out;
            continue;
          }
          p.function = p.name;  // written back as its own function
          if (is_new(p)) candidates.push_back(std::move(p));
        }
        if (left_out > 0) spdlog::info("search: {} seed programs withheld", left_out);
        if (candidates.empty() && o.enumerate == 0) {
          std::fprintf(stderr, "search: no seed program loaded\n");
          return kExitFailure;
        }
        if (o.enumerate > 0) {
          search::EnumerationOptions eo;
          eo.depth = o.enumerate;
          eo.primitives = o.enumerate_primitives;
          eo.integers = o.enumerate_integers;
          eo.max_programs = o.enumerate_max;
          eo.tokpidjin = o.dialect == "tokpidjin";
          const search::Enumeration e = search::enumerate_programs(types.at(eo.tokpidjin ? Dialect::Tokpidjin : Dialect::ArcDsl), eo);
          auto parsed = program::parse_source(e.source, kEnumeratedFile, cpu::dsl_vocabularies());
          for (const auto& err : parsed.errors) spdlog::error("{}", err.to_string());
          std::size_t kept = 0;
          std::string text;
          for (const auto& p : parsed.programs) {
            if (!is_new(p)) continue;
            text += program::to_source(p) + "\n";
            ++kept;
          }
          spdlog::info("search: enumerated {} programs of depth up to {} over {} operations and {} features; {} new",
                       e.programs, o.enumerate, e.operations.size(), e.features.size(), kept);
          enumerated_text = std::move(text);
          enumerated = kept;
        }
        if (candidates.empty() && enumerated == 0) {
          std::fprintf(stderr, "search: nothing to run: no seed loaded and nothing enumerated\n");
          return kExitFailure;
        }
      } else {
        auto made = search::make_generation(pool.entries(), types, o.seed, static_cast<std::uint64_t>(g), o.children, seen);
        candidates = std::move(made.children);
        duplicates = made.duplicates;
        if (candidates.empty()) {
          std::printf("generation %ld: no new candidate could be made; the search stops\n", g);
          break;
        }
      }
      generated = candidates.size() + enumerated + duplicates;
      fs::create_directories(dir);
      graph::write_file_atomic(dir / "generation.json", json({{"generated", generated}, {"duplicates", duplicates}}).dump() + "\n");
      if (!enumerated_text.empty()) graph::write_file_atomic(dir / kEnumeratedFile, enumerated_text);
      write_candidates(dir, candidates);  // last: its presence says the generation was made
    } else if (fs::exists(dir / "generation.json")) {  // resumed mid-generation
      const json made = json::parse(read_input_file(dir / "generation.json", 1 << 16));
      generated = made.at("generated").get<std::size_t>();
      duplicates = made.at("duplicates").get<std::size_t>();
    }
    const auto g0 = std::chrono::steady_clock::now();
    const int status = run_generation(o, g, dir, candidate_files(dir));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
    if (interrupted.load() || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) ||
        (WIFEXITED(status) && WEXITSTATUS(status) == kExitInterrupted)) {
      std::printf("interrupted in generation %ld: `megabatch search ... --resume` continues it\n", g);
      code = kExitFailure;
      break;
    }
    if (!fs::exists(dir / "metrics.json")) {
      std::fprintf(stderr, "search: generation %ld did not finish (exit %d): --resume tries it again\n", g,
                   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
      code = kExitFailure;
      break;
    }
    absorb(dir, g == 0);
    state["generations_done"] = g + 1;
    graph::write_file_atomic(state_file, state.dump(2) + "\n");
    const json m = json::parse(read_input_file(dir / "metrics.json", 1 << 26));
    const double candidates = m.at("programs").get<double>();
    const double evaluations = m.at("evaluations").get<double>();
    const double search_elapsed = elapsed_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    json entry = {{"generation", g},
                  {"generated", generated},
                  {"duplicates", duplicates},
                  {"evaluated_candidates", m.at("programs")},
                  {"evaluations", m.at("evaluations")},
                  {"pruned", m.at("pruned")},
                  {"state_duplicates", m.at("state_dedupe").at("duplicates")},
                  {"skipped_by_waves", m.at("skipped_by_waves")},
                  {"passing_pairs", m.at("passing_pairs")},
                  {"tasks_passing", passing.size()},
                  {"tasks_solved", solved.size()},
                  {"solver_dir_added", m.at("solver_dir").at("added")},
                  {"solver_dir_evicted", m.at("solver_dir").at("evicted")},
                  {"seconds", secs},
                  {"elapsed_seconds", search_elapsed},
                  {"candidates_per_second", candidates / std::max(secs, 1e-9)},
                  {"evaluations_per_second", evaluations / std::max(secs, 1e-9)},
                  {"nodes_per_candidate", m.at("dag_nodes").get<double>() / std::max(1.0, candidates)},
                  {"unshared_nodes_per_candidate", m.at("dag_nodes_unshared").get<double>() / std::max(1.0, candidates)}};
    std::string watched;
    if (!withheld.tasks.empty()) {
      entry["withheld_tasks"] = withheld.tasks.size();
      entry["withheld_passing"] = count_in(withheld.tasks, passing);
      entry["withheld_solved"] = count_in(withheld.tasks, solved);
      watched = "; withheld tasks: " + std::to_string(count_in(withheld.tasks, passing)) + " passing, " +
                std::to_string(count_in(withheld.tasks, solved)) + " solved of " + std::to_string(withheld.tasks.size());
    }
    generations.push_back(entry);
    graph::write_file_atomic(metrics_file, json({{"seed", o.seed}, {"score", state.at("score")}, {"generations", generations}}).dump(2) + "\n");
    // gnuplot takes a few hundred ms: at most every 10 s, and once at the end
    if (std::chrono::steady_clock::now() - last_plot > std::chrono::seconds(10)) {
      plot_progress(root, generations, !withheld.tasks.empty());
      last_plot = std::chrono::steady_clock::now();
    }
    std::string unlinked;
    if (o.remove_unlinked) unlinked = "; solver_md5 files no link names: " + std::to_string(graph::remove_unlinked(root)) + " removed";
    std::printf("generation %ld: %zu generated, %zu duplicates skipped, %.0f candidates run, %.0f evaluations "
                "(%lld pruned), %lld pairs folded by state, in %.2f s: %.0f candidates/s, %.0f evaluations/s, %.1f nodes a candidate (%.1f unshared); "
                "%lld passing pairs; solver_dir +%lld -%lld%s; tasks: %zu with a passing candidate, %zu solved%s\n",
                g, generated, duplicates, candidates, evaluations, m.at("pruned").get<long long>(),
                m.at("state_dedupe").at("duplicates").get<long long>(), secs,
                candidates / std::max(secs, 1e-9), evaluations / std::max(secs, 1e-9),
                m.at("dag_nodes").get<double>() / std::max(1.0, candidates),
                m.at("dag_nodes_unshared").get<double>() / std::max(1.0, candidates), m.at("passing_pairs").get<long long>(),
                m.at("solver_dir").at("added").get<long long>(), m.at("solver_dir").at("evicted").get<long long>(),
                unlinked.c_str(), passing.size(), solved.size(), watched.c_str());
    if (o.timing) std::printf("%s", read_input_file(dir / "report.txt", 1 << 24).c_str());  // the run's timing tables
    std::fflush(stdout);
  }
  if (!generations.empty()) plot_progress(root, generations, !withheld.tasks.empty());
  std::printf("search: %ld generations done in %s; the pool holds %zu programs, %zu evaluated\n",
              state.at("generations_done").get<long>(), root.c_str(), pool.size(), seen.size());
  return code;
}

const Registrar registrar{"search", 42, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto o = std::make_shared<SearchOptions>();
  auto* cmd = app.add_subcommand("search", "Mutate solvers, run every candidate on every task, keep what passes, repeat");
  cmd->add_option("--tasks", o->tasks, "task folder, task file or Kaggle *_challenges.json")->required();
  cmd->add_option("--solutions", o->solutions, "Kaggle *_solutions.json (scored in score.json, never in selection)");
  cmd->add_option("--seeds", o->seeds, "solver files or folders the search starts from (repeatable; needed without --enumerate)");
  cmd->add_option("--out", o->out, "the search's root: generations/, solver_dir/, solver_md5/, search.json")->required();
  cmd->add_option("--generations", o->generations, "generations to run (the seeds are generation 0)");
  cmd->add_option("--time-budget", o->time_budget, "no new generation after this long: 90s, 30m, 9h")
      ->check([](const std::string& v) -> std::string {
        try {
          return parse_duration(v) > 0 ? "" : "must be positive";
        } catch (const std::exception&) {
          return "expected a duration such as 90s, 30m or 9h, got '" + v + "'";
        }
      });
  cmd->add_option("--children", o->children, "new candidates a generation")->capture_default_str()->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--parents-per-task", o->pool_per_task,
                  "parents kept per task, best scores first (tokpidjin keeps 32 a task in solver_dir)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  cmd->add_option("--enumerate", o->enumerate,
                  "generation 0 also runs every composition of up to D grid operations (icecuber's search)")
      ->check(CLI::Range(0, 4));
  cmd->add_option("--enumerate-primitives", o->enumerate_primitives,
                  "the grid operations and integer features to enumerate over (default: every one whose hints fit)")
      ->delimiter(',');
  cmd->add_option("--enumerate-integers", o->enumerate_integers,
                  "constants for integer arguments (default: the colours ZERO..NINE)")
      ->delimiter(',');
  cmd->add_option("--enumerate-max", o->enumerate_max, "at most this many enumerated programs, shallow ones first")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "the search's seed: the same seed gives the same candidates")->capture_default_str();
  cmd->add_option("--dialect", o->dialect, "arc-dsl or tokpidjin for the seed files (default: detected per file)")
      ->check(CLI::IsMember({"arc-dsl", "tokpidjin"}));
  cmd->add_option("--threads", o->threads, "worker threads of each generation's run");
  cmd->add_option("--withheld", o->withheld,
                  "a synth manifest.json made with --withhold: leave its programs out of the seeds and report "
                  "how many of their tasks the search solves");
  cmd->add_option("--count", o->count, "run N of the tasks: the first N, or a seeded sample of |N| when negative");
  cmd->add_option("--backend", o->backend, "auto, cpu, gpu or gpu-host, for every generation's run")
      ->check(CLI::IsMember({"auto", "cpu", "gpu", "gpu-host"}));
  cmd->add_flag("--timing", o->timing, "after each generation, print its run's report with the time by primitive");
  cmd->add_flag("--remove-unlinked", o->remove_unlinked,
                "after each generation, remove the solver_md5/ files no solver_dir link names (run_card.sh -b)");
  cmd->add_option("--states", o->states,
                  "on: per task, a generation reports (and keeps, and breeds from) only the shortest of the "
                  "candidates whose outputs agree on every demo (icecuber's state hashing); default on, a resumed "
                  "search keeps its own")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_flag("--resume", o->resume, "continue the search in --out");
  cmd->add_flag("--score-with-test", o->score_with_test,
                "tokpidjin's library rule: a matched test output adds 1000 (test outputs then steer selection)");
  add_config_options(*cmd, o->config);
  return [o] {
    if (o->score_with_test) spdlog::warn("search: --score-with-test: test outputs count in the scores that select and keep candidates");
    return search_command(*o);
  };
}};

}  // namespace
}  // namespace megabatch::app
