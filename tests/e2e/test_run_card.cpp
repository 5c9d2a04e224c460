// run_card.sh's flags and the embedded default job end to end on a small synthetic set.
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
  for (const char* flag : {"--megabatch", "-c COUNT", "-t TIMEOUT", "-g", "-m", "-T", "-o", "-i", "--tasks", "--solutions",
                           "--programs", "--out", "--config", "--set KEY=VALUE"})
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
  Result r = shell(run_card() + " --megabatch -g -c 6 -i --set cache=off --out '" + out.string() + "'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("no GPU on this machine; running on the CPU"), std::string::npos) << r.out;
  auto metrics = read_json(out / "run" / "metrics.json");
  EXPECT_EQ(metrics["tasks"], 6);
  EXPECT_EQ(metrics["batches"]["gpu"], 0);
  EXPECT_GT(metrics["batches"]["cpu"], 0);
  fs::remove_all(out);
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
