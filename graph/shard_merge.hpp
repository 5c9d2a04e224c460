// `megabatch merge`: the outputs of a run's shards (`run --shard K/N`, on as many machines as there
// are shards) made into the outputs of one run. results.jsonl, run.json, submission.json, score.json,
// solver_md5/ and solver_dir/ are byte for byte what one machine running every task writes;
// metrics.json adds the shards' counts up (its timings are theirs, not one run's).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <stdexcept>
#include <vector>

#include "graph/library_writer.hpp"

namespace megabatch::graph {

struct ShardMergeSummary {
  std::size_t shards = 0, tasks = 0, result_lines = 0;
  bool scored = false;
  std::size_t solved_tasks = 0, test_outputs = 0, correct_outputs = 0;
  LibraryMerge library;
};

// Why the run folder `dir` is not a finished shard (no run.json, not a shard, tasks left), or nothing.
std::optional<std::string> unfinished_shard(const std::filesystem::path& dir);

// Merges `shards` (run folders) into `out`; the library goes to `library` (empty: `out`). Throws
// std::runtime_error naming the folder when the shards are not every shard of one finished run.
ShardMergeSummary merge_shards(const std::filesystem::path& out, const std::vector<std::filesystem::path>& shards,
                               const std::filesystem::path& library = {});

}  // namespace megabatch::graph
