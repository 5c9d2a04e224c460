// The flow graph itself (see engine.hpp for its shape).
#include "graph/engine.hpp"

#include "graph/result_cache.hpp"
#include "graph/states.hpp"

#include <tbb/flow_graph.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace megabatch::graph {

namespace flow = tbb::flow;
using Clock = std::chrono::steady_clock;

bool PairResult::pass() const {
  return !train.empty() && std::all_of(train.begin(), train.end(), [](SampleStatus s) { return s == SampleStatus::Match; });
}
std::size_t PairResult::train_matches() const { return std::count(train.begin(), train.end(), SampleStatus::Match); }
std::size_t PairResult::test_matches() const { return std::count(test.begin(), test.end(), SampleStatus::Match); }

Engine::Engine(const RunContext& context, EngineOptions options, BatchExecutor& cpu, BatchExecutor* gpu)
    : Engine(context, std::move(options), cpu, gpu ? std::vector<BatchExecutor*>{gpu} : std::vector<BatchExecutor*>{}) {}

Engine::Engine(const RunContext& context, EngineOptions options, BatchExecutor& cpu, std::vector<BatchExecutor*> gpus)
    : context_(context), options_(options), cpu_(cpu), gpus_(std::move(gpus)) {
  std::erase(gpus_, nullptr);
  options_.max_batch = std::max<std::size_t>(1, options_.max_batch);
  options_.inflight_batches = std::max<std::size_t>(1, options_.inflight_batches);
  options_.task_window = std::max<std::size_t>(1, options_.task_window);
}

namespace {

constexpr std::uint32_t kDone = UINT32_MAX;

struct TaskState {
  std::vector<std::uint32_t> candidates;
  std::vector<std::int32_t> position;  // program -> index in candidates, -1 when not a candidate
  std::vector<PairResult> pairs;
  std::vector<std::uint8_t> alive;
  std::vector<std::uint8_t> cached;  // the pair came from the result cache: never run
  std::vector<std::uint8_t> folded;  // state dedupe: folded into a shorter pair of its state, not reported
  std::vector<std::uint32_t> train_order;  // train sample indices in wave order
  std::uint32_t wave = 0;               // next position in train_order, ntrain = the test wave, kDone when finished
  std::atomic<std::uint32_t> pending{0};  // items of the current wave not yet gathered
  std::uint64_t evaluations = 0;
};

struct BatcherMsg {
  enum class Kind { Start, Items, Tick } kind = Kind::Tick;
  std::uint32_t task = 0;
  std::vector<WorkItem> items;
  // Start: the task's candidate programs and what the result cache holds for each (behind a
  // pointer: TBB hands the body a const message, and the batcher takes these over).
  struct Start {
    std::vector<std::uint32_t> candidates;
    std::vector<std::optional<PairResult>> cached;
  };
  std::shared_ptr<Start> start;
};

std::size_t bucket(std::size_t n) {
  std::size_t b = 1;
  while (b < n) b <<= 1;
  return b;
}

// What one run's node bodies share: its inputs, the tasks under way, the counters that become
// EngineMetrics, and the failure latch. The bodies below hold a pointer to it (TBB copies bodies).
struct Run {
  Run(const RunContext& context, const EngineOptions& options, const std::vector<std::uint32_t>& task_order,
      const CandidateFilter& filter, TaskSink& sink, const ProgressFn& progress)
      : context(context),
        options(options),
        tasks(*context.tasks),
        task_order(task_order),
        filter(filter),
        sink(sink),
        progress(progress),
        program_count(static_cast<std::uint32_t>(context.dag->program_count())),
        states(tasks.size()),
        cached_costs(program_count) {
    m.tasks = task_order.size();
    m.programs = program_count;
    m.dag_nodes = context.dag->size();
    m.program_costs.assign(program_count, ProgramCost{});
    for (std::uint32_t t : task_order) m.samples += tasks[t].train.size() + tasks[t].test.size();
  }

  const RunContext& context;
  const EngineOptions& options;
  const std::vector<Task>& tasks;
  const std::vector<std::uint32_t>& task_order;
  const CandidateFilter& filter;
  TaskSink& sink;
  const ProgressFn& progress;
  const std::uint32_t program_count;

