#include "graph/shard_merge.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "engine/input_files.hpp"
#include "engine/results/run_record.hpp"
#include "engine/results/scoring.hpp"
#include "engine/task_io.hpp"
#include "engine/text.hpp"
#include "graph/outputs.hpp"

namespace megabatch::graph {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

struct Shard {
  fs::path dir;
  RunRecord record;
  std::map<std::string, std::string> lines;  // task id -> its results.jsonl lines
};

[[noreturn]] void refuse(const fs::path& dir, const std::string& why) {
  throw std::runtime_error("merge: " + dir.string() + ": " + why);
}

std::string read_whole(const fs::path& file) { return read_input_file(file, std::uint64_t{8} << 30); }

Shard load_shard(const fs::path& dir) {
  Shard s;
  s.dir = dir;
  if (!fs::is_directory(dir)) refuse(dir, "not a folder");
  if (!fs::exists(dir / "run.json")) refuse(dir, "no run.json: not a megabatch run folder");
  try {
    s.record = RunRecord::from_json(json::parse(read_whole(dir / "run.json")));
  } catch (const std::exception& e) {
    refuse(dir, "run.json: " + printable(e.what()));
  }
  if (!s.record.shard) refuse(dir, "not a shard (run with --shard K/N)");
  // Finished: every one of its tasks journaled, and the final files written.
  std::set<std::string> done;
  {
    std::istringstream progress(fs::exists(dir / "progress.jsonl") ? read_whole(dir / "progress.jsonl") : "");
    for (std::string line; std::getline(progress, line);) {
      try {
        done.insert(json::parse(line).at("task").get<std::string>());
      } catch (const std::exception&) {
      }
    }
  }
  const auto& ids = s.record.shard->task_ids;
  const std::size_t missing = std::count_if(ids.begin(), ids.end(), [&](const std::string& id) { return !done.count(id); });
  // metrics.json is the last file a run writes: without it the run stopped in its final writes
  // (a library half merged), and with failed library tasks the shard's library is incomplete.
  bool finished = false;
  try {
    const json m = json::parse(read_whole(dir / "metrics.json"));
    finished = m.at("solver_dir").value("failed", 0) == 0;
  } catch (const std::exception&) {
  }
  if (missing > 0 || !fs::exists(dir / "submission.json") || !finished)
    refuse(dir, "not finished (" +
                    (missing > 0 ? std::to_string(ids.size() - missing) + " of " + std::to_string(ids.size()) + " tasks done"
                                 : std::string("its last files were not all written, or its library not all merged")) +
                    "): finish it with `megabatch run ... --shard " + std::to_string(s.record.shard->index) + "/" +
                    std::to_string(s.record.shard->count) + " --resume`");
  std::istringstream results(read_whole(dir / "results.jsonl"));
  for (std::string line; std::getline(results, line);) {
    if (line.empty()) continue;
    std::string task;
    try {
      task = json::parse(line).at("task").get<std::string>();
    } catch (const std::exception&) {
      refuse(dir, "results.jsonl: a line that is not a result");
    }
    s.lines[task] += line + "\n";
  }
  return s;
}

}  // namespace

