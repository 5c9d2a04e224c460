// `megabatch merge --out DIR SHARD_OUT...`: the shards of a run (`run --shard K/N`) made into one run's
// outputs, equal byte for byte to a one-machine run (graph/shard_merge.hpp).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "graph/shard_merge.hpp"

namespace megabatch::app {
namespace {

struct MergeOptions {
  std::string out;
  std::string library;
  std::vector<std::string> shards;
};

int merge_command(const MergeOptions& o) {
  std::vector<std::filesystem::path> shards(o.shards.begin(), o.shards.end());
  const graph::ShardMergeSummary s = graph::merge_shards(o.out, shards, o.library);
  std::printf("merged %zu shards: %zu tasks, %zu result lines\n", s.shards, s.tasks, s.result_lines);
  std::printf("solver_dir: %zu added, %zu evicted over %zu tasks\n", s.library.added, s.library.evicted, s.library.tasks);
  if (s.scored)
    std::printf("solved %zu/%zu tasks, %zu/%zu test outputs (score %.4f)\n", s.solved_tasks, s.tasks,
                s.correct_outputs, s.test_outputs, s.test_outputs ? double(s.correct_outputs) / s.test_outputs : 0.0);
  std::printf("outputs in %s\n", o.out.c_str());
  return s.library.failed ? kExitFailure : kExitOk;
}

const Registrar registrar{"merge", 45, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto o = std::make_shared<MergeOptions>();
  auto* cmd = app.add_subcommand("merge", "Merge the outputs of a run's shards (run --shard K/N) into one run's");
  cmd->add_option("--out", o->out, "the merged run's folder")->required();
  cmd->add_option("--library", o->library, "folder of the solver_dir/ and solver_md5/ to merge into (default: --out)");
  cmd->add_option("shards", o->shards, "the shards' run folders, every shard once")->required();
  return [o] { return merge_command(*o); };
}};

}  // namespace
}  // namespace megabatch::app