  std::size_t next_task = 0;                       // the source's position in task_order
  std::vector<std::unique_ptr<TaskState>> states;  // by task, while it is under way
  std::atomic<std::size_t> outstanding{0};         // batches emitted by the batcher and not yet gathered
  std::atomic<std::size_t> started{0}, finished{0};
  std::atomic<std::uint64_t> skipped{0}, evaluations{0}, errors{0}, budget_stops{0}, pruned{0}, cpu_batches{0},
      gpu_batches{0}, state_duplicates{0}, state_tests_saved{0};
  GpuRouting routing{options.auto_gpu_batch ? std::nullopt : std::optional<std::size_t>(options.min_gpu_batch)};
  std::mutex metrics_mutex;  // m's histogram and the seconds below
  double seconds_execute = 0, seconds_gather = 0, seconds_finish = 0;
  EngineMetrics m;                        // program_costs: the gather's (serial, no lock)
  std::vector<ProgramCost> cached_costs;  // the finish node's own: merged at the end

  // A failure in any node (a journal write on a full disk, a bad allocation) is kept, the graph is
  // cancelled and drained, and the run ends with that one error after wait_for_all: no node runs on
  // a half-done message, and what the sink already holds stays for --resume.
  tbb::flow::graph* graph = nullptr;
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  void fail() {
    {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
    failed.store(true);
    graph->cancel();
  }
  // Runs a node body, reporting its exception through fail() instead of letting TBB cancel the graph
  // under the other nodes' feet; the node then returns an empty message.
  template <class F>
  auto guarded(F&& body) -> decltype(body()) {
    try {
      return body();
    } catch (...) {
      fail();
      if constexpr (!std::is_void_v<decltype(body())>) return {};
    }
  }
  bool stopping() const { return options.stop && options.stop->load(); }

  std::size_t length(std::uint32_t program) const { return context.dag->dag().programs()[program].statements.size(); }

  // Folds the eligible pairs of a task into the shortest of their state (graph/states.hpp): marks the
  // others folded and counts them on their representative. Returns how many it folded.
  std::size_t fold(TaskState& st, const std::vector<std::uint8_t>& eligible) {
    const std::vector<std::size_t> rep = fold_states(st.pairs, eligible, [this](std::uint32_t p) { return length(p); });
    std::size_t folded = 0;
    for (std::size_t c = 0; c < rep.size(); ++c)
      if (rep[c] != c) st.folded[c] = 1, ++st.pairs[rep[c]].same_state, ++folded;
    return folded;
  }

  // State dedupe before the test wave: the pairs that matched every demo are folded, and only the
  // shortest of each state runs on the test inputs.
  std::vector<std::uint32_t> fold_passing(TaskState& st, const std::vector<std::uint32_t>& alive, std::uint32_t ntest) {
    std::vector<std::uint8_t> eligible(st.candidates.size(), 0);
    for (std::uint32_t p : alive) eligible[st.position[p]] = 1;
    state_tests_saved += fold(st, eligible) * ntest;
    std::vector<std::uint32_t> kept;
    for (std::uint32_t p : alive)
      if (!st.folded[st.position[p]]) kept.push_back(p);
    return kept;
  }

  // Splits the work of a task's next wave into items (at most max_batch evaluations each).
  std::vector<WorkItem> plan_wave(std::uint32_t task, TaskState& st) {
    std::vector<WorkItem> items;
    const Task& t = tasks[task];
    const std::uint32_t ntrain = static_cast<std::uint32_t>(t.train.size());
    const std::uint32_t ntest = static_cast<std::uint32_t>(t.test.size());
    const std::size_t max_batch = options.max_batch;
    auto add = [&](std::uint32_t sample, bool test, const std::vector<std::uint32_t>& progs, bool prune = false) {
      for (std::size_t k = 0; k < progs.size(); k += max_batch) {
        WorkItem w;
        w.task = task;
        w.sample = sample;
        w.test = test;
        w.prune = prune;
        w.programs.assign(progs.begin() + k, progs.begin() + std::min(progs.size(), k + max_batch));
        items.push_back(std::move(w));
      }
    };
    while (items.empty() && st.wave != kDone) {
      if (options.exhaustive) {
        std::vector<std::uint32_t> run;
        for (std::size_t c = 0; c < st.candidates.size(); ++c)
          if (!st.cached[c]) run.push_back(st.candidates[c]);
        for (std::uint32_t s = 0; s < ntrain; ++s) add(s, false, run);
        for (std::uint32_t s = 0; s < ntest; ++s) add(s, true, run);
        st.wave = kDone;
        break;
      }
      std::vector<std::uint32_t> alive;
      for (std::size_t c = 0; c < st.candidates.size(); ++c)
        if (st.alive[c]) alive.push_back(st.candidates[c]);
      if (alive.empty()) {
        st.wave = kDone;
      } else if (st.wave < ntrain) {
        // Failing the first wave's demo, in any way, leaves a pair with no matched demo: it is never
        // reported, so only there may a run stop once its output shape is known to be wrong.
        add(st.train_order[st.wave], false, alive, st.wave == 0 && options.prune);
        ++st.wave;
      } else {
        if (options.dedupe_states) alive = fold_passing(st, alive, ntest);
        for (std::uint32_t s = 0; s < ntest; ++s) add(s, true, alive);
        st.wave = kDone;
      }
    }
    std::size_t evals = 0;
    for (const auto& w : items) evals += w.programs.size();
    st.evaluations += evals;
    st.pending.store(static_cast<std::uint32_t>(items.size()));
    return items;
  }
};

// input_node: the next task of the run's order, until every task started, a node failed or Ctrl-C.
class TaskSource {
 public:
  explicit TaskSource(Run& run) : run_(&run) {}
  std::uint32_t operator()(tbb::flow_control& fc) {
    Run& r = *run_;
    if (r.next_task >= r.task_order.size() || r.failed.load() || r.stopping()) {
      fc.stop();
      return 0;
    }
    return r.task_order[r.next_task++];
  }

