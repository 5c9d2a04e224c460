// Witnesses: proofs, from a few early values, that a program's output cannot equal a given grid.
// Shape witnesses are nodes whose grid fixes the output's rows and columns (paint, fill, rot90, ...
// keep or transpose their first argument's). Colour witnesses go further: many programs end in a chain such as `O = fill(replace(I, 1, 2), 8, x9)` whose expensive part
// (x9) only says which cells change. Read backwards from the expected output, each step of the chain
// limits what its first argument may hold at each cell (fill(x, 8, p) can only explain a cell whose
// expected colour is not 8 by x already having it); when the base grid breaks that at some cell, no
// value of x9 can make the output right. The executor uses this on first-wave demos (executor.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/grid.hpp"
#include "engine/program/dag.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

struct ColourStep {
  // Fill covers fill and underfill (either may leave a cell as it was); Paint covers paint and
  // underpaint, whose object may write any colour its palette sources hold.
  enum class Op : std::uint8_t {
    Fill, Replace, Switch, Cellwise, Paint, Hmirror, Vmirror, Rot180, Rot90, Rot270, Dmirror, Cmirror
  };
  explicit ColourStep(Op o, program::NodeId x = program::kNoNode, program::NodeId y = program::kNoNode)
      : op(o), a(x), b(y) {}
  Op op;
  program::NodeId a, b;  // the colour arguments the op reads, or kNoNode
  // Paint: nodes whose values' colours (value_colours) hold every colour the object can write.
  std::vector<program::NodeId> sources;
};

struct ColourWitness {
  program::NodeId base = program::kNoNode;  // the grid the chain starts from
  std::vector<ColourStep> steps;            // the output's own step first
  std::vector<program::NodeId> needs;       // base, colour arguments and palette sources: all must be computed
};

// The name of the primitive a call node calls directly, or empty (any other node).
using PrimitiveNameOf = std::function<std::string_view(program::NodeId)>;

// A node whose grid, when it is one, fixes the output's rows and columns (transposed where said).
struct ShapeWitness {
  program::NodeId node;
  bool transposed;
};

struct Witnesses {
  std::vector<ShapeWitness> shape;     // nearest the output first
  std::optional<ColourWitness> colour;
};

// One walk down from `output` through first arguments, while the primitive called has a ShapeRule
// (cpu/dsl/registry.hpp): every node reached is a shape witness, and the stretch of the walk through
// fill, underfill, paint, underpaint, replace, switch, cellwise and the seven grid mirrors and
// rotations is the colour chain, based on the node where that stretch ends.
Witnesses find_witnesses(const program::Dag& dag, program::NodeId output, const PrimitiveNameOf& primitive_name);

// Nodes whose values' colours bound every colour the value of `node` holds as a cell or object
// colour (value_colours), found from the DAG alone: recolor(c, p) writes only c, mapply(fork(recolor,
// color, f), s) only colours of s's members, shift, mirrors, asobject, toobject and combine keep
// their arguments' colours. At worst the node itself.
std::vector<program::NodeId> palette_sources(const program::Dag& dag, program::NodeId node,
                                             const PrimitiveNameOf& primitive_name);

// The colours 0-9 a value can contribute when painted, recoloured with, or taken apart by color,
// mostcolor or leastcolor: an int itself, both ints of a pair, an object's or cell's colours (a
// cell's coordinates sit one tuple deeper, where no rule reaches), a grid's values, the union over a
// container's members; closures none. A bit per colour; nullopt for indices (their coordinates
// would read as colours) and for containers too large to look through.
std::optional<std::uint16_t> value_colours(const Value& v);

// Whether the output of `w` may equal `expected`, given the values (by node id) of everything in
// w.needs. False only when no value of the chain's other arguments could make it equal.
bool may_equal(const ColourWitness& w, std::span<const Value> values, const Grid& expected);

// The op a primitive contributes to a colour chain, by name; nullopt for any other primitive.
std::optional<ColourStep::Op> colour_op(std::string_view primitive);

}  // namespace megabatch::cpu
