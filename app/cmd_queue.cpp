// `megabatch submit` and `megabatch worker`: a run's shards on a Redis Stream (cache/shard_queue.hpp),
// pulled by workers on any number of machines that share the output folder; `megabatch merge`
// collects them.
//
//   megabatch submit --queue redis://HOST:PORT/NAME --shards N --out-root DIR -- RUN OPTIONS...
//   megabatch worker --queue redis://HOST:PORT/NAME [--claim-after-ms MS] [--wait]
//   megabatch merge --out OUT DIR/shard-*
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.hpp"
#include "app/spawn.hpp"
#include "cache/shard_queue.hpp"
#include "graph/shard_merge.hpp"

namespace megabatch::app {
namespace {

namespace fs = std::filesystem;

struct SubmitOptions {
  std::string queue, out_root;
  std::size_t shards = 1;
  std::vector<std::string> run_args;
};

int submit_command(const SubmitOptions& o) {
  // Workers may start elsewhere: paths given here are made absolute (the folders must be shared),
  // every value of a path option (--programs takes several) and the --opt=value form alike.
  const auto absolute = [](const std::string& p) { return fs::absolute(p).lexically_normal().string(); };
  const auto is_path_option = [](const std::string& a) {
    return a == "--tasks" || a == "--programs" || a == "--solutions" || a == "--config" || a == "--library";
  };
  std::vector<std::string> args;
  std::string taking;  // the path option whose values follow ("--programs" takes several)
  for (const std::string& a : o.run_args) {
    const std::string option = a.substr(0, a.find('='));
    if (option == "--out" || option == "--shard" || option == "--resume") {
      std::fprintf(stderr, "submit: %s is the queue's to set: give the run's other options\n", option.c_str());
      return kExitUsage;
    }
    if (a.starts_with("-")) {
      taking.clear();
      if (!is_path_option(option)) args.push_back(a);
      else if (option.size() < a.size()) args.push_back(option + "=" + absolute(a.substr(option.size() + 1)));
      else args.push_back(a), taking = a;
      continue;
    }
    args.push_back(taking.empty() ? a : absolute(a));
    if (taking != "--programs") taking.clear();
  }
  const fs::path root = fs::absolute(o.out_root).lexically_normal();
  std::vector<cache::ShardJob> jobs;
  for (std::size_t k = 0; k < o.shards; ++k)
    jobs.push_back({k, o.shards, (root / ("shard-" + std::to_string(k))).string(), args});
  cache::ShardQueue queue(o.queue);
  queue.submit(jobs);
  std::printf("queued %zu shards on %s; workers: megabatch worker --queue %s\n", o.shards, o.queue.c_str(), o.queue.c_str());
  std::printf("then: megabatch merge --out OUT %s/shard-*\n", root.c_str());
  return kExitOk;
}

struct WorkerOptions {
  std::string queue, name;
  std::int64_t claim_after_ms = 60'000;
  bool wait = false;
  int max_deliveries = 3;
};

// Runs `megabatch run ...` for a shard as a child that dies with the worker (a killed worker's shard
// must stop writing before another worker resumes it); claims the shard every third of the claim
// timeout while it runs. Returns the child's exit status.
int run_shard(cache::ShardQueue& queue, const std::string& consumer, const cache::ShardQueue::Message& m,
              std::int64_t claim_after_ms) {
  std::vector<std::string> argv = {"megabatch", "run"};
  argv.insert(argv.end(), m.job.args.begin(), m.job.args.end());
  argv.insert(argv.end(), {"--shard", std::to_string(m.job.index) + "/" + std::to_string(m.job.count), "--out", m.job.out,
                           "--resume"});
  const pid_t pid = spawn_self(argv);  // dies with the worker
  // Three beats a claim timeout: a live shard never looks idle that long. A beat that fails (Redis
  // away for a moment) is tried again; the run goes on meanwhile.
  const auto beat = std::chrono::milliseconds(claim_after_ms / 3);
  auto last = std::chrono::steady_clock::now();
  bool warned = false;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) throw std::runtime_error("worker: lost its run");
    if (std::chrono::steady_clock::now() - last >= beat) {
      try {
        queue.heartbeat(consumer, m.id);
        last = std::chrono::steady_clock::now();
        warned = false;
      } catch (const cache::CacheError& e) {
        if (!warned) spdlog::warn("worker {}: {}; the shard runs on, the claim is tried again", consumer, e.what());
        warned = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status;
}

int worker_command(const WorkerOptions& o) {
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  const std::string consumer = o.name.empty() ? std::string(host) + ":" + std::to_string(::getpid()) : o.name;
  cache::ShardQueue queue(o.queue);
  std::size_t done = 0, failed = 0;
  for (;;) {
    auto m = queue.next(consumer, o.claim_after_ms);
    if (!m) {
      // Nothing new and nothing idle: finished when nothing is pending either (unless told to wait).
      if (!o.wait && queue.pending() == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<std::int64_t>(o.claim_after_ms / 4, 50, 1000)));
      continue;
    }
    const std::string shard = std::to_string(m->job.index) + "/" + std::to_string(m->job.count);
    if (m->deliveries > 1)
      spdlog::warn("worker {}: shard {} was another worker's and went idle: resuming it in {} (delivery {})", consumer,
                   shard, m->job.out, m->deliveries);
    else
      spdlog::info("worker {}: shard {} into {}", consumer, shard, m->job.out);
    const int status = run_shard(queue, consumer, *m, o.claim_after_ms);
    if (WIFEXITED(status) && WEXITSTATUS(status) == kExitBusy) {
      // A live run holds the folder: the shard is another worker's, whose next beat claims it back.
      spdlog::info("worker {}: shard {} is running elsewhere (its folder is in use): left to that worker", consumer, shard);
      continue;
    }
    // Exit 1 also means a run that wrote everything but rejected some input: the folder decides.
    const auto unfinished = graph::unfinished_shard(m->job.out);
    if (!unfinished) {
      queue.ack(m->id);
      ++done;
      spdlog::info("worker {}: shard {} done", consumer, shard);
      continue;
    }
    const std::string why = "run exited with " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "; " + *unfinished;
    if (m->deliveries >= static_cast<std::uint64_t>(o.max_deliveries)) {
      queue.fail(*m, why);
      ++failed;
      spdlog::error("worker {}: shard {} failed {} times, given up (stream {}:failed): {}", consumer, shard,
                    m->deliveries, queue.name(), why);
    } else {
      spdlog::error("worker {}: shard {} failed, left for a retry: {}", consumer, shard, why);
    }
  }
  std::printf("worker %s: %zu shards done, %zu given up; the queue is empty\n", consumer.c_str(), done, failed);
  return failed ? kExitFailure : kExitOk;
}

const Registrar submit_registrar{"submit", 46, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto o = std::make_shared<SubmitOptions>();
  auto* cmd = app.add_subcommand("submit", "Queue a run's shards on a Redis Stream for megabatch workers");
  cmd->add_option("--queue", o->queue, "redis://HOST:PORT/NAME: the stream")->required();
  cmd->add_option("--shards", o->shards, "how many shards")->required()->check(CLI::Range(1, 100000));
  cmd->add_option("--out-root", o->out_root, "folder (shared by the workers) for the shards' run folders")->required();
  cmd->add_option("run_args", o->run_args, "after --: the run's options (--tasks, --programs, --set ...)")->required();
  return [o] { return submit_command(*o); };
}};

const Registrar worker_registrar{"worker", 47, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto o = std::make_shared<WorkerOptions>();
  auto* cmd = app.add_subcommand("worker", "Run shards from a Redis Stream until it is empty (megabatch submit fills it)");
  cmd->add_option("--queue", o->queue, "redis://HOST:PORT/NAME: the stream")->required();
  cmd->add_option("--name", o->name, "this worker's consumer name (default HOST:PID)");
  cmd->add_option("--claim-after-ms", o->claim_after_ms, "take over a shard idle this long (its worker died)")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{300}, std::int64_t{86'400'000}));
  cmd->add_option("--max-deliveries", o->max_deliveries, "give a shard up after failing this many times")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_flag("--wait", o->wait, "keep waiting for new shards when the queue is empty");
  return [o] { return worker_command(*o); };
}};

}  // namespace
}  // namespace megabatch::app
