#include "graph/gpu_executor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "cpu/dsl/registry.hpp"
#include "gpu/slice.hpp"

namespace megabatch::graph {

using program::NodeId;
using program::NodeKind;

GpuExecutor::GpuExecutor(const RunContext& context, Launcher launcher, int device)
    : context_(context), launcher_(launcher), device_index_(device) {
#ifndef MEGABATCH_HAS_CUDA
  if (launcher == Launcher::Device) throw std::runtime_error("the GPU executor's device launcher needs a CUDA build");
#endif
  const program::Dag& dag = context.dag->dag();
  nodes_.resize(dag.size());
  auto grid_node = [&](NodeId id) {
    const auto k = nodes_[id].kind;
    return k == DeviceNode::Kind::Input || k == DeviceNode::Kind::Op || k == DeviceNode::Kind::Alias;
  };
  // Ascending ids are topological: a call's arguments are classified before it.
  for (NodeId id = 0; id < dag.size(); ++id) {
    const program::Node& n = dag.node(id);
    DeviceNode& d = nodes_[id];
    if (n.kind == NodeKind::Param && n.name == "I") {
      d.kind = DeviceNode::Kind::Input;
    } else if (const auto k = cpu::int_constant(n)) {
      d.kind = DeviceNode::Kind::Int;
      d.a = *k;
    } else if (n.kind == NodeKind::Call) {
      const program::Node& callee = dag.node(n.callee);
      if (callee.kind != NodeKind::Primitive) continue;
      // The primitive's descriptor says whether it has a device body (PrimitiveDef::device), or one its
      // integer argument selects (PrimitiveDef::device_select).
      const cpu::PrimitiveInfo* info = cpu::find_primitive(callee.name, callee.dialect);
      if (!info) continue;
      if (info->device_select) {
        if (n.args.size() != 2 || !grid_node(n.args[0]) || nodes_[n.args[1]].kind != DeviceNode::Kind::Int) continue;
        const DeviceSelection pick = info->device_select(nodes_[n.args[1]].a);
        // Only bodies of one grid and no integers can be selected (the selecting integer is not theirs).
        if (!pick.identity && (gpu::grid_inputs(pick.op) != 1 || gpu::int_inputs(pick.op) != 0)) continue;
        d.kind = pick.identity ? DeviceNode::Kind::Alias : DeviceNode::Kind::Op;
        d.op = pick.op;
        d.in0 = n.args[0];
        d.calls = pick.calls;
        continue;
      }
      if (!info->device) continue;
      const gpu::GridOp op = *info->device;
      if (static_cast<int>(n.args.size()) != gpu::grid_inputs(op) + gpu::int_inputs(op)) continue;
      const int grids = gpu::grid_inputs(op);
      bool ok = true;
      for (int k = 0; k < grids; ++k) ok = ok && grid_node(n.args[k]);
      for (std::size_t k = grids; k < n.args.size(); ++k) ok = ok && nodes_[n.args[k]].kind == DeviceNode::Kind::Int;
      if (!ok) continue;
      d.kind = DeviceNode::Kind::Op;
      d.op = op;
      d.calls = 1;
      d.charge = info->device_charge;
      d.in0 = n.args[0];
      if (grids == 2) d.in1 = n.args[1];
      if (n.args.size() > static_cast<std::size_t>(grids)) d.a = nodes_[n.args[grids]].a;
      if (n.args.size() > static_cast<std::size_t>(grids) + 1) d.b = nodes_[n.args[grids + 1]].a;
    }
  }
  const auto& programs = dag.programs();
  device_.assign(programs.size(), 0);
  calls_.assign(programs.size(), 0);
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const auto& prog = programs[p];
    if (prog.output == program::kNoNode || !grid_node(prog.output)) continue;
    bool ok = true;
    std::uint32_t calls = 0;
    for (NodeId id : prog.slice) {
      const program::Node& n = dag.node(id);
      // The callee of a device op is its name, not a value the device holds.
      if (n.kind == NodeKind::Primitive) continue;
      ok = ok && nodes_[id].kind != DeviceNode::Kind::None;
      calls += static_cast<std::uint32_t>(nodes_[id].calls);
    }
    // A primitive node read as a value (apply(rot90, x)) makes its reader a non-device call: caught above.
    device_[p] = ok;
    calls_[p] = calls;
  }
}

std::size_t GpuExecutor::device_programs() const {
  return static_cast<std::size_t>(std::count(device_.begin(), device_.end(), 1));
}