 private:
  Run* run_;
};

// A task's candidates and its result cache lookups, for several tasks at once (the batcher is serial).
class StartTask {
 public:
  explicit StartTask(Run& run) : run_(&run) {}
  BatcherMsg operator()(std::uint32_t task) const {
    return run_->guarded([&] {
      BatcherMsg m;
      m.kind = BatcherMsg::Kind::Start;
      m.task = task;
      m.start = std::make_shared<BatcherMsg::Start>();
      for (std::uint32_t p = 0; p < run_->program_count; ++p)
        if (!run_->filter || run_->filter(task, p)) m.start->candidates.push_back(p);
      if (run_->options.cache) m.start->cached = run_->options.cache->find(task, m.start->candidates);
      return m;
    });
  }

 private:
  Run* run_;
};

// The batcher (serial): sets up a starting task and plans its first wave, collects the work items of
// every task's waves, and emits batches of up to max_batch evaluations (port 0); a task with nothing to
// run goes straight to finish (port 1).
using BatcherNode = flow::multifunction_node<BatcherMsg, std::tuple<BatchPtr, std::uint32_t>>;
class Batcher {
 public:
  // What the batcher holds between messages.
  struct Pending {
    std::vector<WorkItem> items;
    std::size_t evaluations = 0;
    Clock::time_point oldest{};
    std::uint64_t next_batch_id = 0;
  };
  Batcher(Run& run, Pending& pending) : run_(&run), pending_(&pending) {}

  void operator()(const BatcherMsg& msg, BatcherNode::output_ports_type& ports) const {
    run_->guarded([&] { body(msg, ports); });
  }

