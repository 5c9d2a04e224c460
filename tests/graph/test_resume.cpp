// `megabatch run --resume` after SIGKILL: whenever the run was killed (before anything was written, after some
// tasks, with a torn journal tail, or after it finished), resuming ends with exactly the outputs of an
// uninterrupted run: results.jsonl, submission.json and score.json byte for byte, the same solver_md5/ files and
// the same solver_dir/ links.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <random>

#include "cli_support.hpp"
#include "engine/task_io.hpp"
#include "engine_support.hpp"

namespace megabatch {
namespace {

using test::Child;
using test::count_lines;
using test::read_file;
using test::TempDir;
using test::tree;
namespace fs = std::filesystem;

// The run to interrupt: the first 100 ARC training tasks (beside the checkout) with configs/programs, else
// 150 generated tasks with the same programs; one thread, so it lasts long enough (a few tenths of a second)
// for the kills at progress points to land well before the end.
struct Corpus {
  std::unique_ptr<TempDir> dir;
  fs::path tasks, programs;
  std::size_t task_count = 0;
};

Corpus make_corpus() {
  Corpus c;
  c.dir = std::make_unique<TempDir>();
  c.tasks = *c.dir / "tasks";
  fs::create_directories(c.tasks);
  c.programs = test::source_dir() / "configs/programs";
  if (fs::is_directory(test::training_dir())) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(test::training_dir()))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    files.resize(std::min<std::size_t>(files.size(), 100));
    for (const auto& f : files) fs::create_symlink(fs::canonical(f), c.tasks / f.filename());
    c.task_count = files.size();
  } else {
    // Larger grids than the engine tests' so the graph, not the output files, takes most of the run; one task
    // in five follows a rule (configs/programs solve some of those), the others map to random grids.
    std::mt19937 rng(17);
    for (int k = 0; k < 150; ++k) {
      const auto rule = graph::test::kRules[k % 6];
      auto output = [&](const Grid& in) {
        return k % 5 == 0 ? graph::test::apply_rule(rule, in) : graph::test::random_grid(rng, 6, 14);
      };
      Task t;
      t.id = graph::test::numbered("g", 1000 + k);
      for (int s = 0; s < 2 + k % 3; ++s) {
        Grid in = graph::test::random_grid(rng, 6, 14);
        t.train.push_back({in, output(in)});
      }
      for (int s = 0; s < 1 + k % 2; ++s) {
        Grid in = graph::test::random_grid(rng, 6, 14);
        t.test.push_back({in, output(in)});
      }
      write_task_file(c.tasks / (t.id + ".json"), t);
    }
    c.task_count = 150;
  }
  return c;
}

std::vector<std::string> run_args(const Corpus& c, const fs::path& out, bool resume) {
  std::vector<std::string> args = {"--log-level", "info", "run",  "--tasks", c.tasks.string(), "--programs",
                                   c.programs.string(), "--out", out.string(), "--threads", "1",
                                   // no result cache: a warm one would end a run before a kill lands
                                   "--set", "cache=off"};
  if (resume) args.push_back("--resume");
  return args;
}

// The first difference between two texts, as "line N: A | B" (or nothing when equal).
std::string first_difference(const std::string& a, const std::string& b) {
  if (a == b) return {};
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int n = 1;; ++n) {
    bool ga = static_cast<bool>(std::getline(x, la)), gb = static_cast<bool>(std::getline(y, lb));
    if (!ga && !gb) return "differ in the final newline";
    if (la != lb || ga != gb)
      return "line " + std::to_string(n) + ": " + (ga ? la : "<end>") + " | " + (gb ? lb : "<end>");
  }
}

std::string tree_difference(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  for (const auto& [path, what] : a) {
    auto it = b.find(path);
    if (it == b.end()) return path + " missing after resume";
    if (it->second != what) return path + ": " + what.substr(0, 200) + " | " + it->second.substr(0, 200);
  }
  for (const auto& [path, what] : b)
    if (!a.count(path)) return path + " only after resume";
  return {};
}