gpu::SliceOutput GpuExecutor::run_plan(gpu::SlicePlan& plan, std::span<const std::int32_t> outputs) {
  plan.gather(outputs);
  ++plans_run_;
  launches_ += plan.steps().size();
#ifdef MEGABATCH_HAS_CUDA
  if (launcher_ == Launcher::Device) return run_on_device(plan);
#endif
  return gpu::run_slice_host(plan);
}

#ifdef MEGABATCH_HAS_CUDA
gpu::SliceOutput GpuExecutor::run_on_device(const gpu::SlicePlan& plan) {
  const std::lock_guard lock(runner_mutex_);
  if (!runner_) runner_ = std::make_unique<gpu::DeviceSliceRunner>(device_index_);
  return runner_->run(plan);
}
#endif

bool GpuExecutor::takes(const Batch& batch) const {
  for (const WorkItem& w : batch.items)
    if (!w.prune)
      for (std::uint32_t p : w.programs)
        if (device_[p]) return true;
  return false;
}

void GpuExecutor::warm_up() {
#ifdef MEGABATCH_HAS_CUDA
  if (launcher_ != Launcher::Device) return;  // the host launcher has nothing to warm
  gpu::SlicePlan plan;
  const std::int32_t in = plan.add_input(Grid(1, 1));
  plan.add_step(gpu::GridOp::Rot90);
  const std::int32_t out[] = {plan.add_row(in)};
  plan.gather(out);
  run_on_device(plan);
#endif
}

std::optional<std::string> GpuExecutor::self_test() {
#ifdef MEGABATCH_HAS_CUDA
  if (launcher_ == Launcher::Device)
    return gpu::self_test([this](const gpu::SlicePlan& plan) { return run_on_device(plan); });
#endif
  return std::nullopt;
}