 private:
  void body(const BatcherMsg& msg, BatcherNode::output_ports_type& ports) const {
    Run& r = *run_;
    Pending& q = *pending_;
    if (r.failed.load()) return;
    if (r.stopping()) {  // Ctrl-C: no new batch; the batches under way come back and the graph drains
      q.items.clear();
      q.evaluations = 0;
      return;
    }
    if (msg.kind == BatcherMsg::Kind::Start) {
      const std::uint32_t task = msg.task;
      r.states[task] = start(task, *msg.start);
      r.started.fetch_add(1);
      auto items = r.plan_wave(task, *r.states[task]);
      if (items.empty()) std::get<1>(ports).try_put(task);
      for (auto& w : items) push(std::move(w));
    } else if (msg.kind == BatcherMsg::Kind::Items) {
      for (const auto& w : msg.items) push(w);
    }
    const std::size_t max_batch = r.options.max_batch;
    while (q.evaluations >= max_batch) emit(max_batch, ports);
    if (!q.items.empty()) {
      // Flush a partial batch when nothing else is running and no new task can arrive soon, or when
      // it has waited long enough; otherwise let it fill up.
      const std::size_t in_window = r.started.load() - r.finished.load();
      const bool no_more_starts =
          r.started.load() == r.task_order.size() || in_window >= r.options.task_window || r.stopping();
      const bool waited = Clock::now() - q.oldest >= std::chrono::milliseconds(r.options.max_wait_ms);
      if ((r.outstanding.load() == 0 && no_more_starts) || (waited && r.outstanding.load() < r.options.inflight_batches))
        emit(max_batch, ports);
    }
  }

  std::unique_ptr<TaskState> start(std::uint32_t task, BatcherMsg::Start& msg) const {
    auto st = std::make_unique<TaskState>();
    st->position.assign(run_->program_count, -1);
    st->candidates = std::move(msg.candidates);
    for (std::size_t c = 0; c < st->candidates.size(); ++c) st->position[st->candidates[c]] = static_cast<std::int32_t>(c);
    const Task& t = run_->tasks[task];
    st->pairs.resize(st->candidates.size());
    for (std::size_t c = 0; c < st->candidates.size(); ++c) {
      st->pairs[c].program = st->candidates[c];
      st->pairs[c].train.assign(t.train.size(), SampleStatus::Skipped);
      st->pairs[c].test.assign(t.test.size(), SampleStatus::Skipped);
      st->pairs[c].predictions.assign(t.test.size(), std::nullopt);
    }
    st->alive.assign(st->candidates.size(), 1);
    st->cached.assign(st->candidates.size(), 0);
    st->folded.assign(st->candidates.size(), 0);
    auto& hits = msg.cached;
    for (std::size_t c = 0; c < hits.size(); ++c)
      if (hits[c]) {
        st->pairs[c] = std::move(*hits[c]);
        st->alive[c] = 0;
        st->cached[c] = 1;
      }
    st->train_order.resize(t.train.size());
    for (std::uint32_t k = 0; k < t.train.size(); ++k) st->train_order[k] = k;
    if (run_->options.wave_order == WaveOrder::SmallestFirst)
      std::stable_sort(st->train_order.begin(), st->train_order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return t.train[a].input.cells.size() < t.train[b].input.cells.size();
      });
    return st;
  }

  void push(WorkItem w) const {
    Pending& q = *pending_;
    if (q.items.empty()) q.oldest = Clock::now();
    q.evaluations += w.programs.size();
    q.items.push_back(std::move(w));
  }

  void emit(std::size_t limit, BatcherNode::output_ports_type& ports) const {
    Pending& q = *pending_;
    auto b = std::make_shared<Batch>();
    b->id = q.next_batch_id++;
    b->hash_values = run_->options.dedupe_states;
    std::size_t taken = 0;
    while (taken < q.items.size() && (b->evaluations == 0 || b->evaluations + q.items[taken].programs.size() <= limit)) {
      b->evaluations += q.items[taken].programs.size();
      b->items.push_back(std::move(q.items[taken]));
      ++taken;
    }
    q.items.erase(q.items.begin(), q.items.begin() + static_cast<std::ptrdiff_t>(taken));
    q.evaluations -= b->evaluations;
    if (!q.items.empty()) q.oldest = Clock::now();
    run_->outstanding.fetch_add(1);
    std::get<0>(ports).try_put(b);
  }

