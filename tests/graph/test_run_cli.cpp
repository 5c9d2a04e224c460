// `megabatch run` end to end on the hand-written fixtures (tests/data/engine, cli_support.hpp): every output file, their
// agreement with each other and with `megabatch score`, and bad inputs reported without stopping the run.
#include <gtest/gtest.h>

#include <set>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using nlohmann::json;
using test::engine_data;
using test::read_json;
using test::read_jsonl;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

const std::vector<std::string> kTaskIds = {"flip", "recolour", "transpose", "unsolved", "upside"};

// The fixture tasks written into `dir`/tasks, plus a truncated copy of one of them as broken.json when asked.
fs::path copy_tasks(const TempDir& dir, bool with_broken) {
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  if (with_broken) {
    std::string text = test::read_file(tasks / "flip.json");
    write_file(tasks / "broken.json", text.substr(0, text.size() / 2));
  }
  return tasks;
}

// Kaggle solutions of the fixture tasks, from their test outputs.
fs::path write_solutions(const TempDir& dir) {
  json all = json::object();
  for (const auto& [id, text] : test::engine_tasks()) {
    json outputs = json::array();
    const json task = json::parse(text);
    for (const auto& t : task["test"]) outputs.push_back(t["output"]);
    all[id] = outputs;
  }
  return write_file(dir / "fixtures_solutions.json", all.dump());
}

// A programs file without rejected functions: the fixture's good solvers.
fs::path write_good_programs(const TempDir& dir) {
  return write_file(dir / "good.py",
                    "def solve_flip(I):\n    return vmirror(I)\n\n"
                    "def solve_recolour(I):\n    return replace(I, ONE, TWO)\n\n"
                    "def solve_transpose(I):\n    return dmirror(I)\n");
}