BatchResultPtr GpuExecutor::execute(const BatchPtr& batch) {
  const auto start = std::chrono::steady_clock::now();
  const program::Dag& dag = context_.dag->dag();
  const auto& programs = dag.programs();
  auto result = std::make_shared<BatchResult>();
  result->batch = batch;
  result->route = Route::Gpu;
  result->items.resize(batch->items.size());

  // 1. Plan: which (item, program) rows the device takes. A row needs every node of its program's slice
  // to have a shape out_shape accepts on this sample, and the cells it would charge (at most: replace
  // may charge none) within the cell budget, so that the CPU would have run it to the end as well.
  struct Row {
    std::size_t item, position;
  };
  std::vector<Row> rows;
  std::vector<cpu::BatchItem> cpu_items;
  std::vector<std::size_t> cpu_item_of;               // cpu_items[k] is batch item cpu_item_of[k]
  std::vector<std::vector<std::size_t>> cpu_positions;  // and these positions of its programs
  for (std::size_t k = 0; k < batch->items.size(); ++k) {
    const WorkItem& w = batch->items[k];
    prepare_item(w, batch->hash_values, result->items[k]);
    std::vector<std::uint32_t> on_cpu;
    std::vector<std::size_t> positions;
    const Grid& input = context_.sample(w).I.grid();
    std::unordered_map<NodeId, gpu::GridShape> shape;  // this sample's shape of each device node
    for (std::size_t j = 0; j < w.programs.size(); ++j) {
      const std::uint32_t p = w.programs[j];
      // A pruning wave stays on the CPU: its proofs stop programs early and charge them less.
      bool device = device_[p] && !w.prune;
      std::int64_t cells = 0;
      for (NodeId id : programs[p].slice) {
        if (!device) break;
        const DeviceNode& d = nodes_[id];
        if (d.kind == DeviceNode::Kind::None || d.kind == DeviceNode::Kind::Int) continue;
        auto it = shape.find(id);
        if (it == shape.end()) {
          gpu::GridShape s{input.h, input.w};
          if (d.kind == DeviceNode::Kind::Alias) {
            s = shape.at(d.in0);
          } else if (d.kind == DeviceNode::Kind::Op) {
            const gpu::GridShape s0 = shape.at(d.in0);
            const gpu::GridShape s1 = d.in1 == program::kNoNode ? gpu::GridShape{} : shape.at(d.in1);
            s = s0.supported() && (d.in1 == program::kNoNode || s1.supported())
                    ? gpu::out_shape(d.op, s0.h, s0.w, s1.h, s1.w, d.a, d.b)
                    : gpu::kUnsupported;
          }
          it = shape.emplace(id, s).first;
        }
        if (!it->second.supported()) device = false;
        if (d.kind == DeviceNode::Kind::Op) cells += gpu::charged_cells(d.charge, d.op, d.a, it->second, true);
      }
      if (device && cells <= context_.limits.max_cells && calls_[p] <= context_.limits.max_calls) {
        rows.push_back({k, j});
      } else {
        on_cpu.push_back(p);
        positions.push_back(j);
      }
    }
    if (!on_cpu.empty()) {
      cpu_items.push_back({&context_.sample(w), std::move(on_cpu)});
      if (w.prune) cpu_items.back().expected = context_.expected(w);
      cpu_item_of.push_back(k);
      cpu_positions.push_back(std::move(positions));
    }
  }

  // 2. The device rows as one slice plan (gpu/slice.hpp): each sample's input once, then one step per DAG
  // node in topological order over every item that needs it, then the rows' outputs gathered. The plan
  // runs on the device in place; only the gathered outputs come back.
  std::map<NodeId, std::vector<std::size_t>> need;  // node -> items, ascending ids
  for (const Row& r : rows)
    for (NodeId id : programs[batch->items[r.item].programs[r.position]].slice) {
      const auto kind = nodes_[id].kind;
      if (kind == DeviceNode::Kind::None || kind == DeviceNode::Kind::Int) continue;
      need[id].push_back(r.item);
    }
  gpu::SlicePlan plan;
  std::vector<std::int32_t> input_of(batch->items.size(), -1);
  for (const Row& r : rows)
    if (input_of[r.item] < 0) input_of[r.item] = plan.add_input(context_.sample(batch->items[r.item]).I.grid());
  std::vector<std::unordered_map<NodeId, std::int32_t>> grid_of(batch->items.size());  // arena grid of a node
  std::vector<std::unordered_map<NodeId, std::int32_t>> row_of(batch->items.size());   // plan row that made it
  for (auto& [id, items] : need) {
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    const DeviceNode& d = nodes_[id];
    if (d.kind == DeviceNode::Kind::Input || d.kind == DeviceNode::Kind::Alias) {
      for (std::size_t k : items) grid_of[k][id] = d.kind == DeviceNode::Kind::Input ? input_of[k] : grid_of[k].at(d.in0);
      continue;
    }
    plan.add_step(d.op, d.a, d.b);
    for (std::size_t k : items) {
      row_of[k][id] = static_cast<std::int32_t>(plan.rows().size());
      grid_of[k][id] = plan.add_row(grid_of[k].at(d.in0), d.in1 == program::kNoNode ? -1 : grid_of[k].at(d.in1));
    }
  }
  std::vector<std::int32_t> outputs;
  outputs.reserve(rows.size());
  for (const Row& r : rows) outputs.push_back(grid_of[r.item].at(programs[batch->items[r.item].programs[r.position]].output));
  const gpu::SliceOutput out = rows.empty() ? gpu::SliceOutput{} : run_plan(plan, outputs);
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const Row& r = rows[n];
    const WorkItem& w = batch->items[r.item];
    const auto& prog = programs[w.programs[r.position]];
    cpu::Outcome o;
    o.status = cpu::EvalStatus::Ok;
    o.value = make_grid(out.result(n));
    o.calls = calls_[w.programs[r.position]];
    for (NodeId id : prog.slice) {
      const DeviceNode& d = nodes_[id];
      if (d.kind != DeviceNode::Kind::Op) continue;
      const std::int32_t g = grid_of[r.item].at(id);
      o.cells += gpu::charged_cells(d.charge, d.op, d.a, plan.shape(g), out.present[static_cast<std::size_t>(row_of[r.item].at(id))] != 0);
    }
    record_outcome(o, w, r.position, context_.expected(w), result->items[r.item]);
  }

  // 3. Everything else, on the CPU evaluator, in parallel; each item's outcomes recorded where it ran.
  std::uint64_t on_cpu = 0;
  for (const auto& it : cpu_items) on_cpu += it.programs.size();
  cpu::evaluate_batch(*context_.dag, cpu_items, context_.limits, [&](std::size_t k, std::vector<cpu::Outcome>& outcomes) {
    const std::size_t item = cpu_item_of[k];
    const WorkItem& w = batch->items[item];
    for (std::size_t n = 0; n < outcomes.size(); ++n)
      record_outcome(outcomes[n], w, cpu_positions[k][n], context_.expected(w), result->items[item]);
  });
  device_evaluations_ += rows.size();
  result->device_rows = rows.size();
  cpu_evaluations_ += on_cpu;
  tally(*result);
  result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace megabatch::graph
