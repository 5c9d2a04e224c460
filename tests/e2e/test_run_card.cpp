// run_card.sh's flags and the embedded default (the search loop on synthetic tasks, a third of whose
// generating programs are withheld from the seeds) end to end on small sets.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code;
  std::string out;
};

// Runs a shell command, capturing stdout and stderr together.
Result shell(const std::string& cmd) {
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return {-1, ""};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string run_card() { return std::string("cd '") + MEGABATCH_SOURCE_DIR + "' && MEGABATCH_BIN='" + MEGABATCH_BINARY + "' ./run_card.sh"; }

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("megabatch-e2e-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

TEST(RunCard, HelpListsEveryFlag) {
  Result r = shell(run_card() + " -h");
  EXPECT_EQ(r.code, 0);
  for (const char* flag : {"--megabatch", "-c COUNT", "-t TIMEOUT", "-g", "-m", "-T", "-o", "-i", "-b", "--time-budget D",
                           "--generations N", "--children N", "--tasks", "--solutions", "--programs", "--out", "--config",
                           "--seed N", "--score-with-test", "--set KEY=VALUE"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

TEST(RunCard, UnknownFlagIsAUsageError) {
  Result r = shell(run_card() + " --megabatch --no-such-flag");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown option '--no-such-flag'"), std::string::npos) << r.out;
}

TEST(RunCard, WithoutMegabatchIsAUsageError) { EXPECT_EQ(shell(run_card() + " -c 5").code, 2); }

TEST(RunCard, BadCountIsAUsageError) { EXPECT_EQ(shell(run_card() + " --megabatch -c many").code, 2); }

TEST(RunCard, GpuFlagWithoutAGpuSaysSoAndRunsOnTheCpu) {
  if (shell("nvidia-smi -L").code == 0) GTEST_SKIP() << "a GPU is present; this test is for machines without one";
  fs::path out = temp_dir("gpu");
  // No result cache: a warm one would leave no batch to route.
  Result r = shell(run_card() + " --megabatch -g -c 6 -i -o --set cache=off --out '" + out.string() + "'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("no GPU on this machine; running on the CPU"), std::string::npos) << r.out;
  auto metrics = read_json(out / "generations/g0000/metrics.json");
  EXPECT_EQ(metrics["tasks"], 6);
  EXPECT_EQ(metrics["batches"]["gpu"], 0);
  EXPECT_GT(metrics["batches"]["cpu"], 0);
  fs::remove_all(out);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The embedded default, one generation at a time (-o): the withheld programs are not among the seeds,
// the report counts their tasks, a second call continues the search, -b removes what no link names,
// and -i starts afresh.
TEST(RunCard, EmbeddedDefaultSearchesOneGenerationAtATime) {
  fs::path out = temp_dir("default");
  const std::string cmd = run_card() + " --megabatch -c 30 -o --children 300 --set cache=off --out '" + out.string() + "'";
  Result first = shell(cmd + " -i");
  ASSERT_EQ(first.code, 0) << first.out;
  const auto manifest = read_json(out / "tasks/manifest.json");
  ASSERT_TRUE(manifest.contains("withheld")) << manifest.dump();
  const std::size_t watched = manifest["withheld"]["tasks"].size();
  EXPECT_GE(watched, 10u);
  EXPECT_NE(first.out.find("generation 0: "), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("of " + std::to_string(watched) + "\n"), std::string::npos) << first.out;
  const std::string seeds = read_text(out / "generations/g0000/candidates.arc-dsl.py");
  for (const auto& name : manifest["withheld"]["programs"])
    EXPECT_EQ(seeds.find("def " + name.get<std::string>() + "("), std::string::npos) << name;
  EXPECT_NE(seeds.find("def solve_"), std::string::npos);
  EXPECT_EQ(read_json(out / "search.json")["generations_done"], 1);

  // One more generation; an md5 file no link names goes with -b, other files stay.
  const fs::path orphan = out / "solver_md5/0123456789abcdef0123456789abcdef.py";
  std::ofstream(orphan) << "def solve(S, I, C):\n    return I\n";
  std::ofstream(out / "solver_md5/notes.txt") << "mine\n";
  Result second = shell(cmd + " -b");
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("generation 1: "), std::string::npos) << second.out;
  EXPECT_EQ(second.out.find("generation 0: "), std::string::npos) << second.out;
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(out / "solver_md5/notes.txt"));
  EXPECT_EQ(read_json(out / "search.json")["generations_done"], 2);
  const auto metrics = read_json(out / "metrics.json");
  ASSERT_EQ(metrics["generations"].size(), 2u);
  EXPECT_EQ(metrics["generations"][1]["withheld_tasks"], watched);
  EXPECT_GE(metrics["generations"][1]["tasks_passing"], metrics["generations"][0]["tasks_passing"]);
  EXPECT_TRUE(fs::exists(out / "solved.png"));  // gnuplot comes with bootstrap
  for (const auto& entry : fs::recursive_directory_iterator(out / "solver_dir")) {
    if (entry.is_symlink()) {
      EXPECT_TRUE(fs::exists(entry.path())) << entry.path() << " lost its solver_md5 file";
    }
  }

  // -i: the search starts again; files of OUT that are not the search's stay.
  std::ofstream(out / "keep.txt") << "mine\n";
  Result again = shell(cmd + " -i -T");
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("generation 0: "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("primitive       evaluations"), std::string::npos) << again.out;  // -T
  EXPECT_EQ(read_json(out / "search.json")["generations_done"], 1);
  EXPECT_TRUE(fs::exists(out / "keep.txt"));
  EXPECT_FALSE(fs::exists(out / "solver_md5/notes.txt"));
  fs::remove_all(out);
}

// Run from a tokpidjin root: paths are the caller's, and -i seeds from its solvers_pre.py.
TEST(RunCard, FreshStartSeedsFromSolversPreInTheCallersFolder) {
  fs::path root = temp_dir("tokroot");
  std::ofstream(root / "solvers_pre.py") << "def solve_flipper(S, I, C):\n    x1 = rot90(I)\n    return x1\n";
  const std::string bin = MEGABATCH_BINARY;
  Result s = shell("cd '" + root.string() + "' && '" + bin + "' --log-level warn synth --tasks 12 --seed 3 --out tasks --programs '" +
                   MEGABATCH_SOURCE_DIR + "/configs/programs'");
  ASSERT_EQ(s.code, 0) << s.out;
  Result r = shell("cd '" + root.string() + "' && MEGABATCH_BIN='" + bin + "' '" + MEGABATCH_SOURCE_DIR +
                   "/run_card.sh' --megabatch -i -o -t 2 --set cache=off --tasks tasks --out .");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("--set budget.wall_ms=2000"), std::string::npos) << r.out;  // -t
  EXPECT_NE(read_text(root / "generations/g0000/candidates.tokpidjin.py").find("solve_flipper"), std::string::npos);
  EXPECT_TRUE(fs::exists(root / "solver_dir"));
  EXPECT_TRUE(fs::exists(root / "solvers_pre.py"));
  fs::remove_all(root);
}

// 40 synthetic tasks through the engine: every task's generating program passes on it, and
// score.json is exactly what submission.json earns against the task files' test outputs.
TEST(EndToEnd, SyntheticTasksAreSolvedByTheirGeneratingPrograms) {
  fs::path dir = temp_dir("synth40");
  const std::string bin = MEGABATCH_BINARY;
  const std::string programs = std::string(MEGABATCH_SOURCE_DIR) + "/configs/programs";
  Result s = shell("'" + bin + "' --log-level warn synth --tasks 40 --seed 7 --out '" + (dir / "tasks").string() +
                   "' --programs '" + programs + "'");
  ASSERT_EQ(s.code, 0) << s.out;
  Result r = shell("'" + bin + "' --log-level warn run --tasks '" + (dir / "tasks").string() + "' --programs '" + programs +
                   "' --out '" + (dir / "out").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;

  auto manifest = read_json(dir / "tasks" / "manifest.json");
  std::map<std::string, std::string> maker;  // task id -> generating program
  for (auto& [id, entry] : manifest["tasks"].items()) maker[id] = entry["program"].get<std::string>();
  ASSERT_EQ(maker.size(), 40u);

  std::map<std::string, std::set<std::string>> passing;
  std::ifstream results(dir / "out" / "results.jsonl");
  for (std::string line; std::getline(results, line);) {
    auto j = nlohmann::json::parse(line);
    if (j["pass"].get<bool>()) passing[j["task"].get<std::string>()].insert(j["program"].get<std::string>());
  }
  for (const auto& [id, program] : maker) EXPECT_TRUE(passing[id].count(program)) << id << " made by " << program;

  // Re-score the submission independently against the task files' outputs.
  auto submission = read_json(dir / "out" / "submission.json");
  auto score = read_json(dir / "out" / "score.json");
  std::size_t outputs = 0, correct = 0, solved = 0;
  for (const auto& [id, program] : maker) {
    auto task = read_json(dir / "tasks" / (id + ".json"));
    bool all = true;
    for (std::size_t k = 0; k < task["test"].size(); ++k) {
      const auto& want = task["test"][k]["output"];
      const auto& got = submission[id][k];
      bool ok = got["attempt_1"] == want || got["attempt_2"] == want;
      ++outputs;
      correct += ok;
      all = all && ok;
    }
    solved += all;
    EXPECT_EQ(score["per_task"][id].get<bool>(), all) << id;
  }
  EXPECT_EQ(score["tasks"], 40);
  EXPECT_EQ(score["test_outputs"].get<std::size_t>(), outputs);
  EXPECT_EQ(score["correct_outputs"].get<std::size_t>(), correct);
  EXPECT_EQ(score["solved_tasks"].get<std::size_t>(), solved);
  EXPECT_GE(solved, 39u);  // only a task two programs explain equally on the demos may be missed
  fs::remove_all(dir);
}

}  // namespace
