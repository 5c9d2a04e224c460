// What a run folder is a run of: the tasks, the programs and the settings that decide its outputs,
// as fingerprints. A run writes it to run.json at its start; --resume continues a folder only when
// its run.json describes the same run, so a folder holding another run's journal is never taken for
// this one's (its "400 tasks already done" would silently score another run).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/program/dag.hpp"
#include "engine/task.hpp"

namespace megabatch {

// A shard of a run (`--shard K/N`): tasks K, K+N, K+2N, ... of the run's task list (counting from
// 0), listed by id so that `megabatch merge` can put the shards' results back in the run's order.
struct ShardInfo {
  std::size_t index = 0, count = 1;
  std::vector<std::string> task_ids;  // this shard's, in run order
  friend bool operator==(const ShardInfo&, const ShardInfo&) = default;
};

// Which of `task_count` tasks (by position) shard `index` of `count` runs.
inline bool in_shard(std::size_t position, std::size_t index, std::size_t count) { return position % count == index; }

struct RunRecord {
  // The whole run's tasks, also in a shard's record: every shard of a run describes the same run.
  std::size_t task_count = 0, program_count = 0;
  std::string tasks_md5;     // ids and every grid, in load order
  std::string programs_md5;  // names, dialects, parameters and every line's expression, in load order
  std::map<std::string, std::string> settings;  // every setting that can change results.jsonl
  std::optional<ShardInfo> shard;               // set in a shard's run folder

  nlohmann::ordered_json to_json() const;
  // Throws std::runtime_error on a file that is not a run record.
  static RunRecord from_json(const nlohmann::json& j);
  // How `earlier` is a run of something else, for a user ("other tasks: 40, not 400"); empty when
  // it is a run of the same tasks, programs and settings.
  std::string difference_from(const RunRecord& earlier) const;
};

RunRecord describe_run(const std::vector<Task>& tasks, const program::Dag& dag,
                       std::map<std::string, std::string> settings);

}  // namespace megabatch
