// The programs a search breeds from, bounded as tokpidjin's solver_dir is: per task the `per_task` best
// scoring programs on it (check_save's rule: a lower score makes way for a higher one, and one no better
// than all kept is refused), plus the seeds, which always stay. A program that no task keeps any more
// leaves the pool, so a search of hours holds a few thousand parents, not every candidate that scored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/search/generation.hpp"

namespace megabatch::search {

class ParentPool {
 public:
  explicit ParentPool(std::size_t per_task = 32) : per_task_(per_task) {}

  // A program of a generation (its results are offered next). Names are unique within a search.
  void add(program::Program program, bool seed);
  // Program `name` scored `score` (> 0) on `task`.
  void offer(const std::string& task, const std::string& name, std::int64_t score);
  // Drops programs that are neither seeds nor kept by a task. Call once a generation's offers are in.
  void prune();

  // The parents, in the order they were added, weighted by their best score.
  std::vector<PoolEntry> entries() const;
  std::size_t size() const { return programs_.size(); }

 private:
  struct Member {
    std::uint64_t order;
    program::Program program;
    bool seed;
    std::int64_t best = 0;
  };
  struct Kept {
    std::int64_t score;
    std::uint64_t order;  // among equal scores the older stays
    std::string name;
  };
  std::size_t per_task_;
  std::uint64_t next_ = 0;
  std::map<std::string, Member> programs_;
  std::map<std::string, std::vector<Kept>> tasks_;  // per task, best first
};

}  // namespace megabatch::search
