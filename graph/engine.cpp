// The flow graph itself (see engine.hpp for its shape).
#include "graph/engine.hpp"

#include "graph/result_cache.hpp"
#include "graph/states.hpp"

#include <tbb/flow_graph.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
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
    : context_(context), options_(options), cpu_(cpu), gpu_(gpu) {
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

}  // namespace

EngineMetrics Engine::run(const std::vector<std::uint32_t>& task_order, const CandidateFilter& filter, TaskSink& sink,
                          const ProgressFn& progress) {
  const auto t0 = Clock::now();
  const auto& tasks = *context_.tasks;
  const std::uint32_t program_count = static_cast<std::uint32_t>(context_.dag->program_count());
  const bool exhaustive = options_.exhaustive;
  const std::size_t max_batch = options_.max_batch;

  EngineMetrics m;
  m.tasks = task_order.size();
  m.programs = program_count;
  m.dag_nodes = context_.dag->size();
  m.program_costs.assign(program_count, ProgramCost{});
  for (std::uint32_t t : task_order) m.samples += tasks[t].train.size() + tasks[t].test.size();

  std::vector<std::unique_ptr<TaskState>> states(tasks.size());
  std::atomic<std::size_t> outstanding{0};  // batches emitted by the batcher and not yet gathered
  std::atomic<std::size_t> started{0}, finished{0};
  std::atomic<std::uint64_t> state_duplicates{0};
  std::atomic<std::uint64_t> skipped{0}, evaluations{0}, errors{0}, budget_stops{0}, pruned{0}, cpu_batches{0},
      gpu_batches{0};
  std::mutex metrics_mutex;
  double seconds_execute = 0, seconds_gather = 0, seconds_finish = 0;
  std::vector<ProgramCost> cached_costs(program_count);  // the finish node's own: merged at the end

  // State dedupe before the test wave: the pairs that matched every demo are folded into the shortest
  // of their state, which alone runs on the test inputs.
  const auto& dag_programs = context_.dag->dag().programs();
  const auto length = [&](std::uint32_t program) { return dag_programs[program].statements.size(); };
  std::atomic<std::uint64_t> state_tests_saved{0};
  auto fold_passing = [&](TaskState& st, const std::vector<std::uint32_t>& alive, std::uint32_t ntest) {
    std::vector<std::uint8_t> eligible(st.candidates.size(), 0);
    for (std::uint32_t p : alive) eligible[st.position[p]] = 1;
    const std::vector<std::size_t> rep = fold_states(st.pairs, eligible, length);
    std::vector<std::uint32_t> kept;
    for (std::uint32_t p : alive) {
      const std::size_t c = st.position[p];
      if (rep[c] == c) {
        kept.push_back(p);
      } else {
        st.folded[c] = 1;
        ++st.pairs[rep[c]].same_state;
        state_tests_saved += ntest;
      }
    }
    return kept;
  };

  // Splits the work of a task's next wave into items (at most max_batch evaluations each).
  auto plan_wave = [&](std::uint32_t task, TaskState& st) {
    std::vector<WorkItem> items;
    const Task& t = tasks[task];
    const std::uint32_t ntrain = static_cast<std::uint32_t>(t.train.size());
    const std::uint32_t ntest = static_cast<std::uint32_t>(t.test.size());
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
      if (exhaustive) {
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
        add(st.train_order[st.wave], false, alive, st.wave == 0 && options_.prune);
        ++st.wave;
      } else {
        if (options_.dedupe_states) alive = fold_passing(st, alive, ntest);
        for (std::uint32_t s = 0; s < ntest; ++s) add(s, true, alive);
        st.wave = kDone;
      }
    }
    std::size_t evals = 0;
    for (const auto& w : items) evals += w.programs.size();
    st.evaluations += evals;
    st.pending.store(static_cast<std::uint32_t>(items.size()));
    return items;
  };

  flow::graph g;

  // A failure in any node (a journal write on a full disk, a bad allocation) is kept, the graph is
  // cancelled and drained, and the run ends with that one error after wait_for_all: no node runs on
  // a half-done message, and what the sink already holds stays for --resume.
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto fail = [&] {
    {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
    failed.store(true);
    g.cancel();
  };
  // A node body that reports its exception through fail() instead of letting TBB cancel the graph
  // under the other nodes' feet; it then returns an empty message.
  auto guarded = [&fail](auto body) {
    return [&fail, body](auto&&... args) {
      using R = decltype(body(std::forward<decltype(args)>(args)...));
      try {
        return body(std::forward<decltype(args)>(args)...);
      } catch (...) {
        fail();
        if constexpr (!std::is_void_v<R>) return R{};
      }
    };
  };

  std::size_t next_task = 0;
  flow::input_node<std::uint32_t> source(g, [&](tbb::flow_control& fc) -> std::uint32_t {
    if (next_task >= task_order.size() || failed.load() || (options_.stop && options_.stop->load())) {
      fc.stop();
      return 0;
    }
    return task_order[next_task++];
  });
  flow::limiter_node<std::uint32_t> task_window(g, options_.task_window);

  using BatcherNode = flow::multifunction_node<BatcherMsg, std::tuple<BatchPtr, std::uint32_t>>;
  std::vector<WorkItem> pending;
  std::size_t pending_evals = 0;
  Clock::time_point oldest{};
  std::uint64_t next_batch_id = 0;

  flow::function_node<std::uint32_t, flow::continue_msg> finish(g, flow::serial, guarded([&](std::uint32_t task) {
    if (failed.load()) return flow::continue_msg();
    auto f0 = Clock::now();
    TaskState& st = *states[task];
    TaskResult r;
    r.task = task;
    if (options_.dedupe_states) {
      // The pairs that did not reach the test wave fold here (those that did were folded before it).
      std::vector<std::uint8_t> eligible(st.pairs.size());
      for (std::size_t c = 0; c < st.pairs.size(); ++c) eligible[c] = !st.cached[c] && !st.folded[c];
      const std::vector<std::size_t> rep = fold_states(st.pairs, eligible, length);
      for (std::size_t c = 0; c < st.pairs.size(); ++c)
        if (rep[c] != c) st.folded[c] = 1, ++st.pairs[rep[c]].same_state;
      for (std::size_t c = 0; c < st.pairs.size(); ++c)
        if (!st.folded[c]) r.pairs.push_back(std::move(st.pairs[c]));
      r.state_duplicates = st.pairs.size() - r.pairs.size();
      state_duplicates += r.state_duplicates;
    } else {
      r.pairs = std::move(st.pairs);
    }
    r.evaluations = st.evaluations;
    const Task& t = tasks[task];
    r.skipped = st.candidates.size() * (t.train.size() + t.test.size()) - st.evaluations;
    skipped += r.skipped;
    for (const PairResult& pr : r.pairs) {
      if (!pr.cached) {
        if (options_.cache) options_.cache->add(task, pr);
        continue;
      }
      // A cached pair's cost still counts to its program, as if run: the costliest table is the
      // same whether a run was cold or warm.
      ProgramCost& pc = cached_costs[pr.program];
      pc.cost += pr.cost;
      for (const auto* statuses : {&pr.train, &pr.test})
        for (SampleStatus s : *statuses) {
          pc.evaluations += s != SampleStatus::Skipped;
          pc.errors += s == SampleStatus::Error;
          pc.budget_stops += s == SampleStatus::Budget;
        }
    }
    states[task].reset();
    if (task < context_.memos.size() && context_.memos[task]) context_.memos[task]->clear();
    sink.on_task(std::move(r));
    std::size_t done = finished.fetch_add(1) + 1;
    if (progress) progress(done, task_order.size());
    std::lock_guard lock(metrics_mutex);
    seconds_finish += std::chrono::duration<double>(Clock::now() - f0).count();
    return flow::continue_msg();
  }));

  const auto stopping = [&] { return options_.stop && options_.stop->load(); };
  BatcherNode batcher(g, flow::serial, guarded([&](const BatcherMsg& msg, BatcherNode::output_ports_type& ports) {
    if (failed.load()) return;
    if (stopping()) {  // Ctrl-C: no new batch; the batches under way come back and the graph drains
      pending.clear();
      pending_evals = 0;
      return;
    }
    if (msg.kind == BatcherMsg::Kind::Start) {
      const std::uint32_t task = msg.task;
      auto st = std::make_unique<TaskState>();
      st->position.assign(program_count, -1);
      st->candidates = std::move(msg.start->candidates);
      for (std::size_t c = 0; c < st->candidates.size(); ++c) st->position[st->candidates[c]] = static_cast<std::int32_t>(c);
      const Task& t = tasks[task];
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
      auto& hits = msg.start->cached;
      for (std::size_t c = 0; c < hits.size(); ++c)
        if (hits[c]) {
          st->pairs[c] = std::move(*hits[c]);
          st->alive[c] = 0;
          st->cached[c] = 1;
        }
      st->train_order.resize(t.train.size());
      for (std::uint32_t k = 0; k < t.train.size(); ++k) st->train_order[k] = k;
      if (options_.wave_order == WaveOrder::SmallestFirst)
        std::stable_sort(st->train_order.begin(), st->train_order.end(), [&](std::uint32_t a, std::uint32_t b) {
          return t.train[a].input.cells.size() < t.train[b].input.cells.size();
        });
      states[task] = std::move(st);
      started.fetch_add(1);
      auto items = plan_wave(task, *states[task]);
      if (items.empty()) std::get<1>(ports).try_put(task);
      for (auto& w : items) {
        if (pending.empty()) oldest = Clock::now();
        pending_evals += w.programs.size();
        pending.push_back(std::move(w));
      }
    } else if (msg.kind == BatcherMsg::Kind::Items) {
      for (const auto& w : msg.items) {
        if (pending.empty()) oldest = Clock::now();
        pending_evals += w.programs.size();
        pending.push_back(w);
      }
    }
    auto emit = [&](std::size_t limit) {
      auto b = std::make_shared<Batch>();
      b->id = next_batch_id++;
      b->hash_values = options_.dedupe_states;
      std::size_t taken = 0;
      while (taken < pending.size() && (b->evaluations == 0 || b->evaluations + pending[taken].programs.size() <= limit)) {
        b->evaluations += pending[taken].programs.size();
        b->items.push_back(std::move(pending[taken]));
        ++taken;
      }
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(taken));
      pending_evals -= b->evaluations;
      if (!pending.empty()) oldest = Clock::now();
      outstanding.fetch_add(1);
      std::get<0>(ports).try_put(b);
    };
    while (pending_evals >= max_batch) emit(max_batch);
    if (!pending.empty()) {
      // Flush a partial batch when nothing else is running and no new task can arrive soon, or when
      // it has waited long enough; otherwise let it fill up.
      const std::size_t in_window = started.load() - finished.load();
      const bool no_more_starts = started.load() == task_order.size() || in_window >= options_.task_window ||
                                  (options_.stop && options_.stop->load());
      const bool waited = Clock::now() - oldest >= std::chrono::milliseconds(options_.max_wait_ms);
      if ((outstanding.load() == 0 && no_more_starts) || (waited && outstanding.load() < options_.inflight_batches))
        emit(max_batch);
    }
  }));

  // A task's candidates and its result cache lookups, for several tasks at once (the batcher is serial).
  flow::function_node<std::uint32_t, BatcherMsg> start_msg(g, flow::unlimited, guarded([&](std::uint32_t task) {
    BatcherMsg m;
    m.kind = BatcherMsg::Kind::Start;
    m.task = task;
    m.start = std::make_shared<BatcherMsg::Start>();
    for (std::uint32_t p = 0; p < program_count; ++p)
      if (!filter || filter(task, p)) m.start->candidates.push_back(p);
    if (options_.cache) m.start->cached = options_.cache->find(task, m.start->candidates);
    return m;
  }));

  flow::queue_node<BatchPtr> batch_queue(g);
  flow::limiter_node<BatchPtr> inflight(g, options_.inflight_batches);

  using RouterNode = flow::multifunction_node<BatchPtr, std::tuple<BatchPtr, BatchPtr>>;
  const bool gpu_present = gpu_ != nullptr;
  const std::size_t min_gpu = options_.min_gpu_batch;
  RouterNode router(g, flow::unlimited, [&](const BatchPtr& b, RouterNode::output_ports_type& ports) {
    // After Ctrl-C a batch still queued is dropped, not run: the batcher emits full batches eagerly, so
    // the queue may hold the whole rest of the run. Its tasks never complete and are not journaled.
    if (stopping()) {
      outstanding.fetch_sub(1);
      inflight.decrementer().try_put(flow::continue_msg());
      return;
    }
    if (route_for(b->evaluations, min_gpu, gpu_present) == Route::Gpu) std::get<1>(ports).try_put(b);
    else std::get<0>(ports).try_put(b);
  });

  auto run_on = [&](BatchExecutor& ex) {
    return guarded([&](const BatchPtr& b) -> BatchResultPtr {
      if (failed.load()) return nullptr;
      BatchResultPtr r = ex.execute(b);
      std::lock_guard lock(metrics_mutex);
      seconds_execute += r->seconds;
      return r;
    });
  };
  flow::function_node<BatchPtr, BatchResultPtr> cpu_node(g, flow::unlimited, run_on(cpu_));
  std::unique_ptr<flow::function_node<BatchPtr, BatchResultPtr>> gpu_node;
  if (gpu_) gpu_node = std::make_unique<flow::function_node<BatchPtr, BatchResultPtr>>(g, flow::unlimited, run_on(*gpu_));

  flow::function_node<BatchResultPtr, flow::continue_msg> gather(g, flow::serial, guarded([&](const BatchResultPtr& r) {
    if (!r || failed.load()) return flow::continue_msg();
    auto g0 = Clock::now();
    const Batch& b = *r->batch;
    (r->route == Route::Gpu ? gpu_batches : cpu_batches).fetch_add(1);
    errors += r->errors;
    budget_stops += r->budget_stops;
    pruned += r->pruned;
    evaluations += b.evaluations;
    {
      std::lock_guard lock(metrics_mutex);
      ++m.batch_size_histogram[bucket(b.evaluations)];
    }
    std::vector<WorkItem> next;
    std::vector<std::uint32_t> done;
    for (std::size_t k = 0; k < b.items.size(); ++k) {
      const WorkItem& w = b.items[k];
      TaskState& st = *states[w.task];
      const ItemResult& ir = r->items[k];
      for (std::size_t p = 0; p < w.programs.size(); ++p) {
        const std::int32_t c = st.position[w.programs[p]];
        PairResult& pr = st.pairs[c];
        ProgramCost& pc = m.program_costs[w.programs[p]];  // the gather is serial: no lock
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
      // Per-task countdown: the task's wave is complete when its last item is back. After Ctrl-C a
      // task that has waves left is abandoned (the batcher takes nothing more): it is not journaled,
      // so --resume runs it whole; a task whose last wave this was still finishes.
      if (st.pending.fetch_sub(1) == 1) {
        auto items = plan_wave(w.task, st);
        if (items.empty()) done.push_back(w.task);
        for (auto& it : items) next.push_back(std::move(it));
      }
    }
    outstanding.fetch_sub(1);
    inflight.decrementer().try_put(flow::continue_msg());
    for (std::uint32_t t : done) finish.try_put(t);
    BatcherMsg msg;
    msg.kind = next.empty() ? BatcherMsg::Kind::Tick : BatcherMsg::Kind::Items;
    msg.items = std::move(next);
    batcher.try_put(std::move(msg));
    std::lock_guard lock(metrics_mutex);
    seconds_gather += std::chrono::duration<double>(Clock::now() - g0).count();
    return flow::continue_msg();
  }));

  flow::function_node<flow::continue_msg> release_task(g, flow::unlimited, [&](const flow::continue_msg&) {
    task_window.decrementer().try_put(flow::continue_msg());
  });

  flow::make_edge(source, task_window);
  flow::make_edge(task_window, start_msg);
  flow::make_edge(start_msg, batcher);
  flow::make_edge(flow::output_port<0>(batcher), batch_queue);
  flow::make_edge(flow::output_port<1>(batcher), finish);
  flow::make_edge(batch_queue, inflight);
  flow::make_edge(inflight, router);
  flow::make_edge(flow::output_port<0>(router), cpu_node);
  if (gpu_node) {
    flow::make_edge(flow::output_port<1>(router), *gpu_node);
    flow::make_edge(*gpu_node, gather);
  }
  flow::make_edge(cpu_node, gather);
  flow::make_edge(finish, release_task);

  source.activate();
  g.wait_for_all();

  if (failure) {
    std::string what = "unknown failure";
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    throw RunFailed("run stopped: " + what + " (" + std::to_string(finished.load()) + " of " +
                    std::to_string(task_order.size()) + " tasks finished and journaled: --resume goes on from there)");
  }
  m.stopped = stopping() && finished.load() < task_order.size();
  if (!m.stopped && finished.load() != task_order.size())
    throw std::logic_error("engine: " + std::to_string(task_order.size() - finished.load()) +
                           " tasks did not complete (batcher stalled)");

  for (std::uint32_t p = 0; p < program_count; ++p) {
    ProgramCost& pc = m.program_costs[p];
    pc.cost += cached_costs[p].cost;
    pc.evaluations += cached_costs[p].evaluations;
    pc.errors += cached_costs[p].errors;
    pc.budget_stops += cached_costs[p].budget_stops;
  }
  if (options_.cache) {
    options_.cache->flush();
    m.cache = options_.cache->metrics();
  }
  m.evaluations = evaluations.load();
  m.errors = errors.load();
  m.budget_stops = budget_stops.load();
  m.pruned = pruned.load();
  m.state_duplicates = state_duplicates.load();
  m.state_tests_saved = state_tests_saved.load();
  m.cpu_batches = cpu_batches.load();
  m.gpu_batches = gpu_batches.load();
  m.batches = m.cpu_batches + m.gpu_batches;
  m.skipped = skipped.load();
  m.seconds_execute = seconds_execute;
  m.seconds_gather = seconds_gather;
  m.seconds_finish = seconds_finish;
  m.seconds_total = std::chrono::duration<double>(Clock::now() - t0).count();
  return m;
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
