// Writing tokpidjin's library layout: solver_md5/<md5>.py files and solver_dir/solve_<task>/<score>/
// <t_log>/<md5>.py links, merged by check_save's rule (engine/results/library.hpp). One library root
// may be shared by many runs at once (8 instances on a server, the shards of `megabatch merge`): a
// merge holds an exclusive lock on ROOT/.megabatch-library.lock from reading a task's entries to
// writing them, so no merge loses another's entries. A merge killed midway leaves no half-written
// file or link (both are made under a temporary name and renamed) and at worst a program in two
// places of one task, which the next merge of that task resolves.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/results/library.hpp"

namespace megabatch::graph {

// A task's candidates for its library folder.
struct TaskCandidates {
  std::string task_id;
  std::vector<LibraryEntry> entries;
};

struct LibraryMerge {
  std::size_t added = 0, evicted = 0, tasks = 0;  // tasks whose folder changed
  std::size_t failed = 0;                          // tasks not merged (each logged)
  std::size_t files = 0;                           // solver_md5/ files this merge wrote or found
};

// Merges into ROOT/solver_dir and ROOT/solver_md5 under ROOT's lock. `text(md5)` gives a program's
// solver_md5 file, asked only for files the library does not have. One task failing (a full disk) is
// logged and counted, and the others are still merged.
LibraryMerge merge_library(const std::filesystem::path& root, const std::vector<TaskCandidates>& tasks,
                           const std::function<std::string(const std::string& md5)>& text, std::size_t max_per_task = 32);

// tokpidjin's `run_card.sh -b`: removes ROOT/solver_md5/<md5>.py files that no link under ROOT/solver_dir
// names (what evictions left behind), under ROOT's lock. Other files there are kept. Returns how many went.
std::size_t remove_unlinked(const std::filesystem::path& root);

// What ROOT/solver_dir/<folder> holds: entries whose program is in ROOT/solver_md5.
std::vector<LibraryEntry> library_entries(const std::filesystem::path& task_dir, const std::filesystem::path& md5_dir);

// Holds ROOT/.megabatch-library.lock exclusively for its lifetime, waiting (and saying so once) while
// another process holds it; the kernel frees it when a holder dies.
class LibraryLock {
 public:
  explicit LibraryLock(const std::filesystem::path& root);
  ~LibraryLock();
  LibraryLock(const LibraryLock&) = delete;
  LibraryLock& operator=(const LibraryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace megabatch::graph
