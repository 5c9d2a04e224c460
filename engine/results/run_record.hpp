// What a run folder is a run of: the tasks, the programs and the settings that decide its outputs,
// as fingerprints. A run writes it to run.json at its start; --resume continues a folder only when
// its run.json describes the same run, so a folder holding another run's journal is never taken for
// this one's (its "400 tasks already done" would silently score another run).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/program/dag.hpp"
#include "engine/task.hpp"

namespace megabatch {

struct RunRecord {
  std::size_t task_count = 0, program_count = 0;
  std::string tasks_md5;     // ids and every grid, in load order
  std::string programs_md5;  // names, dialects, parameters and every line's expression, in load order
  std::map<std::string, std::string> settings;  // every setting that can change results.jsonl

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
