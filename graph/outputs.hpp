// The serial sinks of a run: results.jsonl (a crash-safe journal while running), solver_md5/ and
// solver_dir/ in tokpidjin's layout, submission.json, score.json and metrics.json. What to keep,
// rank and score is the domain's (engine/results/); this file writes it.
//
// solver_dir/ and solver_md5/ accumulate, as tokpidjin's do across runs: a run merges its passing
// programs into what --out already holds by tokpidjin's check_save rule (engine/results/library.hpp)
// unless OutputOptions::fresh starts them empty.
//
// Crash safety: each finished task appends its results lines with one write(2), then one line to
// progress.jsonl giving the journal's length. SIGKILL cannot lose written data, so --resume trusts
// every complete progress line, cuts results.jsonl back to the last recorded length and skips the
// tasks already done. Final files are written to a temporary name and renamed into place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/program/inline.hpp"
#include "engine/results/run_record.hpp"
#include "engine/results/scoring.hpp"
#include "engine/task_io.hpp"
#include "graph/engine.hpp"

namespace megabatch::graph {

// The output folder is held by another live run (its .megabatch.lock): nothing was written.
class FolderInUse : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputOptions {
  std::filesystem::path out_dir = "out";
  // Where solver_dir/ and solver_md5/ live; empty: in out_dir. Many runs may share one (its lock).
  std::filesystem::path library_dir;
  RunRecord record;                  // what this run is a run of: written to run.json, checked by --resume
  bool own = false;                  // write every (program, task) pair, not only those that match
  bool resume = false;
  bool fresh = false;                // start the library's solver_dir/ and solver_md5/ empty instead of merging into them
  std::uint64_t max_inline_chars = 1'000'000;
  std::size_t max_solvers_per_task = 32;  // tokpidjin's check_save limit
  // A pair's score (results.jsonl, solver_dir/<score>/): 1000 per matched demo, plus 1000 per matched
  // test output when true (tokpidjin's rule); `megabatch search` turns it off.
  bool score_with_test = true;
  // The engine folded pairs by state (EngineOptions::dedupe_states): each line says how many it stands for.
  bool dedupe_states = false;
};

// What a run ended with (also printed by the CLI).
struct RunSummary {
  std::size_t tasks = 0, solved_tasks = 0, test_outputs = 0, correct_outputs = 0;
  bool scored = false;  // test outputs were known
  std::size_t passing_pairs = 0, result_lines = 0, solver_files = 0, resumed_tasks = 0;
  std::size_t inline_refused = 0;
  std::size_t library_added = 0, library_evicted = 0, library_tasks = 0;  // the solver_dir merge
  std::size_t library_failed = 0;  // tasks whose merge failed (each logged): the run exits 1
  std::map<std::string, bool> per_task;
};

class RunWriter final : public TaskSink {
 public:
  RunWriter(const RunContext& context, OutputOptions options);
  ~RunWriter() override;
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Tasks (indices into the context's tasks) that a resumed run already finished.
  const std::set<std::uint32_t>& completed() const { return completed_; }

  void on_task(TaskResult&& result) override;

  // Writes the final files; `metrics` go to metrics.json.
  RunSummary finalize(const EngineMetrics& metrics, double load_seconds);

  // tokpidjin's speed bucket: 11 - int(ln(seconds)), seconds estimated from work units at 1 us each.
  static int t_log(std::int64_t cost_units);

 private:
  struct Inlined {
    program::InlineStatus status = program::InlineStatus::Ok;
    std::string md5;
    std::uint64_t chars = 0;
  };
  struct Line {  // one results.jsonl entry, as kept for the final files
    std::uint32_t task = 0, program = 0;
    bool pass = false;
    std::size_t score = 0;
    int t_log = 10;
    std::vector<std::optional<Grid>> predictions;
    std::string json;
  };

  const Inlined& inlined(std::uint32_t program);
  void check_resumable() const;
  void recover();
  void write_all(int fd, const char* name, const std::string& data);

 public:
  // An exclusive flock on OUT/.megabatch.lock for the writer's life: a second run on the same folder
  // is refused (saying which process holds it) instead of interleaving with this one. The kernel
  // drops the lock when the process dies, SIGKILL included. `megabatch merge` holds one too.
  class FolderLock {
   public:
    explicit FolderLock(const std::filesystem::path& folder);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

   private:
    int fd_ = -1;
  };

 private:
  const RunContext& context_;
  OutputOptions options_;
  std::unique_ptr<FolderLock> lock_;
  program::Inliner inliner_;
  std::map<std::uint32_t, Inlined> inline_cache_;
  std::map<std::string, std::uint32_t> program_by_name_;
  std::map<std::string, std::uint32_t> task_by_id_;
  std::vector<Line> lines_;
  std::set<std::uint32_t> completed_;
  std::uint64_t journal_bytes_ = 0;
  int results_fd_ = -1, progress_fd_ = -1;
  std::size_t resumed_ = 0;
};

// Writes `text` to `file` atomically (temporary file, then rename).
void write_file_atomic(const std::filesystem::path& file, const std::string& text);

// score.json's text for a scored submission.
std::string score_json_text(const SubmissionScore& scored);

}  // namespace megabatch::graph
