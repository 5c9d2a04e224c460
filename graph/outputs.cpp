#include "graph/outputs.hpp"

#include "graph/library_writer.hpp"

#include "cpu/executor.hpp"
#include "engine/results/attempts.hpp"
#include "engine/results/library.hpp"
#include "engine/results/scoring.hpp"
#include "engine/input_files.hpp"
#include "engine/text.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
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
    if (!out.flush()) throw std::runtime_error(tmp.string() + ": write failed: " + std::strerror(errno));
  }
  fs::rename(tmp, file);
}

std::string score_json_text(const SubmissionScore& scored) {
  ordered_json s;
  s["tasks"] = scored.tasks;
  s["solved_tasks"] = scored.solved_tasks;
  s["test_outputs"] = scored.test_outputs;
  s["correct_outputs"] = scored.correct_outputs;
  s["score"] = scored.score();
  ordered_json per = ordered_json::object();
  for (const auto& [id, ok] : scored.per_task) per[id] = ok;
  s["per_task"] = std::move(per);
  return s.dump(2) + "\n";
}

int RunWriter::t_log(std::int64_t cost_units) {
  if (cost_units <= 0) return 10;
  // int() in Python truncates toward zero, as the cast does.
  return 11 - static_cast<int>(std::log(static_cast<double>(cost_units) * 1e-6));
}

RunWriter::FolderLock::FolderLock(const fs::path& folder) {
  const fs::path file = folder / ".megabatch.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(file.string() + ": cannot open: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string holder;
    char buf[512];
    const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    if (n > 0) holder.assign(buf, static_cast<std::size_t>(n));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw FolderInUse(folder.string() + " is in use by another megabatch run (" +
                               (holder.empty() ? std::string("unknown process") : printable(holder)) +
                               "); wait for it to end or choose another --out");
    throw std::runtime_error(file.string() + ": cannot lock: " + std::strerror(error));
  }
  // Who holds it, for the message a second run prints.
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
  const std::string holder = "pid " + std::to_string(::getpid()) + ", started " + when + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, holder.data(), holder.size(), 0);
  }
}

RunWriter::FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

