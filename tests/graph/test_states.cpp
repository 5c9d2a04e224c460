// State dedupe: graph/states.hpp's grouping, and `megabatch run --dedupe-states` end to end (only the
// shortest program of a state is reported, and in waves mode only it runs on the test inputs).
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "graph/states.hpp"

namespace megabatch {
namespace {

using graph::PairResult;
using graph::SampleStatus;
using nlohmann::json;
using test::read_json;
using test::read_jsonl;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

PairResult pair(std::uint32_t program, std::vector<SampleStatus> train, std::vector<std::uint64_t> hashes,
                bool stateless = false) {
  PairResult p;
  p.program = program;
  p.train = std::move(train);
  for (std::uint32_t k = 0; k < hashes.size(); ++k) p.state += graph::state_term(k, hashes[k]);
  p.stateless = stateless;
  return p;
}

constexpr SampleStatus M = SampleStatus::Match, X = SampleStatus::Mismatch, S = SampleStatus::Skipped,
                       E = SampleStatus::Error;

TEST(StateDedupe, EqualValuesOnTheSameDemosFoldIntoTheShortestThenTheEarliest) {
  // program id = index; lengths chosen per program
  const std::vector<std::size_t> length = {3, 1, 1, 2, 1, 1, 1};
  const std::vector<PairResult> pairs = {
      pair(0, {M, X}, {7, 9}),     // one state with 1 and 2
      pair(1, {M, X}, {7, 9}),     // the shortest: the representative
      pair(2, {M, X}, {7, 9}),     // as short as 1 but later
      pair(3, {M, X}, {7, 8}),     // another value on demo 2: its own state
      pair(4, {M, E}, {7}, true),  // no value on demo 2: never folded
      pair(5, {M, E}, {7}, true),
      pair(6, {M, S}, {7, 9}),     // other statuses: its own state, whatever its sum
  };
  const std::vector<std::uint8_t> eligible(pairs.size(), 1);
  const auto rep = graph::fold_states(pairs, eligible, [&](std::uint32_t p) { return length[p]; });
  EXPECT_EQ(rep, (std::vector<std::size_t>{1, 1, 1, 3, 4, 5, 6}));

  std::vector<std::uint8_t> only_some = {1, 0, 1, 1, 1, 1, 1};  // 1 is not eligible: 2 leads, 0 folds into it
  const auto rep2 = graph::fold_states(pairs, only_some, [&](std::uint32_t p) { return length[p]; });
  EXPECT_EQ(rep2, (std::vector<std::size_t>{2, 1, 2, 3, 4, 5, 6}));
}

TEST(StateDedupe, StateTermsDependOnTheSampleAndTheValueNotOnTheOrderTheyArriveIn) {
  EXPECT_NE(graph::state_term(0, 5), graph::state_term(1, 5));
  EXPECT_NE(graph::state_term(0, 5), graph::state_term(0, 6));
  EXPECT_EQ(graph::state_term(0, 5) + graph::state_term(1, 6), graph::state_term(1, 6) + graph::state_term(0, 5));
  // Swapping the values between two demos is another state.
  EXPECT_NE(graph::state_term(0, 5) + graph::state_term(1, 6), graph::state_term(0, 6) + graph::state_term(1, 5));
}

// The flip fixture (its first demo is its own mirror image) and five programs: three that pass, two that
// are the identity (they match the first demo and give the same wrong grid on the second).
struct Flip {
  TempDir dir;
  fs::path tasks, programs;
  Flip() {
    fs::create_directories(dir / "tasks");
    for (const auto& [id, text] : test::engine_tasks())
      if (id == "flip") write_file(dir / "tasks" / "flip.json", text);
    tasks = dir / "tasks";
    programs = write_file(dir / "p.py",
                          "def solve_long(I):\n    x1 = hmirror(I)\n    x2 = rot180(x1)\n    return x2\n\n"
                          "def solve_short(I):\n    return vmirror(I)\n\n"
                          "def solve_thrice(I):\n    x1 = vmirror(I)\n    x2 = vmirror(x1)\n    return vmirror(x2)\n\n"
                          "def solve_turn(I):\n    x1 = rot90(I)\n    return rot270(x1)\n\n"
                          "def solve_same(I):\n    return I\n");
  }
  test::CommandResult run(const fs::path& out, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"run", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                                     out.string(), "--threads", "2", "--set", "cache=off"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_args(args);
  }
};

std::map<std::string, json> by_program(const fs::path& results) {
  std::map<std::string, json> out;
  for (const json& l : read_jsonl(results)) out[l["program"]] = l;
  return out;
}

TEST(StateDedupe, RunReportsOnlyTheShortestOfEachStateAndRunsOnlyItOnTheTests) {
  Flip f;
  auto plain = f.run(f.dir / "plain", {});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(by_program(f.dir / "plain/results.jsonl").size(), 5u);
  EXPECT_EQ(read_json(f.dir / "plain/metrics.json")["state_dedupe"]["on"], false);

  auto r = f.run(f.dir / "out", {"--dedupe-states"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = by_program(f.dir / "out/results.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines.at("solve_short")["same_state"], 2);  // solve_long and solve_thrice
  EXPECT_EQ(lines.at("solve_short")["test"], json({"match"}));
  EXPECT_EQ(lines.at("solve_same")["same_state"], 1);  // solve_turn: the identity in two lines
  EXPECT_EQ(lines.at("solve_same")["train"], json({"match", "mismatch", "skipped"}));
  const json m = read_json(f.dir / "out/metrics.json");
  EXPECT_EQ(m["state_dedupe"]["duplicates"], 3);
  EXPECT_EQ(m["state_dedupe"]["test_evaluations_saved"], 2);
  EXPECT_EQ(m["evaluations"].get<long>() + 2, read_json(f.dir / "plain/metrics.json")["evaluations"].get<long>());
  // The library keeps the one passing program.
  EXPECT_EQ(read_json(f.dir / "out/metrics.json")["solver_dir"]["added"], 2);  // solve_short and solve_same (score 1000)
}

// A cache entry keeps no outputs to fold by: a run that dedupes states opens no cache, so a second run
// reports exactly what the first did (with a cache it would read the kept pairs and fold only the rest).
TEST(StateDedupe, ARunThatFoldsStatesKeepsNoCacheAndRepeatsItself) {
  Flip f;
  const std::vector<std::string> cached = {"--dedupe-states", "--set", "cache=on", "--set",
                                           "cache_dir=" + (f.dir / "cache").string()};
  auto first = f.run(f.dir / "a", cached);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = f.run(f.dir / "b", cached);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(test::read_file(f.dir / "a/results.jsonl"), test::read_file(f.dir / "b/results.jsonl"));
  EXPECT_FALSE(read_json(f.dir / "b/metrics.json").contains("cache"));
  EXPECT_NE(second.err.find("cache: not used with --dedupe-states"), std::string::npos) << second.err;
}

TEST(StateDedupe, ExhaustiveRunsFoldOnEveryDemoButSaveNoTestEvaluation) {
  Flip f;
  auto r = f.run(f.dir / "out", {"--dedupe-states", "--exhaustive"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = by_program(f.dir / "out/results.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines.at("solve_same")["train"], json({"match", "mismatch", "mismatch"}));
  EXPECT_EQ(lines.at("solve_same")["same_state"], 1);
  const json m = read_json(f.dir / "out/metrics.json");
  EXPECT_EQ(m["state_dedupe"]["duplicates"], 3);
  EXPECT_EQ(m["state_dedupe"]["test_evaluations_saved"], 0);
}

}  // namespace
}  // namespace megabatch
