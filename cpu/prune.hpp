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

#include "cpu/dsl/primitive.hpp"
#include "engine/grid.hpp"
#include "engine/program/dag.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

struct PrimitiveInfo;

struct ColourStep {
  // Fill covers fill and underfill (either may leave a cell as it was); Paint covers paint and
  // underpaint, whose object may write any colour its palette sources hold.
  using Op = ColourOp;
  explicit ColourStep(Op o, program::NodeId x = program::kNoNode, program::NodeId y = program::kNoNode)
      : op(o), a(x), b(y) {}
  Op op;
  program::NodeId a, b;  // the colour arguments the op reads, or kNoNode
  // Paint: nodes whose values' colours (value_colours) hold every colour the object can write,
  // with `extra`: colours it may write whatever they hold (tokpidjin's color returns 0 where it raises).
  std::vector<program::NodeId> sources;
  std::uint16_t extra = 0;
};

struct ColourWitness {
  program::NodeId base = program::kNoNode;  // the grid the chain starts from
  std::vector<ColourStep> steps;            // the output's own step first
  std::vector<program::NodeId> needs;       // base, colour arguments and palette sources: all must be computed
  Dialect dialect = Dialect::ArcDsl;        // how the program's objects paint (value_colours)
};

// What the DAG's nodes are, as the proofs read them: the primitive a call node calls directly, and
// the primitive a primitive-valued node (a function passed as an argument) names; null otherwise.
struct DagPrimitives {
  std::function<const PrimitiveInfo*(program::NodeId)> called;
  std::function<const PrimitiveInfo*(program::NodeId)> named;
  // The int an int literal or a constant (F0, R4, ...) node stands for: what selects mir_rot_t's op.
  std::function<std::optional<std::int64_t>(program::NodeId)> int_constant;
  Dialect dialect = Dialect::ArcDsl;  // of the program: how its values paint (value_colours)
};

// A node whose grid, when it is one, fixes the output's rows and columns (transposed where said).
struct ShapeWitness {
  program::NodeId node;
  bool transposed;
};

struct Witnesses {
  std::vector<ShapeWitness> shape;     // nearest the output first
  // Earliest first. Where the paint palette's sources are cheap early nodes (a bound, maybe loose),
  // a second witness reads the painted objects themselves: later, but exact.
  std::vector<ColourWitness> colour;
};

// One walk down from `output` through first arguments, while the primitive called has a ShapeRule
// (cpu/dsl/primitive.hpp): every node reached is a shape witness, and the stretch of the walk through
// primitives with a ColourOp (fill, underfill, paint, underpaint, replace, switch, cellwise and the
// seven grid mirrors and rotations) is the colour chain, based on the node where that stretch ends.
Witnesses find_witnesses(const program::Dag& dag, program::NodeId output, const DagPrimitives& primitives);

// Nodes whose values' colours bound every colour the value of `node` holds as a cell or object
// colour (value_colours), found from the DAG alone by the primitives' PaletteRules: recolor(c, p)
// writes only c, mapply(fork(recolor, color, f), s) only colours of s's members, shift, mirrors,
// asobject, toobject and combine keep their arguments' colours. At worst the node itself.
// `extra` (when given) gets the colours the value may hold beyond the sources' (a safe default's).
std::vector<program::NodeId> palette_sources(const program::Dag& dag, program::NodeId node,
                                             const DagPrimitives& primitives, std::uint16_t* extra = nullptr);

// The colours 0-9 a value can contribute when painted, recoloured with, or taken apart by color,
// mostcolor or leastcolor: an int itself (or a float of that value), both ints of a pair, an
// object's or cell's colours (a cell's coordinates sit one tuple deeper, where no rule reaches), a
// grid's values, the union over a container's members; closures and None none. tokpidjin paints
// the last int of its cells (i, j, c); in arc-dsl such a triple is any of its ints. A bit per
// colour; nullopt for indices (their coordinates would read as colours) and for containers too
// large to look through.
std::optional<std::uint16_t> value_colours(const Value& v, Dialect dialect = Dialect::ArcDsl);

// Whether the output of `w` may equal `expected`, given the values (by node id) of everything in
// w.needs. False only when no value of the chain's other arguments could make it equal.
bool may_equal(const ColourWitness& w, std::span<const Value> values, const Grid& expected);

}  // namespace megabatch::cpu