RunWriter::RunWriter(const RunContext& context, OutputOptions options)
    : context_(context), options_(std::move(options)), inliner_(context.dag->dag()) {
  const auto& programs = context_.dag->dag().programs();
  for (std::uint32_t p = 0; p < programs.size(); ++p) program_by_name_.emplace(programs[p].name, p);
  for (std::uint32_t t = 0; t < context_.tasks->size(); ++t) task_by_id_.emplace((*context_.tasks)[t].id, t);
  fs::create_directories(options_.out_dir);
  lock_ = std::make_unique<FolderLock>(options_.out_dir);
  if (options_.resume) {
    check_resumable();
    recover();
  } else {
    // A new run owns the run's own outputs: nothing of an earlier run may survive in them (score.json is
    // only written when outputs are known). The library accumulates unless asked to start afresh.
    for (const char* name :
         {"run.json", "results.jsonl", "progress.jsonl", "submission.json", "score.json", "metrics.json"})
      fs::remove(options_.out_dir / name);
    if (options_.fresh) {
      const fs::path library = options_.library_dir.empty() ? options_.out_dir : options_.library_dir;
      LibraryLock library_lock(library);
      fs::remove_all(library / "solver_dir");
      fs::remove_all(library / "solver_md5");
    }
  }
  write_file_atomic(options_.out_dir / "run.json", options_.record.to_json().dump(2) + "\n");
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

void RunWriter::write_all(int fd, const char* name, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error((options_.out_dir / name).string() + ": write failed: " + std::strerror(errno));
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

// --resume continues only a run of the same tasks, programs and settings: another run's journal would
// be taken for this one's finished tasks.
void RunWriter::check_resumable() const {
  const fs::path out = options_.out_dir, record = out / "run.json";
  std::error_code ec;
  const auto size_of = [&](const char* name) {
    const auto n = fs::file_size(out / name, ec);
    return ec ? std::uintmax_t{0} : n;
  };
  const std::string start_over = "; run without --resume to start it over, or choose another --out";
  if (!fs::exists(record, ec)) {
    if (size_of("progress.jsonl") > 0 || size_of("results.jsonl") > 0)
      throw std::runtime_error("--resume: " + out.string() + " holds a journal but no run.json: not a run that " +
                               "this megabatch can continue" + start_over);
    return;  // nothing was written yet: the resumed run starts from the beginning
  }
  RunRecord earlier;
  try {
    earlier = RunRecord::from_json(nlohmann::json::parse(read_input_file(record, 1 << 20)));
  } catch (const std::exception& e) {
    throw std::runtime_error("--resume: " + record.string() + ": " + printable(e.what()) + start_over);
  }
  if (std::string diff = options_.record.difference_from(earlier); !diff.empty())
    throw std::runtime_error("--resume: " + out.string() + " is a run of something else: " + diff + start_over);
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
        const auto bytes = j.at("results_bytes").get<std::uint64_t>();  // both read before either counts
        if (t != task_by_id_.end()) completed_.insert(t->second);
        keep = bytes;
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
    // tokpidjin's score counts test outputs too; a search's counts demos only (its selection must
    // never read a test output).
    l.score = 1000 * (pr.train_matches() + (options_.score_with_test ? pr.test_matches() : 0));
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
    if (options_.dedupe_states) j["same_state"] = pr.same_state;
    l.json = j.dump();
    block += l.json;
    block += '\n';
    lines_.push_back(std::move(l));
  }
  write_all(results_fd_, "results.jsonl", block);
  journal_bytes_ += block.size();
  ordered_json p;
  p["task"] = task.id;
  p["results_bytes"] = journal_bytes_;
  write_all(progress_fd_, "progress.jsonl", p.dump() + "\n");
  completed_.insert(result.task);
}

namespace {

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

}  // namespace

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

  std::map<std::uint32_t, std::vector<const Line*>> by_task;
  for (const Line& l : lines_) by_task[l.task].push_back(&l);

  // submission.json: per test input the two most frequent distinct predictions of passing programs
  // (engine/results/attempts.hpp).
  Submission submission;
  for (std::uint32_t t = 0; t < tasks.size(); ++t) {
    const Task& task = tasks[t];
    auto& attempts = submission[task.id];
    for (std::size_t k = 0; k < task.test.size(); ++k) {
      std::vector<Prediction> predictions;
      if (auto it = by_task.find(t); it != by_task.end())
        for (const Line* l : it->second) {
          if (!l->pass || k >= l->predictions.size() || !l->predictions[k]) continue;
          predictions.push_back({&*l->predictions[k], inlined(l->program).chars});
        }
      attempts.push_back(rank_attempts(predictions));
    }
  }
  {
    fs::path tmp = options_.out_dir / "submission.json.tmp";
    write_submission(tmp, submission);
    fs::rename(tmp, options_.out_dir / "submission.json");
  }

  // score.json when test outputs are known.
  const Solutions solutions = solutions_of(tasks);
  const SubmissionScore scored = score_submission(submission, solutions);
  summary.scored = !solutions.empty();
  summary.tasks = tasks.size();
  summary.solved_tasks = scored.solved_tasks;
  summary.test_outputs = scored.test_outputs;
  summary.correct_outputs = scored.correct_outputs;
  summary.per_task = scored.per_task;
  if (summary.scored) write_file_atomic(options_.out_dir / "score.json", score_json_text(scored));
  // solver_md5/ and solver_dir/: each task's passing programs merged into what the library holds by
  // tokpidjin's rule (engine/results/library.hpp), under the library's lock (graph/library_writer.hpp).
  // After the submission, so that nothing a library write can fail on costs it.
  std::vector<TaskCandidates> candidates;
  std::map<std::string, std::uint32_t> program_of_md5;
  for (auto& [task, task_lines] : by_task) {
    TaskCandidates c{tasks[task].id, {}};
    for (const Line* l : task_lines) {
      if (l->score == 0) continue;
      const Inlined& in = inlined(l->program);
      if (in.status != program::InlineStatus::Ok) continue;
      c.entries.push_back({in.md5, static_cast<std::int64_t>(l->score), l->t_log});
      program_of_md5.try_emplace(in.md5, l->program);
    }
    if (!c.entries.empty()) candidates.push_back(std::move(c));
  }
  const LibraryMerge merged = merge_library(
      options_.library_dir.empty() ? options_.out_dir : options_.library_dir, candidates,
      [&](const std::string& md5) {
        // tokpidjin's programs as its expand_solver.py writes them (card.py imports them); arc-dsl's keep
        // `(I)`, so the folder loads back as arc-dsl (an (S, I, C) header would make it tokpidjin's).
        const std::size_t program = program_of_md5.at(md5);
        program::ExpandOptions expand;
        expand.keep_params = dag.programs()[program].dialect == Dialect::ArcDsl;
        return program::expanded_file_text(dag, program, expand);
      },
      options_.max_solvers_per_task);
  summary.library_added = merged.added;
  summary.library_evicted = merged.evicted;
  summary.library_tasks = merged.tasks;
  summary.library_failed = merged.failed;
  summary.solver_files = merged.files;

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
  ordered_json states;
  states["on"] = options_.dedupe_states;
  states["duplicates"] = metrics.state_duplicates;
  states["test_evaluations_saved"] = metrics.state_tests_saved;
  m["state_dedupe"] = std::move(states);
  ordered_json batches;
  batches["count"] = metrics.batches;
  batches["cpu"] = metrics.cpu_batches;
  batches["gpu"] = metrics.gpu_batches;
  ordered_json hist = ordered_json::object();
  for (const auto& [b, n] : metrics.batch_size_histogram) hist["<=" + std::to_string(b)] = n;
  batches["size_histogram"] = std::move(hist);
  m["batches"] = std::move(batches);
  if (metrics.routing) {
    // Where batches went and why: the threshold (measured when "auto": the probe's batches and the lines
    // fitted through them), and each device's batches.
    const RoutingReport& r = *metrics.routing;
    ordered_json routing;
    routing["min_gpu_batch"] = r.automatic ? ordered_json("auto") : ordered_json(r.threshold);
    if (r.automatic) {
      routing["decided"] = r.decided;
      routing["threshold"] = !r.decided || r.threshold == GpuRouting::kNever ? ordered_json(nullptr) : ordered_json(r.threshold);
      auto samples = [](const std::vector<RouteSample>& v) {
        ordered_json a = ordered_json::array();
        for (const RouteSample& s : v) a.push_back({{"evaluations", s.evaluations}, {"seconds", s.seconds}});
        return a;
      };
      routing["probe_cpu"] = samples(r.cpu);
      routing["probe_gpu"] = samples(r.gpu);
      if (r.decided) {
        routing["cpu_us_per_evaluation"] = r.cpu_seconds_per_evaluation * 1e6;
        routing["gpu_ms_per_batch"] = r.gpu_seconds_per_batch * 1e3;
        routing["gpu_us_per_evaluation"] = r.gpu_seconds_per_evaluation * 1e6;
      }
    }
    routing["device_batches"] = metrics.device_batches;
    m["routing"] = std::move(routing);
  }
  ordered_json secs;
  secs["load"] = load_seconds;
  secs["graph_total"] = metrics.seconds_total;
  secs["execute"] = metrics.seconds_execute;
  secs["gather"] = metrics.seconds_gather;
  secs["finish"] = metrics.seconds_finish;
  m["seconds"] = std::move(secs);
  m["evaluations_per_second"] = metrics.seconds_total > 0 ? metrics.evaluations / metrics.seconds_total : 0.0;
  m["passing_pairs"] = summary.passing_pairs;
  ordered_json library;
  library["added"] = summary.library_added;
  library["evicted"] = summary.library_evicted;
  library["tasks"] = summary.library_tasks;
  library["failed"] = summary.library_failed;
  m["solver_dir"] = std::move(library);
  m["inline_refused"] = summary.inline_refused;
  if (metrics.cache) {
    const CacheMetrics& c = *metrics.cache;
    ordered_json cache;
    cache["store"] = c.where;
    cache["hits"] = c.hits;
    cache["misses"] = c.misses;
    cache["hit_rate"] = c.hits + c.misses ? static_cast<double>(c.hits) / static_cast<double>(c.hits + c.misses) : 0.0;
    cache["evaluations_saved"] = c.evaluations_saved;
    cache["stored"] = c.stored;
    cache["corrupt"] = c.corrupt;
    cache["bytes_read"] = c.bytes_read;
    cache["bytes_written"] = c.bytes_written;
    cache["failed"] = c.failed.empty() ? ordered_json(nullptr) : ordered_json(c.failed);
    m["cache"] = std::move(cache);
  }
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
