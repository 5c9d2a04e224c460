#include "cpu/executor.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

using program::NodeId;
using program::NodeKind;

namespace {
// One slot per primitive plus one for calls of callable values. Every thread adds into its own
// table (one writer: a relaxed load and store, no locked add, no cache line shared between
// workers); readers sum the tables of every thread that ever ran an evaluation.
struct TimeSlot {
  std::atomic<std::int64_t> ns{0}, evaluations{0};
  void add(std::int64_t dt) {
    ns.store(ns.load(std::memory_order_relaxed) + dt, std::memory_order_relaxed);
    evaluations.store(evaluations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};
struct SlotTables {
  std::mutex mutex;
  std::vector<std::unique_ptr<std::vector<TimeSlot>>> tables;  // never freed: threads may outlive a run
};
SlotTables& slot_tables() {
  static SlotTables t;
  return t;
}
std::vector<TimeSlot>& time_slots() {
  thread_local std::vector<TimeSlot>* mine = [] {
    SlotTables& t = slot_tables();
    std::lock_guard lock(t.mutex);
    t.tables.push_back(std::make_unique<std::vector<TimeSlot>>(primitives().size() + 1));
    return t.tables.back().get();
  }();
  return *mine;
}
}  // namespace

std::vector<PrimitiveTime> primitive_times() {
  std::vector<PrimitiveTime> out(primitives().size() + 1);
  SlotTables& t = slot_tables();
  std::lock_guard lock(t.mutex);
  for (const auto& table : t.tables)
    for (std::size_t k = 0; k < out.size(); ++k) {
      out[k].ns += (*table)[k].ns.load(std::memory_order_relaxed);
      out[k].evaluations += (*table)[k].evaluations.load(std::memory_order_relaxed);
    }
  return out;
}

std::vector<std::pair<std::string, PrimitiveTime>> primitive_times_by_cost() {
  const auto times = primitive_times();
  const auto& prims = primitives();
  std::vector<std::pair<std::string, PrimitiveTime>> rows;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (times[k].evaluations) {
      rows.emplace_back(k < prims.size() ? prims[k].name : std::string("<callable>"), times[k]);
      rows.back().second.id = k < prims.size() ? static_cast<int>(k) : -1;
    }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
  return rows;
}

void reset_primitive_times() {
  SlotTables& t = slot_tables();
  std::lock_guard lock(t.mutex);
  for (auto& table : t.tables)
    for (auto& s : *table) s.ns = 0, s.evaluations = 0;
}

std::optional<TaskMemo::Entry> TaskMemo::find(program::NodeId node) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(node);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void TaskMemo::insert(program::NodeId node, Entry entry) {
  std::lock_guard lock(mutex_);
  entries_.try_emplace(node, std::move(entry));
}

void TaskMemo::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

const char* to_string(EvalStatus s) {
  switch (s) {
    case EvalStatus::Ok: return "ok";
    case EvalStatus::Error: return "error";
    case EvalStatus::Budget: return "budget";
    case EvalStatus::Pruned: return "pruned";
  }
  return "?";
}

CompiledDag::CompiledDag(const program::Dag& dag) : dag_(dag) {
  nodes_.resize(dag.size());
  for (NodeId id = 0; id < dag.size(); ++id) {
    const program::Node& n = dag.node(id);
    CNode& c = nodes_[id];
    switch (n.kind) {
      case NodeKind::Param:
        if (n.name == "I") c.op = Op::ParamI;
        else if (n.name == "S") c.op = Op::ParamS;
        else if (n.name == "C") c.op = Op::ParamC;
        else c.error = "unknown parameter '" + n.name + "'";
        break;
      case NodeKind::Primitive:
        if (int p = primitive_id(n.name, n.dialect); p >= 0) {
          c.op = Op::Value;
          c.value = Value::primitive(p);
        } else {
          c.error = "unknown primitive '" + n.name + "'";
        }
        break;
      case NodeKind::Constant:
        if (n.name == "True" || n.name == "False") {
          c.op = Op::Value;
          c.value = Value::boolean(n.name == "True");
        } else if (n.name == "None") {
          c.op = Op::Value;
          c.value = Value::none();
        } else if (auto v = find_constant(n.name, n.dialect)) {
          c.op = Op::Value;
          c.value = *v;
        } else {
          c.error = "unknown constant '" + n.name + "'";
        }
        break;
      case NodeKind::IntLiteral:
        c.op = Op::Value;
        c.value = Value::integer(n.value);
        break;
      case NodeKind::Call: {
        c.first_arg = static_cast<std::uint32_t>(args_.size());
        c.arg_count = static_cast<std::uint32_t>(n.args.size());
        args_.insert(args_.end(), n.args.begin(), n.args.end());
        const program::Node& callee = dag.node(n.callee);
        int p = callee.kind == NodeKind::Primitive ? primitive_id(callee.name, callee.dialect) : -1;
        if (p >= 0) {
          // Direct calls skip the callable dispatch; arity is checked once here, not per sample. A
          // tokpidjin primitive called with the wrong count returns its default (invoke does that).
          const auto& info = primitives()[p];
          const int given = static_cast<int>(n.args.size());
          if ((given < info.min_arity || given > info.arity) && info.safe == SafeDefault::None) {
            c.error = info.name + "() takes " + std::to_string(info.arity) + " arguments but " +
                      std::to_string(n.args.size()) + " were given";
          } else {
            c.op = Op::CallPrimitive;
            c.primitive = p;
          }
        } else {
          c.op = Op::CallValue;
          c.callee = n.callee;
        }
        break;
      }
    }
  }
  // Which steps depend on S but not on I (ids are topological: inputs come first).
  std::vector<std::uint8_t> uses(dag.size(), 0);  // bit 1: I, bit 2: S
  per_task_.assign(dag.size(), 0);
  for (NodeId id = 0; id < dag.size(); ++id) {
    const program::Node& n = dag.node(id);
    if (n.kind == NodeKind::Param) uses[id] = n.name == "I" ? 1 : n.name == "S" ? 2 : 0;
    if (n.kind != NodeKind::Call) continue;
    uses[id] = uses[n.callee];
    for (NodeId a : n.args) uses[id] |= uses[a];
    per_task_[id] = uses[id] == 2;
  }
  DagPrimitives prims;
  prims.called = [&](NodeId id) -> const PrimitiveInfo* {
    return nodes_[id].op == Op::CallPrimitive ? &primitives()[nodes_[id].primitive] : nullptr;
  };
  prims.int_constant = [&](NodeId id) { return int_constant(dag.node(id)); };
  prims.named = [&](NodeId id) -> const PrimitiveInfo* {
    const program::Node& n = dag.node(id);
    if (n.kind != NodeKind::Primitive) return nullptr;
    const int p = primitive_id(n.name, n.dialect);
    return p < 0 ? nullptr : &primitives()[p];
  };
  for (const auto& p : dag.programs()) {
    prims.dialect = p.dialect;
    witnesses_.push_back(find_witnesses(dag, p.output, prims));
  }
}

void Evaluator::run(std::span<const std::uint32_t> programs, const Sample& sample, const EvalLimits& limits,
                    std::vector<Outcome>& out, const Grid* expected) {
  const auto& nodes = dag_.nodes_;
  const auto& dag_programs = dag_.dag().programs();
  const std::size_t n = nodes.size();
  if (values_.size() != n) {
    values_.assign(n, Value());
    state_.assign(n, NodeState{});
    messages_.assign(n, 0);
    stamp_.assign(n, 0);
    position_.assign(n, 0);
  }
  message_pool_.resize(kFixedMessages);  // this run's messages start afresh
  // Union of the requested slices, in ascending (topological) id order.
  if (++generation_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
  order_.clear();
  for (std::uint32_t p : programs)
    for (NodeId id : dag_programs[p].slice)
      if (stamp_[id] != generation_) {
        stamp_[id] = generation_;
        order_.push_back(id);
      }
  // A wave of many programs touches most of the DAG: a scan of the stamps is then cheaper than a sort.
  if (order_.size() * 8 >= n) {
    order_.clear();
    for (NodeId id = 0; id < n; ++id)
      if (stamp_[id] == generation_) order_.push_back(id);
  } else {
    std::sort(order_.begin(), order_.end());
  }

  // Which requested programs use each node (CSR over positions in order_): a node runs under the
  // largest budget any of them has left, so a program stops as soon as its slice has spent its
  // own budget, never after every step has taken a fresh one.
  for (std::uint32_t t = 0; t < order_.size(); ++t) position_[order_[t]] = t;
  member_begin_.assign(order_.size() + 1, 0);
  for (std::uint32_t p : programs)
    for (NodeId id : dag_programs[p].slice) ++member_begin_[position_[id] + 1];
  for (std::size_t t = 0; t < order_.size(); ++t) member_begin_[t + 1] += member_begin_[t];
  members_.resize(member_begin_.back());
  cursor_.assign(member_begin_.begin(), member_begin_.end() - 1);
  for (std::uint32_t k = 0; k < programs.size(); ++k)
    for (NodeId id : dag_programs[programs[k]].slice) members_[cursor_[position_[id]]++] = k;
  spent_.assign(programs.size(), Spent{});
  const std::int64_t wall_ns = limits.wall_ms > 0 ? limits.wall_ms * 1'000'000 : 0;

  // Constants and parameters first: they cost nothing, and witnesses may read them from the start.
  const auto is_step = [&](NodeId id) {
    return nodes[id].op == CompiledDag::Op::CallPrimitive || nodes[id].op == CompiledDag::Op::CallValue;
  };
  for (NodeId id : order_) {
    const auto& c = nodes[id];
    NodeState& st = state_[id];
    st = NodeState{EvalStatus::Ok, 0, 0, 0, false};
    switch (c.op) {
      case CompiledDag::Op::Value: values_[id] = c.value; break;
      case CompiledDag::Op::ParamI: values_[id] = sample.I; break;
      case CompiledDag::Op::ParamS: values_[id] = sample.S; break;
      case CompiledDag::Op::ParamC: values_[id] = sample.C; break;
      case CompiledDag::Op::Unresolved:
        st.status = EvalStatus::Error;
        messages_[id] = message(c.error);
        break;
      case CompiledDag::Op::CallPrimitive:
      case CompiledDag::Op::CallValue: break;
    }
  }

  // Witnesses, in evaluation order: each is looked at before the first step after the last node it
  // reads (before any step when it reads only constants and parameters).
  const auto ready_at = [&](NodeId id) { return is_step(id) ? position_[id] + 1 : 0u; };
  checks_.clear();
  pruned_.assign(programs.size(), 0);
  failed_.assign(programs.size(), 0);
  std::size_t pruned_count = 0, next_check = 0;  // pruned_count: programs pruned or failed
  const auto stopped = [&](std::uint32_t k) { return pruned_[k] | failed_[k]; };
  // A step at position t ended in an error: a program for which it is a line, every earlier line
  // of which has run without failing, ends here as in CPython. (A line hash-consed to a node that
  // runs before an earlier line of its program is left to the outcome loop, which reads the lines
  // in order.)
  const auto note_error = [&](NodeId id, std::uint32_t t) {
    for (std::uint32_t m = member_begin_[t]; m < member_begin_[t + 1]; ++m) {
      const std::uint32_t k = members_[m];
      if (stopped(k)) continue;
      for (const NodeId s : dag_programs[programs[k]].statements) {
        if (s == id) {
          failed_[k] = 1, ++pruned_count;
          break;
        }
        if (position_[s] >= t || state_[s].status != EvalStatus::Ok) break;
      }
    }
  };
  if (expected)
    for (std::uint32_t k = 0; k < programs.size(); ++k) {
      for (const auto& w : dag_.shape_witnesses(programs[k]))
        checks_.push_back({ready_at(w.node), k, false, w.transposed, w.node});
      const auto& colour = dag_.colour_witnesses(programs[k]);
      for (std::size_t which = 0; which < colour.size(); ++which) {
        std::uint32_t ready = 0;
        for (NodeId x : colour[which].needs) ready = std::max(ready, ready_at(x));
        checks_.push_back({ready, k, true, false, static_cast<NodeId>(which)});
      }
    }
  std::sort(checks_.begin(), checks_.end(), [](const Check& a, const Check& b) { return a.ready < b.ready; });
  auto look_at_witnesses_before = [&](std::uint32_t t) {
    for (; next_check < checks_.size() && checks_[next_check].ready <= t; ++next_check) {
      const Check& ch = checks_[next_check];
      if (pruned_[ch.program]) continue;
      if (ch.colour) {
        // every value it reads must exist (a failed one fails the program anyway)
        const ColourWitness& cw = dag_.colour_witnesses(programs[ch.program])[ch.node];
        bool ready = true;
        for (NodeId x : cw.needs) ready = ready && state_[x].status == EvalStatus::Ok;
        if (ready && !may_equal(cw, values_, *expected)) pruned_[ch.program] = 1, ++pruned_count;
        continue;
      }
      const NodeId w = ch.node;
      if (state_[w].status != EvalStatus::Ok || values_[w].kind() != Kind::Grid) continue;
      const Grid& g = values_[w].grid();
      const bool fits = ch.transposed ? g.w == expected->h && g.h == expected->w : g.h == expected->h && g.w == expected->w;
      if (!fits) pruned_[ch.program] = 1, ++pruned_count;
    }
  };

  // Liveness: the last step that reads each value; outputs and witnesses' nodes are kept to the end.
  constexpr std::uint32_t kKeep = UINT32_MAX;
  last_read_.assign(order_.size(), 0);
  for (std::uint32_t t = 0; t < order_.size(); ++t) {
    if (!is_step(order_[t])) continue;  // only a step reads its inputs (and drops them after)
    const auto& c = nodes[order_[t]];
    if (c.op == CompiledDag::Op::CallValue) last_read_[position_[c.callee]] = t;
    for (std::uint32_t k = 0; k < c.arg_count; ++k) last_read_[position_[dag_.args_[c.first_arg + k]]] = t;
  }
  const auto keep = [&](NodeId x) {
    if (stamp_[x] == generation_) last_read_[position_[x]] = kKeep;
  };
  for (std::uint32_t p : programs) keep(dag_programs[p].output);
  for (const Check& ch : checks_) {
    if (!ch.colour) keep(ch.node);
    else
      for (NodeId x : dag_.colour_witnesses(programs[ch.program])[ch.node].needs) keep(x);
  }
  auto drop_read_values = [&](const CompiledDag::CNode& c, std::uint32_t t) {
    auto drop = [&](NodeId in) {
      if (last_read_[position_[in]] == t && is_step(in)) values_[in] = Value();
    };
    if (c.op == CompiledDag::Op::CallValue) drop(c.callee);
    for (std::uint32_t k = 0; k < c.arg_count; ++k) drop(dag_.args_[c.first_arg + k]);
  };

  std::vector<Value> args;
  std::int64_t clock_ns = 0;  // when the last step ended (0: none has run yet)
  for (std::uint32_t t = 0; t < order_.size(); ++t) {
    const NodeId id = order_[t];
    if (!is_step(id)) continue;  // set above
    look_at_witnesses_before(t);
    const auto& c = nodes[id];
    // However the step ends (run, failed input, budget spent, not needed), inputs it read last go.
    struct DropInputs {
      const decltype(drop_read_values)& drop;
      const CompiledDag::CNode& c;
      std::uint32_t t;
      ~DropInputs() { drop(c, t); }
    } drop_inputs{drop_read_values, c, t};
    NodeState& st = state_[id];
    // However the step ends, an error ends the programs for which it is their first failing line.
    struct NoteError {
      const decltype(note_error)& note;
      const NodeState& st;
      NodeId id;
      std::uint32_t t;
      ~NoteError() {
        if (st.status == EvalStatus::Error) note(id, t);
      }
    } note_error_after{note_error, st, id, t};
    // A failed input fails the node with the same status and message (only dependents are marked).
    bool inputs_ok = true;
    auto check = [&](NodeId in) {
      if (inputs_ok && state_[in].status != EvalStatus::Ok) {
        inputs_ok = false;
        st.status = state_[in].status;
        st.clock = state_[in].clock;
        messages_[id] = messages_[in];  // an index: no string copied
      }
    };
    if (c.op == CompiledDag::Op::CallValue) check(c.callee);
    for (std::uint32_t k = 0; k < c.arg_count; ++k) check(dag_.args_[c.first_arg + k]);
    if (!inputs_ok) {
      values_[id] = Value();
      continue;
    }
    // Programs already pruned neither need this step nor lend it their budget; a step that only
    // they use is not run (its dependents are theirs too: a slice holds its nodes' inputs).
    bool needed = pruned_count == 0;
    for (std::uint32_t m = member_begin_[t]; !needed && m < member_begin_[t + 1]; ++m) needed = !stopped(members_[m]);
    if (!needed) {
      st.status = EvalStatus::Pruned;
      messages_[id] = kNotRunMessage;
      values_[id] = Value();
      continue;
    }
    Budget budget;
    budget.max_cells = budget.max_calls = std::numeric_limits<std::int64_t>::min();
    std::int64_t ns_left = std::numeric_limits<std::int64_t>::min();
    for (std::uint32_t m = member_begin_[t]; m < member_begin_[t + 1]; ++m) {
      if (stopped(members_[m])) continue;
      const Spent& s = spent_[members_[m]];
      budget.max_cells = std::max(budget.max_cells, limits.max_cells - s.cells);
      budget.max_calls = std::max(budget.max_calls, limits.max_calls - s.calls);
      ns_left = std::max(ns_left, wall_ns - s.ns);
    }
    if (budget.max_cells < 0 || budget.max_calls < 0 || (wall_ns && ns_left <= 0)) {
      // Every program using this node has already spent its budget on earlier steps.
      st.status = EvalStatus::Budget;
      st.clock = budget.max_cells >= 0 && budget.max_calls >= 0;
      messages_[id] = kBudgetSpentMessage;
      values_[id] = Value();
      continue;
    }
    // A value of the task (S only): computed once under a full budget of its own, and charged to
    // every program using it as if it were computed here.
    const bool shared = sample.memo && dag_.per_task(id);
    if (shared) {
      auto entry = sample.memo->find(id);
      if (!entry) {
        entry = compute_for_task(c, limits, wall_ns);
        sample.memo->insert(id, *entry);
        clock_ns = 0;  // that time is the task's, not the next step's
      }
      st.status = entry->status;
      st.clock = entry->clock;
      st.calls = entry->calls;
      st.cells = entry->cells;
      st.ns = 0;
      values_[id] = entry->value;
      messages_[id] = entry->message.empty() ? 0 : message(entry->message);
      for (std::uint32_t m = member_begin_[t]; m < member_begin_[t + 1]; ++m) {
        if (failed_[members_[m]]) continue;
        Spent& s = spent_[members_[m]];
        s.cells += st.cells, s.calls += st.calls;
      }
      continue;
    }
    // Borrowed handles: values_ holds the arguments for the whole step.
    args.clear();
    args.resize(c.arg_count);
    for (std::uint32_t k = 0; k < c.arg_count; ++k) args[k].set_borrowed(values_[dag_.args_[c.first_arg + k]]);
    // One clock read a step: a step starts when the previous one ended (the bookkeeping between
    // them is charged to the next), and the clock costs tens of nanoseconds in a virtual machine.
    if (clock_ns == 0) clock_ns = steady_now_ns();
    const std::int64_t start = clock_ns;
    budget.deadline_ns = wall_ns ? start + ns_left : 0;
    ++node_evals_;
    try {
      BudgetScope scope(&budget);
      // The step is an entry point: its handlers below name the innermost failing primitive.
      clear_error_site();
      const Value primitive = Value::primitive(c.primitive);
      values_[id] = call(c.op == CompiledDag::Op::CallPrimitive ? primitive : values_[c.callee], args);
      // A closure that is a program step lives for the whole sample and is typically called from
      // inside other loops: it may be memoised (cpu/dsl/registry.cpp). Closures built inside loops
      // are short-lived and never are.
      mark_memo_candidate(values_[id]);
    } catch (const BudgetExceeded& e) {
      clear_error_site();
      st.status = EvalStatus::Budget;
      st.clock = e.clock();
      messages_[id] = message(e.what());
      values_[id] = Value();
    } catch (const std::exception& e) {
      st.status = EvalStatus::Error;
      messages_[id] = message(error_message(e));
      values_[id] = Value();
    }
    st.cells = budget.cells_used;
    st.calls = budget.calls_used;
    clock_ns = steady_now_ns();
    st.ns = clock_ns - start;
    for (std::uint32_t m = member_begin_[t]; m < member_begin_[t + 1]; ++m) {
      if (failed_[members_[m]]) continue;  // a program that has failed does not pay for what others still need
      Spent& s = spent_[members_[m]];
      s.cells += st.cells, s.calls += st.calls, s.ns += st.ns;
    }
    std::vector<TimeSlot>& slots = time_slots();
    slots[c.op == CompiledDag::Op::CallPrimitive ? c.primitive : slots.size() - 1].add(st.ns);
  }

  out.resize(programs.size());
  for (std::size_t k = 0; k < programs.size(); ++k) {
    const auto& prog = dag_programs[programs[k]];
    Outcome& o = out[k];
    o.status = EvalStatus::Ok;
    o.message.clear();
    o.value = Value();
    // The program's own budget covers every node of its slice, shared or not (summed as they ran).
    const auto [cells, calls, ns] = spent_[k];
    o.calls = calls;
    o.cells = cells;
    o.timed_out = false;
    if (pruned_[k]) {
      o.status = EvalStatus::Pruned;
      o.message = "pruned: the output cannot equal the expected grid";
      continue;
    }
    // Over budget wins over any other failure: which step ran out depends on the other programs
    // of the batch (see above), that the program ran out does not.
    if (cells > limits.max_cells || calls > limits.max_calls || (wall_ns && ns > wall_ns)) {
      o.status = EvalStatus::Budget;
      o.message = cells > limits.max_cells ? "cell budget of " + std::to_string(limits.max_cells) + " exceeded"
                  : calls > limits.max_calls ? "call budget of " + std::to_string(limits.max_calls) + " exceeded"
                                             : "wall-time budget of " + std::to_string(limits.wall_ms) + " ms exceeded";
      o.timed_out = cells <= limits.max_cells && calls <= limits.max_calls;  // the clock, not a count
      continue;
    }
    // CPython runs the lines in order and the first that raises ends the call, used or not.
    const NodeId* failed = nullptr;
    for (const NodeId& s : prog.statements)
      if (state_[s].status != EvalStatus::Ok) {
        failed = &s;
        break;
      }
    if (failed) {
      o.status = state_[*failed].status;
      o.message = message_pool_[messages_[*failed]];
      o.timed_out = o.status == EvalStatus::Budget && state_[*failed].clock;
      continue;
    }
    o.value = values_[prog.output];
  }
  if (std::getenv("MB_EVAL_DUMP"))
    for (std::size_t k = 0; k < programs.size(); ++k) {
      const bool eq = out[k].status == EvalStatus::Ok && expected && out[k].value.kind() == Kind::Grid && out[k].value.grid() == *expected;
      const bool g = out[k].status == EvalStatus::Ok && out[k].value.kind() == Kind::Grid;
      std::fprintf(stderr, "EVD %s %d %d %lld %lld %d %d %d %d %s %p\n", dag_programs[programs[k]].name.c_str(), (int)out[k].status, (int)eq, (long long)spent_[k].ns, (long long)spent_[k].calls,
        g ? (int)out[k].value.grid().h : -1, g ? (int)out[k].value.grid().w : -1, expected ? (int)expected->h : -1, expected ? (int)expected->w : -1, g ? "grid" : out[k].value.type_name(), (void*)sample.memo);
    }
  // Drop references so large intermediate values do not outlive the sample.
  for (NodeId id : order_) values_[id] = Value();
}

TaskMemo::Entry Evaluator::compute_for_task(const CompiledDag::CNode& c, const EvalLimits& limits, std::int64_t wall_ns) {
  std::vector<Value> args(c.arg_count);
  for (std::uint32_t k = 0; k < c.arg_count; ++k) args[k].set_borrowed(values_[dag_.args_[c.first_arg + k]]);
  Budget budget;
  budget.max_cells = limits.max_cells;
  budget.max_calls = limits.max_calls;
  budget.deadline_ns = wall_ns ? steady_now_ns() + wall_ns : 0;
  TaskMemo::Entry e{EvalStatus::Ok, Value(), {}, 0, 0, false};
  ++node_evals_;
  try {
    BudgetScope scope(&budget);
    clear_error_site();
    const Value primitive = Value::primitive(c.primitive);
    // Not a memo candidate: the value is shared by every thread evaluating the task.
    e.value = call(c.op == CompiledDag::Op::CallPrimitive ? primitive : values_[c.callee], args);
  } catch (const BudgetExceeded& ex) {
    clear_error_site();
    e.status = EvalStatus::Budget;
    e.clock = ex.clock();
    e.message = ex.what();
    e.value = Value();
  } catch (const std::exception& ex) {
    e.status = EvalStatus::Error;
    e.message = error_message(ex);
    e.value = Value();
  }
  e.calls = budget.calls_used;
  e.cells = budget.cells_used;
  return e;
}

void evaluate_batch(const CompiledDag& dag, std::span<const BatchItem> items, const EvalLimits& limits,
                    const ItemConsumer& consume) {
  struct Worker {
    Evaluator evaluator;
    std::vector<Outcome> outcomes;
  };
  tbb::enumerable_thread_specific<Worker> workers([&] { return Worker{Evaluator(dag), {}}; });
  // Its own context: a batch always runs to its end, even when the flow graph that called it is being
  // cancelled (a failure elsewhere), so no caller ever reads an outcome that was never written.
  tbb::task_group_context isolated(tbb::task_group_context::isolated);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, items.size()), [&](const tbb::blocked_range<std::size_t>& r) {
    Worker& w = workers.local();
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      w.evaluator.run(items[k].programs, *items[k].sample, limits, w.outcomes, items[k].expected);
      consume(k, w.outcomes);
      for (Outcome& o : w.outcomes) o.value = Value();  // the item's outputs go now, not with the batch
    }
  }, tbb::auto_partitioner(), isolated);
}

void evaluate_batch(const CompiledDag& dag, std::span<const BatchItem> items, const EvalLimits& limits,
                    std::vector<std::vector<Outcome>>& results) {
  results.assign(items.size(), {});
  evaluate_batch(dag, items, limits, [&](std::size_t k, std::vector<Outcome>& outcomes) { results[k] = outcomes; });
}

}  // namespace megabatch::cpu