  Run* run_;
  Pending* pending_;
};

// The router: a batch goes to the GPU executors when they take it (it holds device work) and
// GpuRouting says so (a fixed min_gpu_batch, or the threshold the run measures) (port 1), every other to the CPU (port 0). After Ctrl-C a batch still queued is dropped, not
// run (port 2 gives back its in-flight slot): the batcher emits full batches eagerly, so the queue may
// hold the whole rest of the run. Its tasks never complete and are not journaled.
using RouterNode = flow::multifunction_node<BatchPtr, std::tuple<BatchPtr, BatchPtr, flow::continue_msg>>;
class Router {
 public:
  // `gpu`: one of the GPU executors (all take the same batches), or null.
  Router(Run& run, const BatchExecutor* gpu) : run_(&run), gpu_(gpu) {}
  void operator()(const BatchPtr& b, RouterNode::output_ports_type& ports) const {
    if (run_->stopping()) {
      run_->outstanding.fetch_sub(1);
      std::get<2>(ports).try_put(flow::continue_msg());
      return;
    }
    if (gpu_ && gpu_->takes(*b) && run_->routing.route(b->evaluations) == Route::Gpu)
      std::get<1>(ports).try_put(b);
    else
      std::get<0>(ports).try_put(b);
  }

 private:
  Run* run_;
  const BatchExecutor* gpu_;
};

// A CPU or GPU executor node: runs a batch and times it.
class Execute {
 public:
  Execute(Run& run, BatchExecutor& executor) : run_(&run), executor_(&executor) {}
  BatchResultPtr operator()(const BatchPtr& b) const {
    return run_->guarded([&]() -> BatchResultPtr {
      if (run_->failed.load()) return nullptr;
      BatchResultPtr r = executor_->execute(b);
      std::lock_guard lock(run_->metrics_mutex);
      run_->seconds_execute += r->seconds;
      return r;
    });
  }

 private:
  Run* run_;
  BatchExecutor* executor_;
};

// The thread that feeds the GPU executor: batches run one after another, in the order they came, while
// the TBB workers go on with the CPU's batches, the gather and the batcher. No TBB worker waits on the device.
class DeviceThread {
 public:
  DeviceThread() : thread_([this] { loop(); }) {}
  ~DeviceThread() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }
  DeviceThread(const DeviceThread&) = delete;
  DeviceThread& operator=(const DeviceThread&) = delete;

  void submit(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return done_ || !jobs_.empty(); });
        if (jobs_.empty()) {  // done, and nothing left
          lock.unlock();
          release_thread_free_list();  // this thread ends before the program: LeakSanitizer would see it
          return;
        }
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool done_ = false;
  std::thread thread_;  // last: it starts once the members it reads exist
};

// The GPU executors, one per device, each fed by its own device thread.
struct Devices {
  struct Device {
    explicit Device(BatchExecutor& e) : executor(&e) {}
    BatchExecutor* executor;
    std::atomic<std::size_t> queued{0};    // batches handed over and not yet back
    std::atomic<std::uint64_t> batches{0};  // batches run
    DeviceThread thread;                    // last: joined first, while the counters still exist
  };
  std::vector<std::unique_ptr<Device>> all;
  std::mutex choose;  // picking the least-loaded device and counting the batch in are one step
};

// The GPU executors' node (async_node): hands a batch to the device with the fewest batches queued or
// running (the lowest index on a tie) and returns at once. The gateway's reserve_wait keeps wait_for_all
// from ending while a batch is on a device; the device thread puts the result into the graph and releases it.
using GpuNode = flow::async_node<BatchPtr, BatchResultPtr>;
class SubmitToDevice {
 public:
  SubmitToDevice(Run& run, Devices& devices) : run_(&run), devices_(&devices) {}
  void operator()(const BatchPtr& b, GpuNode::gateway_type& gateway) const {
    Devices::Device* d = devices_->all.front().get();
    {
      std::lock_guard lock(devices_->choose);
      for (const auto& x : devices_->all)
        if (x->queued.load() < d->queued.load()) d = x.get();
      d->queued.fetch_add(1);
    }
    gateway.reserve_wait();
    d->thread.submit([execute = Execute(*run_, *d->executor), b, gw = &gateway, d] {
      BatchResultPtr r = execute(b);  // guarded: a failure is kept and r is null
      d->batches.fetch_add(1);
      d->queued.fetch_sub(1);
      gw->try_put(r);
      gw->release_wait();
    });
  }