class ResumeAfterKill : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus(make_corpus());
    reference_ = new TempDir();
    auto r = test::run_args(run_args(*corpus_, reference_->path() / "out", false));
    reference_exit_ = r.exit_code;
    reference_err_ = r.err;
  }
  static void TearDownTestSuite() {
    delete reference_;
    delete corpus_;
    reference_ = nullptr;
    corpus_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(reference_exit_ == 0 || reference_exit_ == 1) << "exit " << reference_exit_ << "\n" << reference_err_;
    ASSERT_TRUE(fs::exists(reference() / "submission.json")) << reference_err_;
  }

  static fs::path reference() { return reference_->path() / "out"; }

  // Starts a run into `out`, SIGKILLs it once `ready` holds (polled every half millisecond); true when the kill
  // landed before the run ended on its own.
  template <class Ready>
  bool run_and_kill(const fs::path& out, Ready ready) {
    TempDir logs;
    Child child(run_args(*corpus_, out, false), logs / "out", logs / "err");
    while (child.running()) {
      if (ready()) {
        child.kill_now();
        int status = child.wait();
        return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return false;
  }

  // `--resume` into `out`, then the outputs must equal the reference's. Returns the resumed run's stderr.
  std::string resume_and_compare(const fs::path& out, const std::string& label) {
    auto r = test::run_args(run_args(*corpus_, out, true));
    EXPECT_EQ(r.exit_code, reference_exit_) << label << "\n" << r.err;
    for (const char* file : {"results.jsonl", "submission.json", "score.json"}) {
      EXPECT_TRUE(fs::exists(out / file)) << label << ": " << file;
      EXPECT_EQ(first_difference(read_file(reference() / file), read_file(out / file)), "") << label << ": " << file;
    }
    EXPECT_EQ(tree_difference(tree(reference() / "solver_dir"), tree(out / "solver_dir")), "") << label;
    EXPECT_EQ(tree_difference(tree(reference() / "solver_md5"), tree(out / "solver_md5")), "") << label;
    EXPECT_EQ(count_lines(out / "progress.jsonl"), corpus_->task_count) << label;
    return r.err;
  }

  static inline Corpus* corpus_ = nullptr;
  static inline TempDir* reference_ = nullptr;
  static inline int reference_exit_ = -1;
  static inline std::string reference_err_;
};

TEST_F(ResumeAfterKill, ReferenceRunIsDeterministic) {
  // The comparisons below mean something only if two uninterrupted runs agree byte for byte.
  TempDir dir;
  auto r = test::run_args(run_args(*corpus_, dir / "out", false));
  EXPECT_EQ(r.exit_code, reference_exit_) << r.err;
  for (const char* file : {"results.jsonl", "submission.json", "score.json"})
    EXPECT_EQ(first_difference(read_file(reference() / file), read_file(dir / "out" / file)), "") << file;
  EXPECT_EQ(tree_difference(tree(reference() / "solver_dir"), tree(dir / "out/solver_dir")), "");
  EXPECT_FALSE(tree(reference() / "solver_dir").empty()) << "the corpus solves nothing: the comparison is vacuous";
}

TEST_F(ResumeAfterKill, KilledAfterSomeTasksResumesToTheUninterruptedOutputs) {
  const std::size_t n = corpus_->task_count;
  int interrupted = 0;
  for (std::size_t point : {std::size_t{1}, n / 3, 2 * n / 3}) {
    const std::string label = "killed after " + std::to_string(point) + " tasks";
    TempDir dir;
    const fs::path out = dir / "out";
    const bool killed = run_and_kill(out, [&] { return count_lines(out / "progress.jsonl") >= point; });
    if (killed) {
      ++interrupted;
      EXPECT_GE(count_lines(out / "progress.jsonl"), point) << label;
      EXPECT_FALSE(fs::exists(out / "submission.json")) << label;
    }
    const std::size_t done = count_lines(out / "progress.jsonl");
    std::string err = resume_and_compare(out, label);
    const std::string expected =
        "resume: " + std::to_string(done) + " tasks already done, " + std::to_string(n - done) + " to run";
    EXPECT_NE(err.find(expected), std::string::npos)
        << label << "\n" << err;
    EXPECT_EQ(test::read_json(out / "metrics.json")["resumed_tasks"], done) << label;
  }
  // The run lasts long enough for the kills to land; if none did, nothing above was a resume.
  EXPECT_GT(interrupted, 0);
}

TEST_F(ResumeAfterKill, KilledBeforeAnyTaskFinishedResumes) {
  TempDir dir;
  const fs::path out = dir / "out";
  // Killed as soon as the journal exists: no task has finished yet (or hardly any).
  run_and_kill(out, [&] { return fs::exists(out / "results.jsonl"); });
  resume_and_compare(out, "killed at the journal's creation");
}

TEST_F(ResumeAfterKill, NothingWrittenYetResumesFromScratch) {
  TempDir dir;
  resume_and_compare(dir / "never-created", "no output folder");
  const fs::path out = dir / "empty";
  fs::create_directories(out);
  test::write_file(out / "results.jsonl", "");
  test::write_file(out / "progress.jsonl", "");
  std::string err = resume_and_compare(out, "empty journal");
  EXPECT_NE(err.find("resume: 0 tasks already done"), std::string::npos) << err;
}

TEST_F(ResumeAfterKill, TornJournalTailsAreCutBack) {
  TempDir dir;
  const fs::path out = dir / "out";
  run_and_kill(out, [&] { return count_lines(out / "progress.jsonl") >= corpus_->task_count / 2; });
  const std::size_t done = count_lines(out / "progress.jsonl");
  // A kill inside a write: half a results line past the last recorded length and a progress line without newline.
  {
    std::ofstream results(out / "results.jsonl", std::ios::app | std::ios::binary);
    results << R"({"program": "solve_half_written", "md5": "0123)";
    std::ofstream progress(out / "progress.jsonl", std::ios::app | std::ios::binary);
    progress << R"({"task": "never_fini)";
  }
  std::string err = resume_and_compare(out, "torn tails");
  EXPECT_NE(err.find("resume: " + std::to_string(done) + " tasks already done"), std::string::npos) << err;
}

