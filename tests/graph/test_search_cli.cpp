// `megabatch search` end to end on the engine fixtures: from a seed that solves nothing, mutation finds
// the mirror and transpose solvers it was not given; the same seed gives the same search, a search
// SIGKILLed mid-generation and resumed ends as an uninterrupted one, and poisoned test outputs change
// nothing that selection keeps.
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::Child;
using test::read_json;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

// The counterdiagonal mirror (rot90 and rot270 undo each other) solves none of the fixture tasks;
// swapping cmirror for another Piece -> Piece primitive solves flip (vmirror), upside (hmirror) and
// transpose (dmirror), and the two rotations give the search room to wander.
constexpr const char* kSeed =
    "def solve_seed(I):\n    x1 = cmirror(I)\n    x2 = rot90(x1)\n    x3 = rot270(x2)\n    return x3\n";

struct Search : ::testing::Test {
  TempDir dir;
  fs::path tasks = test::write_engine_tasks(dir / "tasks");
  fs::path seed = test::write_file(dir / "seed.py", kSeed);

  std::vector<std::string> search(const fs::path& root, const fs::path& task_dir, std::vector<std::string> extra = {}) const {
    std::vector<std::string> a = {"search", "--tasks", task_dir.string(), "--seeds", seed.string(), "--out", root.string(),
                                  "--children", "40", "--seed", "7", "--threads", "1", "--set", "cache=off"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

// What a search keeps and made: the library and every generation's candidates and results.
std::map<std::string, std::string> outcome(const fs::path& root) {
  auto t = test::tree(root / "solver_dir");
  for (const auto& [k, v] : test::tree(root / "solver_md5")) t["md5/" + k] = v;
  for (const auto& g : fs::directory_iterator(root / "generations"))
    for (const char* f : {"candidates.arc-dsl.py", "results.jsonl", "submission.json"})
      if (fs::exists(g.path() / f)) t[g.path().filename().string() + "/" + f] = test::read_file(g.path() / f);
  return t;
}

TEST_F(Search, MutationFindsTheSolversItWasNotGiven) {
  auto r = run_args(search(dir / "root", tasks, {"--generations", "4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("generation 0: 1 generated, 0 duplicates skipped, 1 candidates run"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("generation 3: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(", 40 candidates run"), std::string::npos) << r.out;
  // the per-generation report in ROOT/metrics.json: what was made, run, pruned and found
  const auto metrics = read_json(dir / "root/metrics.json");
  ASSERT_EQ(metrics["generations"].size(), 4u);
  for (int g = 0; g < 4; ++g) {
    const auto& e = metrics["generations"][g];
    EXPECT_EQ(e["generation"], g);
    EXPECT_EQ(e["evaluated_candidates"], g == 0 ? 1 : 40);
    EXPECT_EQ(e["generated"].get<int>(), e["evaluated_candidates"].get<int>() + e["duplicates"].get<int>());
    for (const char* k : {"evaluations", "pruned", "passing_pairs", "tasks_passing", "tasks_solved", "seconds",
                          "elapsed_seconds", "candidates_per_second", "evaluations_per_second", "nodes_per_candidate"})
      EXPECT_TRUE(e.contains(k)) << k;
  }
  EXPECT_EQ(metrics["generations"][0]["tasks_passing"], 0);           // the seed solves nothing
  EXPECT_GE(metrics["generations"][3]["tasks_passing"].get<int>(), 3);  // flip, upside, transpose
  EXPECT_EQ(metrics["generations"][3]["tasks_solved"], 2);  // upside's second test output is wrong on purpose
  // The library loads back as arc-dsl programs: its solver_md5 files keep `(I)`, where tokpidjin's
  // (S, I, C) header would make the folder tokpidjin's and reject every arc-dsl name in it.
  std::size_t files = 0;
  for (const auto& f : fs::directory_iterator(dir / "root/solver_md5")) {
    ++files;
    EXPECT_NE(test::read_file(f.path()).find("(I):\n"), std::string::npos) << f.path();
  }
  ASSERT_GT(files, 0u);
  auto again = run_args({"run", "--tasks", tasks.string(), "--programs", (dir / "root/solver_md5").string(), "--out",
                         (dir / "again").string(), "--set", "cache=off"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_json(dir / "again/metrics.json")["programs"], files);
  for (const char* task : {"flip", "upside", "transpose"})
    EXPECT_TRUE(fs::exists(dir / "root/solver_dir" / ("solve_" + std::string(task)))) << task << "\n" << r.out;
  EXPECT_FALSE(fs::exists(dir / "root/solver_dir/solve_recolour"));  // no Grid -> Grid primitive replaces colours
  EXPECT_EQ(read_json(dir / "root/search.json")["generations_done"], 4);
  // demo-only scores: a solver of flip matched its 3 demos: 3000, never 4000
  EXPECT_TRUE(fs::exists(dir / "root/solver_dir/solve_flip/3000"));
  EXPECT_FALSE(fs::exists(dir / "root/solver_dir/solve_flip/4000"));
  // every candidate counted once: the seed, then 40 new ones a generation
  std::size_t candidates = 0;
  for (const auto& g : fs::directory_iterator(dir / "root/generations"))
    candidates += read_json(g.path() / "metrics.json")["programs"].get<std::size_t>();
  EXPECT_EQ(candidates, 1u + 3 * 40);
}

TEST_F(Search, KilledMidGenerationAndResumedItEndsAsAnUninterruptedSearch) {
  auto whole = run_args(search(dir / "whole", tasks, {"--generations", "4"}));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const fs::path root = dir / "killed";
  {
    Child child(search(root, tasks, {"--generations", "4"}), dir / "o", dir / "e");
    for (int k = 0; k < 20000 && !fs::exists(root / "generations/g0002/run.json") && child.running(); ++k)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    child.kill_now();
    child.wait();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its run dies with it
  ASSERT_LT(read_json(root / "search.json")["generations_done"].get<int>(), 4) << "the search ended before the kill";
  auto again = run_args(search(root, tasks, {"--generations", "4"}));
  EXPECT_EQ(again.exit_code, 2);  // a search is there: say --resume
  EXPECT_NE(again.err.find("holds a search already: --resume to continue it"), std::string::npos) << again.err;
  auto resumed = run_args(search(root, tasks, {"--generations", "4", "--resume"}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(outcome(root), outcome(dir / "whole"));
  auto other_seed = run_args({"search", "--tasks", tasks.string(), "--seeds", seed.string(), "--out", root.string(),
                              "--generations", "5", "--seed", "8", "--resume"});
  EXPECT_EQ(other_seed.exit_code, 2);
  EXPECT_NE(other_seed.err.find("is a search with --seed 7, not 8"), std::string::npos) << other_seed.err;
}

// Selection never reads a test output: tasks whose test outputs are wrong give the same library.
TEST_F(Search, PoisonedTestOutputsChangeNothingSelectionKeeps) {
  const fs::path poisoned = dir / "poisoned";
  fs::create_directories(poisoned);
  for (const auto& [id, text] : test::engine_tasks()) {
    nlohmann::json t = nlohmann::json::parse(text);
    for (auto& p : t["test"]) p["output"] = nlohmann::json::array({nlohmann::json::array({7, 7, 7})});
    test::write_file(poisoned / (id + ".json"), t.dump());
  }
  ASSERT_EQ(run_args(search(dir / "clean", tasks, {"--generations", "3"})).exit_code, 0);
  ASSERT_EQ(run_args(search(dir / "dirty", poisoned, {"--generations", "3"})).exit_code, 0);
  EXPECT_EQ(test::tree(dir / "clean/solver_dir"), test::tree(dir / "dirty/solver_dir"));
  for (const char* g : {"g0001", "g0002"})
    EXPECT_EQ(test::read_file(dir / "clean/generations" / g / "candidates.arc-dsl.py"),
              test::read_file(dir / "dirty/generations" / g / "candidates.arc-dsl.py"));
  // tokpidjin's rule lets them in: a solver of flip then scores 4000 on clean tasks
  ASSERT_EQ(run_args(search(dir / "with_tests", tasks, {"--generations", "3", "--score-with-test"})).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "with_tests/solver_dir/solve_flip/4000"));
}

// Enumeration alone, no seeds: depth 1 over the mirrors finds flip, upside and transpose in generation 0.
TEST_F(Search, EnumerationFindsWhatOneOperationSolves) {
  auto r = run_args({"search", "--tasks", tasks.string(), "--out", (dir / "e").string(), "--enumerate", "1",
                     "--enumerate-primitives", "vmirror,hmirror,dmirror,rot90", "--generations", "1", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("generation 0: 4 generated, 0 duplicates skipped, 4 candidates run"), std::string::npos) << r.out;
  for (const char* task : {"flip", "upside", "transpose"})
    EXPECT_TRUE(fs::exists(dir / "e/solver_dir" / ("solve_" + std::string(task)))) << task;
  EXPECT_TRUE(fs::exists(dir / "e/generations/g0000/candidates.enumerated.py"));
  // a search's runs keep no result cache unless asked: every child is new
  EXPECT_FALSE(read_json(dir / "e/generations/g0000/metrics.json").contains("cache"));
  auto none = run_args({"search", "--tasks", tasks.string(), "--out", (dir / "n").string(), "--generations", "1"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--seeds FILE|DIR, or --enumerate D"), std::string::npos) << none.err;
}

// State dedupe (on by default): every passing candidate of a task shows the same outputs on its demos, so
// a generation reports one passing candidate per task, the shortest; without it, all of them.
TEST_F(Search, StatesFoldCandidatesThatAgreeOnEveryDemo) {
  auto passing_lines = [](const fs::path& root, bool at_most_one_per_task) {
    std::size_t passing = 0;
    for (const auto& g : fs::directory_iterator(root / "generations")) {
      std::map<std::string, int> per_task;
      for (const auto& l : test::read_jsonl(g.path() / "results.jsonl"))
        if (l["pass"] == true) ++passing, ++per_task[l["task"]];
      if (at_most_one_per_task)
        for (const auto& [task, n] : per_task) EXPECT_EQ(n, 1) << task << " in " << g.path();
    }
    return passing;
  };
  auto on = run_args(search(dir / "on", tasks, {"--generations", "4"}));
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_EQ(read_json(dir / "on/search.json")["states"], "on");
  std::size_t folded = 0;
  const auto on_metrics = read_json(dir / "on/metrics.json");
  for (const auto& e : on_metrics["generations"]) folded += e["state_duplicates"].get<std::size_t>();
  EXPECT_GT(folded, 0u);
  const std::size_t with_states = passing_lines(dir / "on", true);

  auto off = run_args(search(dir / "off", tasks, {"--generations", "4", "--states", "off"}));
  ASSERT_EQ(off.exit_code, 0) << off.err;
  const auto off_metrics = read_json(dir / "off/metrics.json");
  for (const auto& e : off_metrics["generations"]) EXPECT_EQ(e["state_duplicates"], 0);
  EXPECT_GT(passing_lines(dir / "off", false), with_states);

  // A resumed search keeps its own setting; asking for the other one is refused.
  auto other = run_args(search(dir / "on", tasks, {"--generations", "5", "--resume", "--states", "off"}));
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("is a search with --states on, not off"), std::string::npos) << other.err;
  auto more = run_args(search(dir / "on", tasks, {"--generations", "5", "--resume"}));
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_GT(read_json(dir / "on/metrics.json")["generations"][4]["state_duplicates"].get<int>(), 0);
}

TEST_F(Search, ItSaysHowLongOrRefuses) {
  auto r = run_args(search(dir / "r", tasks));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--generations N or --time-budget 30m"), std::string::npos) << r.err;
  auto bad = run_args(search(dir / "r", tasks, {"--time-budget", "soon"}));
  EXPECT_EQ(bad.exit_code, 2);
  auto timed = run_args(search(dir / "t", tasks, {"--time-budget", "1s"}));
  EXPECT_EQ(timed.exit_code, 0) << timed.err;
  EXPECT_GE(read_json(dir / "t/search.json")["generations_done"].get<int>(), 1);
}

}  // namespace
}  // namespace megabatch