 private:
  Run* run_;
  Devices* devices_;
};

// The gather (serial): scatters a batch's results back to their tasks' pairs. A task whose wave is
// complete plans its next one (port 1, back to the batcher) or, with none left, is done (port 0, to
// finish); port 2 gives back the batch's in-flight slot.
using GatherNode = flow::multifunction_node<BatchResultPtr, std::tuple<std::uint32_t, BatcherMsg, flow::continue_msg>>;
class Gather {
 public:
  explicit Gather(Run& run) : run_(&run) {}
  void operator()(const BatchResultPtr& result, GatherNode::output_ports_type& ports) const {
    run_->guarded([&] { body(result, ports); });
  }

 private:
  void body(const BatchResultPtr& result, GatherNode::output_ports_type& ports) const {
    Run& run = *run_;
    if (!result || run.failed.load()) return;
    auto g0 = Clock::now();
    const Batch& b = *result->batch;
    (result->route == Route::Gpu ? run.gpu_batches : run.cpu_batches).fetch_add(1);
    run.routing.observe(result->route, b.evaluations, result->device_rows, result->seconds);
    run.errors += result->errors;
    run.budget_stops += result->budget_stops;
    run.pruned += result->pruned;
    run.evaluations += b.evaluations;
    {
      std::lock_guard lock(run.metrics_mutex);
      ++run.m.batch_size_histogram[bucket(b.evaluations)];
    }
    std::vector<WorkItem> next;
    std::vector<std::uint32_t> done;
    for (std::size_t k = 0; k < b.items.size(); ++k) {
      const WorkItem& w = b.items[k];
      TaskState& st = *run.states[w.task];
      scatter(w, result->items[k], st);
      // Per-task countdown: the task's wave is complete when its last item is back. After Ctrl-C a
      // task that has waves left is abandoned (the batcher takes nothing more): it is not journaled,
      // so --resume runs it whole; a task whose last wave this was still finishes.
      if (st.pending.fetch_sub(1) == 1) {
        auto items = run.plan_wave(w.task, st);
        if (items.empty()) done.push_back(w.task);
        for (auto& it : items) next.push_back(std::move(it));
      }
    }
    run.outstanding.fetch_sub(1);
    std::get<2>(ports).try_put(flow::continue_msg());
    for (std::uint32_t t : done) std::get<0>(ports).try_put(t);
    BatcherMsg msg;
    msg.kind = next.empty() ? BatcherMsg::Kind::Tick : BatcherMsg::Kind::Items;
    msg.items = std::move(next);
    std::get<1>(ports).try_put(std::move(msg));
    std::lock_guard lock(run.metrics_mutex);
    run.seconds_gather += std::chrono::duration<double>(Clock::now() - g0).count();
  }

  void scatter(const WorkItem& w, const ItemResult& ir, TaskState& st) const {
    for (std::size_t p = 0; p < w.programs.size(); ++p) {
      const std::int32_t c = st.position[w.programs[p]];
      PairResult& pr = st.pairs[c];
      ProgramCost& pc = run_->m.program_costs[w.programs[p]];  // the gather is serial: no lock
      ++pc.evaluations;
      pc.errors += ir.status[p] == SampleStatus::Error;
      pc.budget_stops += ir.status[p] == SampleStatus::Budget;
      if (!ir.cost.empty()) pr.cost += ir.cost[p], pc.cost += ir.cost[p];
      if (!ir.timed_out.empty() && ir.timed_out[p]) pr.timed_out = true;
      if (w.test) {
        pr.test[w.sample] = ir.status[p];
        pr.predictions[w.sample] = ir.prediction[p];
      } else {
        pr.train[w.sample] = ir.status[p];
        if (ir.status[p] != SampleStatus::Match) st.alive[c] = 0;
        if (!ir.value_hash.empty()) {
          if (ir.value_hash[p] == 0) pr.stateless = true;
          else pr.state += state_term(w.sample, ir.value_hash[p]);
        }
      }
    }
  }

  Run* run_;
};