TEST_F(ResumeAfterKill, ResumingAFinishedRunChangesNothing) {
  TempDir dir;
  const fs::path out = dir / "out";
  fs::copy(reference(), out, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::string err = resume_and_compare(out, "finished run");
  EXPECT_NE(err.find("resume: " + std::to_string(corpus_->task_count) + " tasks already done, 0 to run"),
            std::string::npos)
      << err;
  EXPECT_EQ(test::read_json(out / "metrics.json")["evaluations"], 0);
}

// A run into an existing library (a tokpidjin root: solver_dir/ and solver_md5/) merges into its solver_dir;
// killed and resumed, it ends with the library an uninterrupted merge gives.
TEST_F(ResumeAfterKill, AMergeIntoAnExistingLibraryKilledAndResumedEqualsAnUninterruptedMerge) {
  TempDir dir;
  // The library: an earlier run of one program file.
  std::vector<std::string> first = run_args(*corpus_, dir / "root", false);
  for (std::size_t k = 0; k + 1 < first.size(); ++k)
    if (first[k] == "--programs") first[k + 1] = (test::source_dir() / "configs/programs/transforms.py").string();
  auto made = test::run_args(first);
  ASSERT_TRUE(made.exit_code == 0 || made.exit_code == 1) << made.err;
  const auto library = tree(dir / "root/solver_dir");
  ASSERT_FALSE(library.empty()) << "the first run kept nothing: the merge would be vacuous";
  // What a tokpidjin root holds: the library only.
  for (const auto& e : fs::directory_iterator(dir / "root"))
    if (e.path().filename() != "solver_dir" && e.path().filename() != "solver_md5") fs::remove_all(e.path());

  const fs::path whole = dir / "whole", killed = dir / "killed";
  for (const fs::path& to : {whole, killed})
    fs::copy(dir / "root", to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  auto r = test::run_args(run_args(*corpus_, whole, false));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  EXPECT_NE(r.out.find("solver_dir: "), std::string::npos) << r.out;

  const bool interrupted =
      run_and_kill(killed, [&] { return count_lines(killed / "progress.jsonl") >= corpus_->task_count / 3; });
  auto resumed = test::run_args(run_args(*corpus_, killed, true));
  EXPECT_EQ(resumed.exit_code, r.exit_code) << resumed.err;
  if (interrupted) {
    EXPECT_NE(resumed.err.find(" tasks already done, "), std::string::npos) << resumed.err;
  }
  EXPECT_EQ(tree_difference(tree(whole / "solver_dir"), tree(killed / "solver_dir")), "");
  EXPECT_EQ(tree_difference(tree(whole / "solver_md5"), tree(killed / "solver_md5")), "");
  for (const char* file : {"results.jsonl", "submission.json"})
    EXPECT_EQ(first_difference(read_file(whole / file), read_file(killed / file)), "") << file;
  // The merge kept the library's entries that the new programs do not outrank.
  std::size_t kept = 0;
  const auto merged = tree(whole / "solver_dir");
  for (const auto& [path, what] : library) kept += merged.count(path);
  EXPECT_GT(kept, 0u);
}

}  // namespace
}  // namespace megabatch
