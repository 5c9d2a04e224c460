#include "graph/outputs.hpp"

#include "cpu/executor.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace megabatch::graph {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

void write_file_atomic(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write: " + std::strerror(errno));
    out << text;
    if (!out.flush()) throw std::runtime_error(tmp.string() + ": write failed");
  }
  fs::rename(tmp, file);
}

int RunWriter::t_log(std::int64_t cost_units) {
  if (cost_units <= 0) return 10;
  // int() in Python truncates toward zero, as the cast does.
  return 11 - static_cast<int>(std::log(static_cast<double>(cost_units) * 1e-6));
}

RunWriter::RunWriter(const RunContext& context, OutputOptions options)
    : context_(context), options_(std::move(options)), inliner_(context.dag->dag()) {
  const auto& programs = context_.dag->dag().programs();
  for (std::uint32_t p = 0; p < programs.size(); ++p) program_by_name_.emplace(programs[p].name, p);
  for (std::uint32_t t = 0; t < context_.tasks->size(); ++t) task_by_id_.emplace((*context_.tasks)[t].id, t);
  fs::create_directories(options_.out_dir);
  if (options_.resume) recover();
  else {
    // A fresh run owns every output: nothing of an earlier run in the same folder may survive it (finalize
    // only rewrites solver_dir/ entries of tasks with results, and score.json only when outputs are known).
    for (const char* name : {"results.jsonl", "progress.jsonl", "submission.json", "score.json", "metrics.json"})
      fs::remove(options_.out_dir / name);
    fs::remove_all(options_.out_dir / "solver_dir");
    fs::remove_all(options_.out_dir / "solver_md5");
  }
  auto open_append = [&](const char* name) {
    fs::path p = options_.out_dir / name;
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(p.string() + ": cannot open: " + std::strerror(errno));
    return fd;
  };
  results_fd_ = open_append("results.jsonl");
  progress_fd_ = open_append("progress.jsonl");
}

RunWriter::~RunWriter() {
  if (results_fd_ >= 0) ::close(results_fd_);
  if (progress_fd_ >= 0) ::close(progress_fd_);
}

void RunWriter::write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(options_.out_dir.string() + ": write failed: " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

const RunWriter::Inlined& RunWriter::inlined(std::uint32_t program) {
  auto it = inline_cache_.find(program);
  if (it != inline_cache_.end()) return it->second;
  program::InlineOptions opts;
  opts.max_chars = options_.max_inline_chars;
  auto r = inliner_.inline_program(program, opts);
  Inlined in{r.status, r.md5, r.chars};
  return inline_cache_.emplace(program, std::move(in)).first->second;
}

void RunWriter::recover() {
  const fs::path results = options_.out_dir / "results.jsonl";
  const fs::path progress = options_.out_dir / "progress.jsonl";
  std::uint64_t keep = 0, progress_keep = 0;
  if (fs::exists(progress)) {
    std::ifstream in(progress, std::ios::binary);
    std::string line;
    std::uint64_t offset = 0;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // no newline: a torn last line
      try {
        auto j = nlohmann::json::parse(line);
        auto t = task_by_id_.find(j.at("task").get<std::string>());
        if (t != task_by_id_.end()) completed_.insert(t->second);
        keep = j.at("results_bytes").get<std::uint64_t>();
      } catch (const std::exception&) {
        break;
      }
      offset += line.size() + 1;
      progress_keep = offset;
    }
  }
  if (keep > 0 && !fs::exists(results))
    throw std::runtime_error(results.string() + ": missing, but " + progress.string() + " records " +
                             std::to_string(completed_.size()) + " finished tasks; cannot resume (run without --resume)");
  if (fs::exists(progress)) fs::resize_file(progress, progress_keep);
  if (fs::exists(results)) {
    if (fs::file_size(results) < keep) throw std::runtime_error(results.string() + ": shorter than its journal says; cannot resume");
    fs::resize_file(results, keep);
    std::ifstream in(results, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line);
      auto t = task_by_id_.find(j.at("task").get<std::string>());
      auto p = program_by_name_.find(j.at("program").get<std::string>());
      if (t == task_by_id_.end() || p == program_by_name_.end()) continue;
      Line l;
      l.task = t->second;
      l.program = p->second;
      l.pass = j.at("pass").get<bool>();
      l.score = j.at("score").get<std::size_t>();
      l.t_log = j.at("t_log").get<int>();
      for (const auto& g : j.at("predictions")) {
        if (g.is_null()) l.predictions.emplace_back();
        else l.predictions.emplace_back(grid_from_json(g));
      }
      l.json = line;
      lines_.push_back(std::move(l));
    }
  }
  journal_bytes_ = keep;
  resumed_ = completed_.size();
}