// Finish (serial): a task whose every wave is back. Folds its pairs by state when asked, hands new
// pairs to the result cache, and the task to the sink (validation, inlining, files).
class Finish {
 public:
  explicit Finish(Run& run) : run_(&run) {}
  flow::continue_msg operator()(std::uint32_t task) const {
    run_->guarded([&] { body(task); });
    return flow::continue_msg();
  }

 private:
  void body(std::uint32_t task) const {
    Run& run = *run_;
    if (run.failed.load()) return;
    auto f0 = Clock::now();
    TaskState& st = *run.states[task];
    TaskResult r;
    r.task = task;
    if (run.options.dedupe_states) {
      // The pairs that did not reach the test wave fold here (those that did were folded before it).
      std::vector<std::uint8_t> eligible(st.pairs.size());
      for (std::size_t c = 0; c < st.pairs.size(); ++c) eligible[c] = !st.cached[c] && !st.folded[c];
      run.fold(st, eligible);
      for (std::size_t c = 0; c < st.pairs.size(); ++c)
        if (!st.folded[c]) r.pairs.push_back(std::move(st.pairs[c]));
      run.state_duplicates += st.pairs.size() - r.pairs.size();
    } else {
      r.pairs = std::move(st.pairs);
    }
    r.evaluations = st.evaluations;
    const Task& t = run.tasks[task];
    r.skipped = st.candidates.size() * (t.train.size() + t.test.size()) - st.evaluations;
    run.skipped += r.skipped;
    for (const PairResult& pr : r.pairs) {
      if (!pr.cached) {
        if (run.options.cache) run.options.cache->add(task, pr);
        continue;
      }
      // A cached pair's cost still counts to its program, as if run: the costliest table is the
      // same whether a run was cold or warm.
      ProgramCost& pc = run.cached_costs[pr.program];
      pc.cost += pr.cost;
      for (const auto* statuses : {&pr.train, &pr.test})
        for (SampleStatus s : *statuses) {
          pc.evaluations += s != SampleStatus::Skipped;
          pc.errors += s == SampleStatus::Error;
          pc.budget_stops += s == SampleStatus::Budget;
        }
    }
    run.states[task].reset();
    if (task < run.context.memos.size() && run.context.memos[task]) run.context.memos[task]->clear();
    run.sink.on_task(std::move(r));
    std::size_t done = run.finished.fetch_add(1) + 1;
    if (run.progress) run.progress(done, run.task_order.size());
    std::lock_guard lock(run.metrics_mutex);
    run.seconds_finish += std::chrono::duration<double>(Clock::now() - f0).count();
  }

  Run* run_;
};

}  // namespace

