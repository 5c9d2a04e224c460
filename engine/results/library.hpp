// tokpidjin's solver library rule (run_batt.py's check_save): each task keeps its best programs,
// at most 32 of them, in solver_dir/solve_<task>/<score>/<t_log>/<md5>.py. A program with a lower
// score goes before one with a higher; of equal scores the slower (lower t_log) goes first; a
// candidate worse than everything kept is refused. megabatch makes that a total order (the md5
// breaks the last ties, one entry per md5) so that merging a run into a library gives one answer
// whatever order the candidates arrive in and however often it is repeated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace megabatch {

struct LibraryEntry {
  std::string md5;
  std::int64_t score = 0;  // 1000 per matched sample
  int t_log = 10;          // tokpidjin's speed bucket: higher is faster
  friend bool operator==(const LibraryEntry&, const LibraryEntry&) = default;
};

// Whether `a` is kept before `b`: higher score, then higher t_log, then smaller md5.
bool better_entry(const LibraryEntry& a, const LibraryEntry& b);

struct LibraryPlan {
  std::vector<LibraryEntry> kept;     // the task's entries after the merge, best first
  std::vector<LibraryEntry> added;    // kept entries the task did not have (a new place counts as new)
  std::vector<LibraryEntry> evicted;  // entries the task had and loses
};

// The folder of a task's entries: solve_<task id>, as tokpidjin names it. A task id comes from input
// (a Kaggle key can be anything), so every byte but ASCII letters, digits, '_' and '-' is written %XX,
// and a name past 200 bytes keeps its first 160 and ends in '~' and the md5 of the id: the result is
// always one path component that the filesystem takes, and distinct ids get distinct folders.
std::string library_folder(const std::string& task_id);

// One task's merge: the best `max_entries` of existing and candidates, one entry per md5.
LibraryPlan plan_library(const std::vector<LibraryEntry>& existing, const std::vector<LibraryEntry>& candidates,
                         std::size_t max_entries = 32);

}  // namespace megabatch