void RunWriter::on_task(TaskResult&& result) {
  const Task& task = (*context_.tasks)[result.task];
  const auto& programs = context_.dag->dag().programs();
  std::string block;
  for (PairResult& pr : result.pairs) {
    if (!options_.own && pr.train_matches() == 0) continue;
    const Inlined& in = inlined(pr.program);
    Line l;
    l.task = result.task;
    l.program = pr.program;
    l.pass = pr.pass();
    l.score = 1000 * (pr.train_matches() + pr.test_matches());
    l.t_log = t_log(pr.cost);
    l.predictions = pr.predictions;
    ordered_json j;
    j["program"] = programs[pr.program].name;
    j["md5"] = in.status == program::InlineStatus::Ok ? ordered_json(in.md5) : ordered_json(nullptr);
    j["task"] = task.id;
    j["pass"] = l.pass;
    ordered_json train = ordered_json::array(), test = ordered_json::array(), preds = ordered_json::array();
    for (SampleStatus s : pr.train) train.push_back(to_string(s));
    for (SampleStatus s : pr.test) test.push_back(to_string(s));
    for (const auto& g : pr.predictions) preds.push_back(g ? grid_to_json(*g) : ordered_json(nullptr));
    j["train"] = std::move(train);
    j["test"] = std::move(test);
    j["predictions"] = std::move(preds);
    j["score"] = l.score;
    j["t_log"] = l.t_log;
    l.json = j.dump();
    block += l.json;
    block += '\n';
    lines_.push_back(std::move(l));
  }
  write_all(results_fd_, block);
  journal_bytes_ += block.size();
  ordered_json p;
  p["task"] = task.id;
  p["results_bytes"] = journal_bytes_;
  write_all(progress_fd_, p.dump() + "\n");
  completed_.insert(result.task);
}

namespace {

std::string grid_key(const Grid& g) { return grid_to_json(g).dump(); }

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

}  // namespace

RunSummary score_against(const Submission& submission, const Solutions& solutions) {
  RunSummary s;
  s.scored = !solutions.empty();
  for (const auto& [id, outputs] : solutions) {
    ++s.tasks;
    bool all = !outputs.empty();
    auto it = submission.find(id);
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      ++s.test_outputs;
      bool ok = it != submission.end() && k < it->second.size() &&
                (it->second[k].attempt_1 == outputs[k] || it->second[k].attempt_2 == outputs[k]);
      if (ok) ++s.correct_outputs;
      all = all && ok;
    }
    s.per_task[id] = all;
    if (all) ++s.solved_tasks;
  }
  return s;
}