std::vector<std::string> run_args_for(const fs::path& tasks, const fs::path& programs, const fs::path& out,
                                      std::vector<std::string> extra = {}) {
  // A result cache of the test's own, beside --out: counts of evaluations hold on a first run.
  std::vector<std::string> args = {"run", "--tasks", tasks.string(), "--programs", programs.string(),
                                   "--out", out.string(), "--threads", "2", "--set", "batch.max_batch=3",
                                   "--set", "cache_dir=" + (out.parent_path() / "cache").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

const json& line_of(const std::vector<json>& lines, const std::string& task, const std::string& program) {
  for (const auto& l : lines)
    if (l["task"] == task && l["program"] == program) return l;
  throw std::runtime_error("no results line for " + program + " on " + task);
}

TEST(RunCli, FixturesGiveConsistentOutputsAndBadInputsAreReportedWhileTheRestCompletes) {
  TempDir dir;
  const fs::path tasks = copy_tasks(dir, true), out = dir / "out";
  const fs::path programs = engine_data() / "programs.py";
  auto r = run_args(run_args_for(tasks, programs, out));

  // Rejected inputs: one line each naming the file (and the line for programs); the run still completes.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find((tasks / "broken.json").string() + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(programs.string() + ":44: solve_bad_syntax: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(programs.string() + ":49: solve_bad_unknown: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("solved 3/5 tasks, 4/6 test outputs"), std::string::npos) << r.out;

  // results.jsonl: only pairs that matched some train sample, in (task, program) order, every field present.
  const auto lines = read_jsonl(out / "results.jsonl");
  const std::vector<std::string> keys = {"program", "md5",         "task",  "pass", "train",
                                         "test",    "predictions", "score", "t_log"};
  std::set<std::pair<std::string, std::string>> passing, listed;
  {
    std::istringstream raw(test::read_file(out / "results.jsonl"));
    std::string text;
    while (std::getline(raw, text)) {  // field order as written
      const auto line = nlohmann::ordered_json::parse(text);
      std::vector<std::string> got;
      for (const auto& [k, v] : line.items()) got.push_back(k);
      EXPECT_EQ(got, keys) << text;
    }
  }
  for (const auto& l : lines) {
    ASSERT_TRUE(l["md5"].is_string()) << l.dump();
    EXPECT_EQ(l["md5"].get<std::string>().size(), 32u) << l.dump();
    const std::string task = l["task"];
    const auto task_json = read_json(tasks / (task + ".json"));
    EXPECT_EQ(l["train"].size(), task_json["train"].size()) << l.dump();
    EXPECT_EQ(l["test"].size(), task_json["test"].size()) << l.dump();
    EXPECT_EQ(l["predictions"].size(), task_json["test"].size()) << l.dump();
    std::size_t matches = 0;
    for (const auto& s : l["train"]) matches += s == "match";
    for (const auto& s : l["test"]) matches += s == "match";
    EXPECT_EQ(l["score"], 1000 * matches) << l.dump();
    EXPECT_GT(matches, 0u) << l.dump();
    listed.insert({task, l["program"]});
    if (l["pass"] == true) passing.insert({task, l["program"]});
  }
  const std::set<std::pair<std::string, std::string>> expected_passing = {
      {"flip", "solve_flip"},     {"flip", "solve_flip_long"}, {"recolour", "solve_recolour"},
      {"transpose", "solve_transpose"}, {"upside", "solve_rot180"}, {"upside", "solve_upside"}};
  EXPECT_EQ(passing, expected_passing);
  EXPECT_EQ(listed.size(), expected_passing.size() + 2);  // the partial identity and recolour on flip
  const json& identity = line_of(lines, "flip", "solve_identity");
  EXPECT_EQ(identity["pass"], false);
  EXPECT_EQ(identity["train"], json({"match", "mismatch", "skipped"}));
  EXPECT_EQ(identity["test"], json({"skipped"}));
  EXPECT_EQ(identity["predictions"], json({nullptr}));
  const json& upside = line_of(lines, "upside", "solve_upside");
  EXPECT_EQ(upside["test"], json({"match", "mismatch"}));
  EXPECT_EQ(upside["predictions"], json({{{3, 4}, {1, 2}}, {{0, 0}, {6, 0}}}));
  for (std::size_t k = 1; k < lines.size(); ++k)  // tasks in load (file name) order
    EXPECT_LE(std::find(kTaskIds.begin(), kTaskIds.end(), lines[k - 1]["task"]) - kTaskIds.begin(),
              std::find(kTaskIds.begin(), kTaskIds.end(), lines[k]["task"]) - kTaskIds.begin());

  // solver_md5/<md5>.py per kept program; solver_dir/solve_<task>/<score>/<t_log>/<md5>.py relative links to them.
  std::set<std::string> md5s;
  for (const auto& l : lines) {
    const std::string md5 = l["md5"], task = l["task"];
    md5s.insert(md5);
    const fs::path file = out / "solver_md5" / (md5 + ".py");
    ASSERT_TRUE(fs::is_regular_file(file)) << file;
    const std::string text = test::read_file(file);
    EXPECT_EQ(text.rfind("from dsl import *\nfrom constants import *\n\ndef ", 0), 0u) << text;
    const fs::path link = out / "solver_dir" / ("solve_" + task) / std::to_string(l["score"].get<int>()) /
                          std::to_string(l["t_log"].get<int>()) / (md5 + ".py");
    ASSERT_TRUE(fs::is_symlink(link)) << link;
    EXPECT_TRUE(fs::read_symlink(link).is_relative()) << fs::read_symlink(link);
    EXPECT_EQ(fs::canonical(link), fs::canonical(file)) << link;
  }
  std::size_t md5_files = 0, links = 0;
  for (const auto& e : fs::directory_iterator(out / "solver_md5")) md5_files += e.path().extension() == ".py";
  for (const auto& e : fs::recursive_directory_iterator(out / "solver_dir")) links += e.is_symlink();
  EXPECT_EQ(md5_files, md5s.size());
  EXPECT_EQ(links, lines.size());  // every line here has a distinct (task, md5)
  EXPECT_FALSE(fs::exists(out / "solver_dir/solve_unsolved"));

  // submission.json: every loaded task, one {attempt_1, attempt_2} per test input; the broken file is absent.
  const json submission = read_json(out / "submission.json");
  std::vector<std::string> ids;
  for (const auto& [id, attempts] : submission.items()) ids.push_back(id);
  EXPECT_EQ(ids, kTaskIds);
  for (const auto& id : kTaskIds) {
    const auto task_json = read_json(tasks / (id + ".json"));
    ASSERT_EQ(submission[id].size(), task_json["test"].size()) << id;
    for (const auto& a : submission[id]) {
      EXPECT_EQ(a.size(), 2u) << id;
      EXPECT_TRUE(a.contains("attempt_1") && a.contains("attempt_2")) << a.dump();
    }
  }
  EXPECT_EQ(submission["flip"][0]["attempt_1"], json({{0, 1}, {3, 2}}));
  EXPECT_EQ(submission["unsolved"][0]["attempt_1"], json({{0}}));
  const json up = submission["upside"][0];
  EXPECT_TRUE(up["attempt_1"] == json({{3, 4}, {1, 2}}) || up["attempt_2"] == json({{3, 4}, {1, 2}})) << up.dump();
  EXPECT_TRUE(up["attempt_1"] == json({{4, 3}, {2, 1}}) || up["attempt_2"] == json({{4, 3}, {2, 1}})) << up.dump();

  // score.json, and `megabatch score` on the same submission.
  const json score = read_json(out / "score.json");
  EXPECT_EQ(score["tasks"], 5);
  EXPECT_EQ(score["solved_tasks"], 3);
  EXPECT_EQ(score["test_outputs"], 6);
  EXPECT_EQ(score["correct_outputs"], 4);
  EXPECT_DOUBLE_EQ(score["score"].get<double>(), 4.0 / 6.0);
  EXPECT_EQ(score["per_task"], json({{"flip", true}, {"recolour", true}, {"transpose", true}, {"unsolved", false},
                                     {"upside", false}}));
  auto s = run_args({"score", "--submission", (out / "submission.json").string(), "--solutions",
                     write_solutions(dir).string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  auto kv = test::key_values(s.out);
  EXPECT_EQ(kv["tasks"], std::to_string(score["tasks"].get<int>())) << s.out;
  EXPECT_EQ(kv["solved_tasks"], std::to_string(score["solved_tasks"].get<int>())) << s.out;
  EXPECT_EQ(kv["test_outputs"], std::to_string(score["test_outputs"].get<int>())) << s.out;
  EXPECT_EQ(kv["correct_outputs"], std::to_string(score["correct_outputs"].get<int>())) << s.out;
  EXPECT_EQ(std::stod(kv["score"]), score["score"].get<double>()) << s.out;

  // metrics.json and progress.jsonl.
  const json m = read_json(out / "metrics.json");
  EXPECT_EQ(m["tasks"], 5);
  EXPECT_EQ(m["resumed_tasks"], 0);
  EXPECT_EQ(m["programs"], 9);  // 11 functions, 2 rejected
  EXPECT_GT(m["dag_nodes"].get<int>(), 0);
  EXPECT_EQ(m["samples"], 3 + 1 + 3 + 1 + 1 + 1 + 2 + 1 + 2 + 2);
  EXPECT_GT(m["skipped_by_waves"].get<int>(), 0);
  EXPECT_EQ(m["evaluations"].get<int>() + m["skipped_by_waves"].get<int>(), 9 * m["samples"].get<int>());
  EXPECT_EQ(m["errors"], 5);  // divide_by_zero on each task's first train pair, then waves stop it
  EXPECT_EQ(m["budget_stops"], 0);
  EXPECT_EQ(m["batches"]["count"], m["batches"]["cpu"].get<int>() + m["batches"]["gpu"].get<int>());
  EXPECT_EQ(m["batches"]["gpu"], 0);
  int histogram = 0;
  for (const auto& [bucket, n] : m["batches"]["size_histogram"].items()) histogram += n.get<int>();
  EXPECT_EQ(histogram, m["batches"]["count"].get<int>());
  EXPECT_EQ(m["passing_pairs"], expected_passing.size());
  for (const char* k : {"load", "graph_total", "execute", "gather", "finish"})
    EXPECT_TRUE(m["seconds"].contains(k)) << k;
  EXPECT_GT(m["peak_memory_bytes"].get<double>(), 0);
  // Costliest programs: every evaluated program at most once, costliest first, counts adding up.
  const json& costliest = m["costliest_programs"];
  ASSERT_TRUE(costliest.is_array());
  ASSERT_EQ(costliest.size(), 9u);  // fewer than 20 programs: all of them
  std::set<std::string> seen;
  int costliest_evaluations = 0, costliest_errors = 0;
  double share = 0;
  for (std::size_t k = 0; k < costliest.size(); ++k) {
    EXPECT_TRUE(seen.insert(costliest[k]["program"].get<std::string>()).second);
    if (k > 0) {
      EXPECT_LE(costliest[k]["cost_units"].get<long>(), costliest[k - 1]["cost_units"].get<long>());
    }
    costliest_evaluations += costliest[k]["evaluations"].get<int>();
    costliest_errors += costliest[k]["errors"].get<int>();
    share += costliest[k]["share"].get<double>();
  }
  EXPECT_EQ(costliest_evaluations, m["evaluations"].get<int>());
  EXPECT_EQ(costliest_errors, m["errors"].get<int>());
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_EQ(test::count_lines(out / "progress.jsonl"), kTaskIds.size());
}

TEST(RunCli, CleanInputsExitZero) {
  TempDir dir;
  auto r = run_args(run_args_for(copy_tasks(dir, false), write_good_programs(dir), dir / "out"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("solved 3/5 tasks, 3/6 test outputs"), std::string::npos) << r.out;
}

TEST(RunCli, ExhaustiveFillsEveryStatusOfTheListedPairs) {
  TempDir dir;
  const fs::path out = dir / "out";
  auto r = run_args(run_args_for(copy_tasks(dir, false), engine_data() / "programs.py", out, {"--exhaustive"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the two rejected functions
  const auto lines = read_jsonl(out / "results.jsonl");
  for (const auto& l : lines) {
    for (const auto& s : l["train"]) EXPECT_NE(s, "skipped") << l.dump();
    for (const auto& s : l["test"]) EXPECT_NE(s, "skipped") << l.dump();
  }
  const json& identity = line_of(lines, "flip", "solve_identity");
  EXPECT_EQ(identity["train"], json({"match", "mismatch", "mismatch"}));
  EXPECT_EQ(identity["predictions"], json({{{1, 0}, {2, 3}}}));  // a failing pair still predicts
  EXPECT_EQ(read_json(out / "metrics.json")["skipped_by_waves"], 0);
}

TEST(RunCli, OwnRunsOnlyEachTasksOwnSolverAndListsItEvenWithoutMatches) {
  TempDir dir;
  const fs::path out = dir / "out";
  const fs::path programs = write_file(dir / "own.py",
                                       "def solve_flip(I):\n    return vmirror(I)\n\n"
                                       "def solve_upside(I):\n    return rot90(I)\n\n"  // wrong on purpose
                                       "def solve_other(I):\n    return hmirror(I)\n");
  auto r = run_args(run_args_for(copy_tasks(dir, false), programs, out, {"--own"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto lines = read_jsonl(out / "results.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["task"], "flip");
  EXPECT_EQ(lines[0]["program"], "solve_flip");
  EXPECT_EQ(lines[0]["pass"], true);
  EXPECT_EQ(lines[1]["task"], "upside");
  EXPECT_EQ(lines[1]["program"], "solve_upside");
  EXPECT_EQ(lines[1]["train"], json({"mismatch", "mismatch"}));  // every sample, despite the first miss
  EXPECT_EQ(lines[1]["score"], 0);
}

TEST(RunCli, ASecondRunIntoTheSameFolderKeepsOnlyItsLibraryOfTheFirst) {
  TempDir dir;
  const fs::path tasks = copy_tasks(dir, false), reused = dir / "reused", fresh = dir / "fresh";
  run_args(run_args_for(tasks, engine_data() / "programs.py", reused));
  ASSERT_TRUE(fs::exists(reused / "solver_dir/solve_upside"));
  // The second run solves fewer tasks and, given a Kaggle challenges file without solutions, knows no test output.
  json challenges = json::object();
  for (const auto& id : kTaskIds) {
    json task = read_json(tasks / (id + ".json"));
    for (auto& t : task["test"]) t.erase("output");
    challenges[id] = task;
  }
  const fs::path kaggle = write_file(dir / "x_challenges.json", challenges.dump());
  const fs::path good = write_good_programs(dir);
  ASSERT_EQ(run_args(run_args_for(kaggle, good, reused)).exit_code, 0);
  ASSERT_EQ(run_args(run_args_for(kaggle, good, fresh)).exit_code, 0);
  for (const char* file : {"results.jsonl", "submission.json"})
    EXPECT_EQ(test::read_file(reused / file), test::read_file(fresh / file)) << file;
  EXPECT_FALSE(fs::exists(fresh / "score.json"));
  EXPECT_FALSE(fs::exists(reused / "score.json")) << "score.json of the first run is still there";
  // The library accumulates, as tokpidjin's does: the first run's programs stay beside the second's
  // (each program once per task, at the best score it had).
  const auto both = test::tree(reused / "solver_dir"), second = test::tree(fresh / "solver_dir");
  EXPECT_NE(both, second);
  EXPECT_TRUE(both.count("solve_upside"));
  const auto programs_of = [](const std::map<std::string, std::string>& t) {
    std::set<std::string> out;  // "solve_<task> <md5>.py"
    for (const auto& [path, what] : t)
      if (what.starts_with("link")) out.insert(fs::path(path).begin()->string() + " " + fs::path(path).filename().string());
    return out;
  };
  const auto all = programs_of(both);
  for (const auto& p : programs_of(second)) EXPECT_TRUE(all.count(p)) << p;
  for (const auto& p : all) EXPECT_TRUE(fs::exists(reused / "solver_md5" / p.substr(p.find(' ') + 1))) << p;
  // --fresh starts it empty.
  auto args = run_args_for(kaggle, good, reused);
  args.push_back("--fresh");
  ASSERT_EQ(run_args(args).exit_code, 0);
  EXPECT_EQ(test::tree(reused / "solver_dir"), test::tree(fresh / "solver_dir"));
  EXPECT_EQ(test::tree(reused / "solver_md5"), test::tree(fresh / "solver_md5"));
}

TEST(RunCli, MissingTasksPathIsOneErrorAndExitOne) {
  TempDir dir;
  auto r = run_args(run_args_for(dir / "nowhere", write_good_programs(dir), dir / "out"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "nowhere").string()), std::string::npos) << r.err;
}

TEST(RunCli, MissingRequiredOptionsAreUsageErrors) {
  EXPECT_EQ(run_args({"run", "--programs", "x.py"}).exit_code, 2);
  EXPECT_EQ(run_args({"run", "--tasks", "x"}).exit_code, 2);
  EXPECT_EQ(run_args({"run", "--tasks", "x", "--programs", "x.py", "--backend", "tpu"}).exit_code, 2);
}

}  // namespace
}  // namespace megabatch
