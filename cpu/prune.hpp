// Colour witnesses: proofs, from a few early values, that a program's output cannot equal a given
// grid. Many programs end in a chain such as `O = fill(replace(I, 1, 2), 8, x9)` whose expensive part
// (x9) only says which cells change. Read backwards from the expected output, each step of the chain
// limits what its first argument may hold at each cell (fill(x, 8, p) can only explain a cell whose
// expected colour is not 8 by x already having it); when the base grid breaks that at some cell, no
// value of x9 can make the output right. The executor uses this on first-wave demos (executor.hpp).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "engine/grid.hpp"
#include "engine/program/dag.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

struct ColourStep {
  // Fill covers fill and underfill (either may leave a cell as it was).
  enum class Op : std::uint8_t { Fill, Replace, Switch, Cellwise, Hmirror, Vmirror, Rot180, Rot90, Rot270, Dmirror, Cmirror };
  Op op;
  program::NodeId a = program::kNoNode, b = program::kNoNode;  // the colour arguments the op reads
};

struct ColourWitness {
  program::NodeId base = program::kNoNode;  // the grid the chain starts from
  std::vector<ColourStep> steps;            // the output's own step first
  std::vector<program::NodeId> needs;       // base and every colour argument: all must be computed
};

// The chain below `output` through fill, underfill, replace, switch, cellwise and the seven grid
// mirrors and rotations (the first argument each time); nullopt when the output is none of those.
// `primitive_name(id)` names the primitive a call node calls directly, or is empty.
template <class NameOf>
std::optional<ColourWitness> find_colour_witness(const program::Dag& dag, program::NodeId output, NameOf primitive_name);

// Whether the output of `w` may equal `expected`, given the values (by node id) of everything in
// w.needs. False only when no value of the chain's other arguments could make it equal.
bool may_equal(const ColourWitness& w, std::span<const Value> values, const Grid& expected);

// The op a primitive contributes to a colour chain, by name; nullopt for any other primitive.
std::optional<ColourStep::Op> colour_op(std::string_view primitive);

template <class NameOf>
std::optional<ColourWitness> find_colour_witness(const program::Dag& dag, program::NodeId output, NameOf primitive_name) {
  ColourWitness w;
  program::NodeId at = output;
  for (;;) {
    const program::Node& n = dag.node(at);
    if (n.kind != program::NodeKind::Call || n.args.empty()) break;
    const auto op = colour_op(primitive_name(at));
    if (!op) break;
    ColourStep step{*op};
    switch (*op) {
      case ColourStep::Op::Fill: step.a = n.args[1]; break;                    // fill(grid, value, patch)
      case ColourStep::Op::Replace: case ColourStep::Op::Switch:               // (grid, a, b)
        step.a = n.args[1], step.b = n.args[2];
        break;
      case ColourStep::Op::Cellwise: step.a = n.args[2]; break;                // cellwise(a, b, fallback)
      default: break;
    }
    for (program::NodeId x : {step.a, step.b})
      if (x != program::kNoNode) w.needs.push_back(x);
    w.steps.push_back(step);
    at = n.args[0];
  }
  if (w.steps.empty()) return std::nullopt;
  w.base = at;
  w.needs.push_back(at);
  return w;
}

}  // namespace megabatch::cpu