RunSummary RunWriter::finalize(const EngineMetrics& metrics, double load_seconds) {
  const auto& tasks = *context_.tasks;
  const auto& dag = context_.dag->dag();
  RunSummary summary;
  summary.resumed_tasks = resumed_;

  // results.jsonl in a fixed order (task, then program), so resumed and uninterrupted runs agree.
  std::sort(lines_.begin(), lines_.end(), [](const Line& a, const Line& b) {
    return std::tie(a.task, a.program) < std::tie(b.task, b.program);
  });
  std::string all;
  for (const Line& l : lines_) all += l.json + "\n";
  write_file_atomic(options_.out_dir / "results.jsonl", all);
  summary.result_lines = lines_.size();

  // solver_md5/ and solver_dir/: per task the best programs by tokpidjin's rule (score, then speed).
  const fs::path md5_dir = options_.out_dir / "solver_md5", task_dir = options_.out_dir / "solver_dir";
  fs::create_directories(md5_dir);
  fs::create_directories(task_dir);
  std::set<std::string> written;
  std::map<std::uint32_t, std::vector<const Line*>> by_task;
  for (const Line& l : lines_) by_task[l.task].push_back(&l);
  for (auto& [task, task_lines] : by_task) {
    std::vector<std::pair<const Line*, std::string>> cands;
    std::set<std::string> seen;
    for (const Line* l : task_lines) {
      if (l->score == 0) continue;
      const Inlined& in = inlined(l->program);
      if (in.status != program::InlineStatus::Ok) continue;
      cands.emplace_back(l, in.md5);
    }
    std::sort(cands.begin(), cands.end(), [](const auto& a, const auto& b) {
      return std::make_tuple(-static_cast<long>(a.first->score), -a.first->t_log, a.second) <
             std::make_tuple(-static_cast<long>(b.first->score), -b.first->t_log, b.second);
    });
    std::size_t kept = 0;
    const fs::path dir = task_dir / ("solve_" + tasks[task].id);
    fs::remove_all(dir);
    for (const auto& [l, md5] : cands) {
      if (kept >= options_.max_solvers_per_task) break;
      if (!seen.insert(md5).second) continue;
      ++kept;
      const fs::path file = md5_dir / (md5 + ".py");
      if (written.insert(md5).second && !fs::exists(file))
        write_file_atomic(file, program::expanded_file_text(dag, l->program));
      const fs::path link_dir = dir / std::to_string(l->score) / std::to_string(l->t_log);
      fs::create_directories(link_dir);
      const fs::path link = link_dir / (md5 + ".py");
      fs::remove(link);
      fs::create_symlink(fs::path("../../../..") / "solver_md5" / (md5 + ".py"), link);
    }
  }
  summary.solver_files = written.size();

  // submission.json: per test input the two most frequent distinct predictions of passing programs,
  // ties to the shorter program (inlined length), then to the grid's canonical order.
  Submission submission;
  const Grid zero(1, 1, 0);
  for (std::uint32_t t = 0; t < tasks.size(); ++t) {
    const Task& task = tasks[t];
    auto& attempts = submission[task.id];
    for (std::size_t k = 0; k < task.test.size(); ++k) {
      struct Cand {
        Grid grid;
        std::size_t count = 0;
        std::uint64_t shortest = UINT64_MAX;
      };
      std::map<std::string, Cand> cands;
      if (auto it = by_task.find(t); it != by_task.end())
        for (const Line* l : it->second) {
          if (!l->pass || k >= l->predictions.size() || !l->predictions[k]) continue;
          Cand& c = cands[grid_key(*l->predictions[k])];
          c.grid = *l->predictions[k];
          ++c.count;
          c.shortest = std::min(c.shortest, inlined(l->program).chars);
        }
      std::vector<const Cand*> ranked;
      for (const auto& [key, c] : cands) ranked.push_back(&c);
      std::stable_sort(ranked.begin(), ranked.end(), [](const Cand* a, const Cand* b) {
        if (a->count != b->count) return a->count > b->count;
        return a->shortest < b->shortest;
      });
      Attempts a{ranked.size() > 0 ? ranked[0]->grid : zero, ranked.size() > 1 ? ranked[1]->grid : zero};
      attempts.push_back(std::move(a));
    }
  }
  {
    fs::path tmp = options_.out_dir / "submission.json.tmp";
    write_submission(tmp, submission);
    fs::rename(tmp, options_.out_dir / "submission.json");
  }

  // score.json when test outputs are known.
  Solutions solutions = solutions_of(tasks);
  RunSummary scored = score_against(submission, solutions);
  summary.scored = scored.scored;
  summary.tasks = tasks.size();
  summary.solved_tasks = scored.solved_tasks;
  summary.test_outputs = scored.test_outputs;
  summary.correct_outputs = scored.correct_outputs;
  summary.per_task = scored.per_task;
  if (scored.scored) {
    ordered_json s;
    s["tasks"] = scored.tasks;
    s["solved_tasks"] = scored.solved_tasks;
    s["test_outputs"] = scored.test_outputs;
    s["correct_outputs"] = scored.correct_outputs;
    s["score"] = scored.test_outputs ? static_cast<double>(scored.correct_outputs) / scored.test_outputs : 0.0;
    ordered_json per = ordered_json::object();
    for (const auto& [id, ok] : scored.per_task) per[id] = ok;
    s["per_task"] = std::move(per);
    write_file_atomic(options_.out_dir / "score.json", s.dump(2) + "\n");
  }
  for (const Line& l : lines_) summary.passing_pairs += l.pass;
  for (const auto& [p, in] : inline_cache_) summary.inline_refused += in.status != program::InlineStatus::Ok;

  ordered_json m;
  m["tasks"] = metrics.tasks;
  m["resumed_tasks"] = resumed_;
  m["programs"] = metrics.programs;
  m["dag_nodes"] = metrics.dag_nodes;
  m["dag_nodes_unshared"] = dag.unshared_node_count();
  m["samples"] = metrics.samples;
  m["evaluations"] = metrics.evaluations;
  m["skipped_by_waves"] = metrics.skipped;
  m["errors"] = metrics.errors;
  m["budget_stops"] = metrics.budget_stops;
  m["pruned"] = metrics.pruned;
  ordered_json batches;
  batches["count"] = metrics.batches;
  batches["cpu"] = metrics.cpu_batches;
  batches["gpu"] = metrics.gpu_batches;
  ordered_json hist = ordered_json::object();
  for (const auto& [b, n] : metrics.batch_size_histogram) hist["<=" + std::to_string(b)] = n;
  batches["size_histogram"] = std::move(hist);
  m["batches"] = std::move(batches);
  ordered_json secs;
  secs["load"] = load_seconds;
  secs["graph_total"] = metrics.seconds_total;
  secs["execute"] = metrics.seconds_execute;
  secs["gather"] = metrics.seconds_gather;
  secs["finish"] = metrics.seconds_finish;
  m["seconds"] = std::move(secs);
  m["evaluations_per_second"] = metrics.seconds_total > 0 ? metrics.evaluations / metrics.seconds_total : 0.0;
  m["passing_pairs"] = summary.passing_pairs;
  m["inline_refused"] = summary.inline_refused;
  m["peak_memory_bytes"] = peak_rss_bytes();
  // The candidates that cost the most, in deterministic work units (calls + cells / 32): the ones to
  // prune or rewrite first when a candidate set gets slow.
  {
    const auto& programs = dag.programs();
    std::int64_t total = 0;
    for (const ProgramCost& c : metrics.program_costs) total += c.cost;
    ordered_json table = ordered_json::array();
    for (std::uint32_t p : costliest_programs(metrics.program_costs, 20)) {
      const ProgramCost& c = metrics.program_costs[p];
      ordered_json row;
      row["program"] = programs[p].name;
      row["evaluations"] = c.evaluations;
      row["cost_units"] = c.cost;
      row["share"] = total > 0 ? static_cast<double>(c.cost) / static_cast<double>(total) : 0.0;
      row["budget_stops"] = c.budget_stops;
      row["errors"] = c.errors;
      table.push_back(std::move(row));
    }
    m["costliest_programs"] = std::move(table);
  }
  // Where evaluation time went, by primitive (`run --timing` prints the same table).
  {
    ordered_json table = ordered_json::array();
    for (const auto& [name, t] : cpu::primitive_times_by_cost()) {
      ordered_json row;
      row["primitive"] = name;
      row["evaluations"] = t.evaluations;
      row["seconds"] = static_cast<double>(t.ns) * 1e-9;
      table.push_back(std::move(row));
    }
    m["primitive_seconds"] = std::move(table);
  }
  write_file_atomic(options_.out_dir / "metrics.json", m.dump(2) + "\n");
  return summary;
}

}  // namespace megabatch::graph