std::optional<std::string> unfinished_shard(const fs::path& dir) {
  try {
    load_shard(dir);
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

ShardMergeSummary merge_shards(const fs::path& out, const std::vector<fs::path>& dirs, const fs::path& library) {
  if (dirs.empty()) throw std::runtime_error("merge: no shard folders given");
  std::vector<Shard> shards;
  for (const auto& d : dirs) shards.push_back(load_shard(d));
  // One run: the same tasks, programs and settings, each shard of it once.
  const std::size_t count = shards[0].record.shard->count;
  std::vector<const Shard*> by_index(count, nullptr);
  for (const Shard& s : shards) {
    RunRecord a = s.record, b = shards[0].record;
    a.shard.reset();
    b.shard.reset();
    if (std::string diff = a.difference_from(b); !diff.empty())
      refuse(s.dir, "a shard of another run than " + shards[0].dir.string() + ": " + diff);
    if (s.record.shard->count != count)
      refuse(s.dir, "one of " + std::to_string(s.record.shard->count) + " shards, not of " + std::to_string(count));
    const Shard*& slot = by_index[s.record.shard->index];
    if (slot) refuse(s.dir, "shard " + std::to_string(s.record.shard->index) + " again (also " + slot->dir.string() + ")");
    slot = &s;
  }
  for (std::size_t k = 0; k < count; ++k)
    if (!by_index[k]) throw std::runtime_error("merge: shard " + std::to_string(k) + "/" + std::to_string(count) + " is missing");
  const std::size_t total = shards[0].record.task_count;
  std::size_t listed = 0;
  for (const Shard& s : shards) listed += s.record.shard->task_ids.size();
  if (listed != total) throw std::runtime_error("merge: the shards list " + std::to_string(listed) + " tasks, the run has " + std::to_string(total));

  fs::create_directories(out);
  RunWriter::FolderLock lock(out);
  ShardMergeSummary summary;
  summary.shards = count;
  summary.tasks = total;

  // run.json: the whole run's record.
  RunRecord whole = shards[0].record;
  whole.shard.reset();
  write_file_atomic(out / "run.json", whole.to_json().dump(2) + "\n");

  // results.jsonl in the run's task order (position p is shard p % N's (p / N)-th task), and a journal
  // saying every task is done, so that --resume on the merged folder has nothing left to run.
  std::string results, progress;
  for (std::size_t p = 0; p < total; ++p) {
    const Shard& s = *by_index[p % count];
    const std::string& id = s.record.shard->task_ids.at(p / count);
    if (auto it = s.lines.find(id); it != s.lines.end()) {
      results += it->second;
      summary.result_lines += static_cast<std::size_t>(std::count(it->second.begin(), it->second.end(), '\n'));
    }
    ordered_json line;
    line["task"] = id;
    line["results_bytes"] = results.size();
    progress += line.dump() + "\n";
  }
  write_file_atomic(out / "results.jsonl", results);
  write_file_atomic(out / "progress.jsonl", progress);

  // submission.json: the shards' tasks are disjoint, so it is their union.
  Submission submission;
  for (const Shard& s : shards)
    for (auto& [id, attempts] : read_submission(s.dir / "submission.json")) submission[id] = std::move(attempts);
  {
    const fs::path tmp = out / "submission.json.tmp";
    write_submission(tmp, submission);
    fs::rename(tmp, out / "submission.json");
  }

  // score.json when any shard was scored (a shard is not when none of its tasks has test outputs, and
  // those tasks do not count in one run's score either): counts add up, the score follows from them.
  const bool scored = std::any_of(shards.begin(), shards.end(), [](const Shard& s) { return fs::exists(s.dir / "score.json"); });
  fs::remove(out / "score.json");
  if (scored) {
    SubmissionScore sum;
    for (const Shard& s : shards) {
      if (!fs::exists(s.dir / "score.json")) continue;
      const json j = json::parse(read_whole(s.dir / "score.json"));
      sum.tasks += j.at("tasks").get<std::size_t>();
      sum.solved_tasks += j.at("solved_tasks").get<std::size_t>();
      sum.test_outputs += j.at("test_outputs").get<std::size_t>();
      sum.correct_outputs += j.at("correct_outputs").get<std::size_t>();
      for (const auto& [id, ok] : j.at("per_task").items()) sum.per_task[id] = ok.get<bool>();
    }
    write_file_atomic(out / "score.json", score_json_text(sum));
    summary.scored = true;
    summary.solved_tasks = sum.solved_tasks;
    summary.test_outputs = sum.test_outputs;
    summary.correct_outputs = sum.correct_outputs;
  }

  // The library: each shard's kept entries of its own tasks, merged as one run would have.
  std::vector<TaskCandidates> candidates;
  std::map<std::string, fs::path> file_of;
  for (const Shard& s : shards) {
    const fs::path md5_dir = s.dir / "solver_md5";
    for (const std::string& id : s.record.shard->task_ids) {
      TaskCandidates c{id, library_entries(s.dir / "solver_dir" / library_folder(id), md5_dir)};
      for (const auto& e : c.entries) file_of.try_emplace(e.md5, md5_dir / (e.md5 + ".py"));
      if (!c.entries.empty()) candidates.push_back(std::move(c));
    }
  }
  summary.library = merge_library(library.empty() ? out : library, candidates,
                                  [&](const std::string& md5) { return read_whole(file_of.at(md5)); });

  // metrics.json: the shards' counts added up.
  ordered_json m;
  m["merged_shards"] = count;
  json sums = json::object();
  for (const Shard& s : shards) {
    json sm;
    try {
      sm = json::parse(read_whole(s.dir / "metrics.json"));
    } catch (const std::exception&) {
      continue;  // a shard without metrics adds nothing
    }
    for (const char* key : {"tasks", "samples", "evaluations", "skipped_by_waves", "errors", "budget_stops", "pruned",
                            "passing_pairs", "inline_refused"})
      if (sm.contains(key) && sm[key].is_number_unsigned()) sums[key] = sums.value(key, std::uint64_t{0}) + sm[key].get<std::uint64_t>();
  }
  for (const auto& [k, v] : sums.items()) m[k] = v;
  m["programs"] = whole.program_count;
  m["solver_dir"] = {{"added", summary.library.added}, {"evicted", summary.library.evicted}, {"tasks", summary.library.tasks}};
  write_file_atomic(out / "metrics.json", m.dump(2) + "\n");
  return summary;
}

}  // namespace megabatch::graph
