// Hardening, outputs: names taken from input never leave --out or cost the submission, and a write
// that fails mid-run (a full disk) ends the run with one error and exit 1, the finished tasks kept
// for --resume. Before: a Kaggle key with '../' deleted and filled folders beside --out, a 250-byte
// task id lost submission.json to "File name too long", and a full disk was a SIGSEGV.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>

#include "../graph/cli_support.hpp"
#include "engine/results/library.hpp"

namespace megabatch {
namespace {

using test::read_file;
using test::read_json;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;
using nlohmann::json;

// The engine fixture "flip" (vmirror solves it), as a Kaggle challenges file under several ids.
void write_kaggle(const fs::path& dir, const std::vector<std::string>& ids) {
  const json flip = json::parse(test::engine_tasks().front().second);
  json challenges = json::object(), solutions = json::object();
  for (const auto& id : ids) {
    json task = flip;
    json tests = json::array(), outputs = json::array();
    for (const auto& pair : flip["test"]) {
      tests.push_back({{"input", pair["input"]}});
      outputs.push_back(pair["output"]);
    }
    task["test"] = tests;
    challenges[id] = task;
    solutions[id] = outputs;
  }
  write_file(dir / "x_challenges.json", challenges.dump());
  write_file(dir / "x_solutions.json", solutions.dump());
}

const char* kVmirror = "def solve_flip(I):\n    O = vmirror(I)\n    return O\n";

TEST(HardeningOutputs, ALibraryFolderIsOnePathComponentForAnyTaskId) {
  EXPECT_EQ(library_folder("007bbfb7"), "solve_007bbfb7");  // tokpidjin's names are unchanged
  EXPECT_EQ(library_folder("a_B-9"), "solve_a_B-9");
  EXPECT_EQ(library_folder("../x"), "solve_%2E%2E%2Fx");
  EXPECT_EQ(library_folder("x\ny%"), "solve_x%0Ay%25");
  EXPECT_EQ(library_folder(""), "solve_");
  const std::string long_id(250, 'a');
  const std::string folder = library_folder(long_id);
  EXPECT_LE(folder.size(), 200u);
  EXPECT_EQ(folder.substr(0, 160), "solve_" + std::string(154, 'a'));
  EXPECT_NE(folder, library_folder(long_id + "b"));  // the md5 of the whole id tells them apart
  EXPECT_EQ(folder.find('/'), std::string::npos);
}

TEST(HardeningOutputs, ATaskIdCannotWriteOrDeleteOutsideTheOutputFolder) {
  TempDir dir;
  const fs::path beside = dir / "victim";  // where "../../victim" from out/solver_dir/ would land
  fs::create_directories(beside / "sub");
  write_file(beside / "keep.txt", "a user's file");
  write_file(dir / "p.py", kVmirror);
  write_kaggle(dir.path(), {"007bbfb7/../../victim", "../victim/sub", "/tmp/absolute"});
  for (int round = 0; round < 2; ++round) {  // the second run merges, and may evict, into the first's library
    auto r = run_args({"run", "--tasks", (dir / "x_challenges.json").string(), "--programs", (dir / "p.py").string(),
                       "--out", (dir / "out").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(beside / "keep.txt"), "a user's file");
  EXPECT_TRUE(fs::is_empty(beside / "sub"));
  std::size_t outside = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    outside += e.path().string().rfind((dir / "out").string(), 0) != 0 && e.path().filename() != "keep.txt" &&
               e.path().filename() != "sub" && e.path().filename() != "victim" &&
               e.path().extension() != ".json" && e.path().extension() != ".py";
  EXPECT_EQ(outside, 0u);
  EXPECT_TRUE(fs::is_directory(dir / "out/solver_dir/solve_007bbfb7%2F%2E%2E%2F%2E%2E%2Fvictim"));
  // The submission keeps every id as given: Kaggle's scorer matches them.
  const auto submission = read_json(dir / "out/submission.json");
  EXPECT_TRUE(submission.contains("007bbfb7/../../victim"));
  EXPECT_EQ(read_json(dir / "out/score.json")["score"], 1.0);
}

TEST(HardeningOutputs, ATaskIdTooLongForAFileNameStillGetsItsSubmission) {
  TempDir dir;
  const std::string long_id(250, 'f');
  write_file(dir / "p.py", kVmirror);
  write_kaggle(dir.path(), {long_id, "short"});
  auto r = run_args({"run", "--tasks", (dir / "x_challenges.json").string(), "--programs", (dir / "p.py").string(),
                     "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto submission = read_json(dir / "out/submission.json");
  ASSERT_TRUE(submission.contains(long_id));
  EXPECT_EQ(submission[long_id][0]["attempt_1"], json::parse("[[0, 1], [3, 2]]"));
  EXPECT_EQ(read_json(dir / "out/score.json")["solved_tasks"], 2);
  EXPECT_EQ(read_json(dir / "out/metrics.json")["solver_dir"]["tasks"], 2);
}

// A full disk, as RLIMIT_FSIZE makes one: a write past 4 KiB fails with EFBIG (SIGXFSZ ignored).
TEST(HardeningOutputs, AFullDiskStopsTheRunWithOneErrorAndResumeFinishesIt) {
  TempDir dir;
  std::vector<std::string> ids;
  for (int k = 0; k < 60; ++k) ids.push_back("flip" + std::to_string(100 + k));
  write_kaggle(dir.path(), ids);
  write_file(dir / "p.py", std::string(kVmirror) + "\ndef solve_other(I):\n    O = dmirror(dmirror(vmirror(I)))\n"
                                                   "    return O\n");
  const std::string run = std::string("'") + MEGABATCH_BINARY + "' run --threads 2 --tasks " +
                          test::quote(dir / "x_challenges.json") + " --programs " + test::quote(dir / "p.py") +
                          " --out " + test::quote(dir / "out") + " --set cache_dir=" + test::quote(dir / "cache");
  const std::string limited = "bash -c \"trap '' XFSZ; ulimit -f 4; exec " + run + "\" >" + test::quote(dir / "o") +
                              " 2>" + test::quote(dir / "e");
  const int status = std::system(limited.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string err = read_file(dir / "e");
  EXPECT_NE(err.find("run stopped: "), std::string::npos) << err;
  EXPECT_NE(err.find("results.jsonl: write failed: File too large"), std::string::npos) << err;
  EXPECT_NE(err.find("--resume goes on from there"), std::string::npos) << err;
  std::size_t errors = 0;
  for (std::size_t at = err.find("[error]"); at != std::string::npos; at = err.find("[error]", at + 1)) ++errors;
  // one line says it all, and one more that the result cache could not be written either
  EXPECT_EQ(errors, 2u) << err;
  EXPECT_NE(err.find("[error] cache lmdb:" + (dir / "cache").string() + ": "), std::string::npos) << err;
  EXPECT_NE(err.find("File too large; the run goes on without the cache"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir / "out/submission.json"));

  auto resumed = run_args({"run", "--threads", "2", "--tasks", (dir / "x_challenges.json").string(), "--programs",
                           (dir / "p.py").string(), "--out", (dir / "out").string(), "--resume"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  auto whole = run_args({"run", "--threads", "2", "--tasks", (dir / "x_challenges.json").string(), "--programs",
                         (dir / "p.py").string(), "--out", (dir / "whole").string()});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  for (const char* file : {"results.jsonl", "submission.json", "score.json"})
    EXPECT_EQ(read_file(dir / "out" / file), read_file(dir / "whole" / file)) << file;
}

}  // namespace
}  // namespace megabatch