EngineMetrics Engine::run(const std::vector<std::uint32_t>& task_order, const CandidateFilter& filter, TaskSink& sink,
                          const ProgressFn& progress) {
  const auto t0 = Clock::now();
  Run run(context_, options_, task_order, filter, sink, progress);
  flow::graph g;
  run.graph = &g;

  flow::input_node<std::uint32_t> source(g, TaskSource(run));
  flow::limiter_node<std::uint32_t> task_window(g, options_.task_window);
  flow::function_node<std::uint32_t, BatcherMsg> start(g, flow::unlimited, StartTask(run));
  Batcher::Pending pending;
  BatcherNode batcher(g, flow::serial, Batcher(run, pending));
  flow::queue_node<BatchPtr> batch_queue(g);
  flow::limiter_node<BatchPtr> inflight(g, options_.inflight_batches);
  RouterNode router(g, flow::unlimited, Router(run, gpus_.empty() ? nullptr : gpus_.front()));
  flow::function_node<BatchPtr, BatchResultPtr> cpu_node(g, flow::unlimited, Execute(run, cpu_));
  Devices devices;
  for (BatchExecutor* e : gpus_) devices.all.push_back(std::make_unique<Devices::Device>(*e));
  std::unique_ptr<GpuNode> gpu_node;
  if (!devices.all.empty()) gpu_node = std::make_unique<GpuNode>(g, flow::unlimited, SubmitToDevice(run, devices));
  GatherNode gather(g, flow::serial, Gather(run));
  flow::function_node<std::uint32_t, flow::continue_msg> finish(g, flow::serial, Finish(run));
  flow::function_node<flow::continue_msg> release_task(g, flow::unlimited, [&](const flow::continue_msg&) {
    task_window.decrementer().try_put(flow::continue_msg());
  });
  flow::function_node<flow::continue_msg> release_batch(g, flow::unlimited, [&](const flow::continue_msg&) {
    inflight.decrementer().try_put(flow::continue_msg());
  });

  flow::make_edge(source, task_window);
  flow::make_edge(task_window, start);
  flow::make_edge(start, batcher);
  flow::make_edge(flow::output_port<0>(batcher), batch_queue);
  flow::make_edge(flow::output_port<1>(batcher), finish);
  flow::make_edge(batch_queue, inflight);
  flow::make_edge(inflight, router);
  flow::make_edge(flow::output_port<0>(router), cpu_node);
  if (gpu_node) {
    flow::make_edge(flow::output_port<1>(router), *gpu_node);
    flow::make_edge(*gpu_node, gather);
  }
  flow::make_edge(flow::output_port<2>(router), release_batch);
  flow::make_edge(cpu_node, gather);
  flow::make_edge(flow::output_port<0>(gather), finish);
  flow::make_edge(flow::output_port<1>(gather), batcher);
  flow::make_edge(flow::output_port<2>(gather), release_batch);
  flow::make_edge(finish, release_task);

  std::vector<std::uint64_t> m_device_batches;
  for (BatchExecutor* e : gpus_) e->warm_up();
  source.activate();
  g.wait_for_all();
  // Every batch the devices ran is back (release_wait): join their threads before the nodes go.
  for (auto& d : devices.all) m_device_batches.push_back(d->batches.load());
  devices.all.clear();

  if (run.failure) {
    std::string what = "unknown failure";
    try {
      std::rethrow_exception(run.failure);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    throw RunFailed("run stopped: " + what + " (" + std::to_string(run.finished.load()) + " of " +
                    std::to_string(task_order.size()) + " tasks finished and journaled: --resume goes on from there)");
  }
  EngineMetrics& m = run.m;
  m.stopped = run.stopping() && run.finished.load() < task_order.size();
  if (!m.stopped && run.finished.load() != task_order.size())
    throw std::logic_error("engine: " + std::to_string(task_order.size() - run.finished.load()) +
                           " tasks did not complete (batcher stalled)");

  for (std::uint32_t p = 0; p < run.program_count; ++p) {
    ProgramCost& pc = m.program_costs[p];
    pc.cost += run.cached_costs[p].cost;
    pc.evaluations += run.cached_costs[p].evaluations;
    pc.errors += run.cached_costs[p].errors;
    pc.budget_stops += run.cached_costs[p].budget_stops;
  }
  if (options_.cache) {
    options_.cache->flush();
    m.cache = options_.cache->metrics();
  }
  m.evaluations = run.evaluations.load();
  m.errors = run.errors.load();
  m.budget_stops = run.budget_stops.load();
  m.pruned = run.pruned.load();
  m.state_duplicates = run.state_duplicates.load();
  m.state_tests_saved = run.state_tests_saved.load();
  m.cpu_batches = run.cpu_batches.load();
  m.gpu_batches = run.gpu_batches.load();
  m.batches = m.cpu_batches + m.gpu_batches;
  if (!gpus_.empty()) {
    m.routing = run.routing.report();
    m.device_batches = std::move(m_device_batches);
  }
  m.skipped = run.skipped.load();
  m.seconds_execute = run.seconds_execute;
  m.seconds_gather = run.seconds_gather;
  m.seconds_finish = run.seconds_finish;
  m.seconds_total = std::chrono::duration<double>(Clock::now() - t0).count();
  return std::move(m);
}

std::vector<std::uint32_t> costliest_programs(const std::vector<ProgramCost>& costs, std::size_t k) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t p = 0; p < costs.size(); ++p)
    if (costs[p].evaluations > 0) ids.push_back(p);
  auto costlier = [&](std::uint32_t a, std::uint32_t b) {
    return costs[a].cost != costs[b].cost ? costs[a].cost > costs[b].cost : a < b;
  };
  const std::size_t n = std::min(k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(), costlier);
  ids.resize(n);
  return ids;
}

}  // namespace megabatch::graph
