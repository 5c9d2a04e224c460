// One primitive, one place: the descriptor that says everything megabatch knows about a DSL
// primitive of one dialect (its name, signature with type hints, C++ body, description and the
// static facts the pruning proofs use). Each family file ends with a table of these; the registry
// (registry.hpp) turns the tables into the primitive table. A backend that gains a device body or a
// support flag adds a field here, not another list somewhere else.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/grid_op.hpp"
#include "engine/program/dialect.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

// A primitive body receives exactly `arity` arguments (defaults already filled in).
using PrimFn = Value (*)(const Value* args);

// What a successful result's row shape (len(x), len(x[0])) is, given the first argument's: a
// static fact the executor uses to drop candidates whose output cannot have the expected shape.
enum class ShapeRule : std::uint8_t {
  None,
  SameAsFirst,        // rows of the first argument, each as long as before (paint, fill, replace, ...)
  TransposedOfFirst,  // as many rows as the first argument's rows are long, and vice versa (rot90, dmirror, ...)
};

// The step a primitive is in a colour chain (cpu/prune.hpp): which cells of its first argument
// reach its result, and what it may write there.
enum class ColourOp : std::uint8_t {
  None, Fill, Replace, Switch, Cellwise, Paint, Hmirror, Vmirror, Rot180, Rot90, Rot270, Dmirror, Cmirror,
  Cover,     // fill with the grid's most common colour
  Identity,  // the grid itself (mir_rot_t of an angle past 6)
};

// What a call of this primitive says about the colours its value can paint with (cpu/prune.cpp's
// palette sources), found from the DAG before anything runs.
enum class PaletteRule : std::uint8_t {
  Itself,   // nothing known: the node's own value bounds them
  OfArg0,   // the colours of argument 0: recolor(c, p) writes c, asobject(g) holds g's
  OfArg1,   // the colours of argument 1: toobject(p, g) holds g's
  Keeps0,   // argument 0's colours, moved, mirrored or some of them: shift, mirrors, upscale, sfilter, mfilter
  Keeps01,  // both arguments' colours: combine, product
  Applied,  // apply(f, s): the results of f over s's members
  MapOver,  // mapply(f, s): those results merged
  Merge,    // merge(x): x's members' colours (an apply is read through as a mapply)
};

// The value a tokpidjin primitive returns instead of raising (tokpidjin's safe_dsl.py), decided by
// its return annotation; arc-dsl primitives and Python builtins raise (None).
enum class SafeDefault : std::uint8_t { None, EmptyTuple, EmptyFrozenset, Zero, False, SafeCallable };

struct PrimitiveDef {
  std::string_view name;
  // Parameters and result with their type hints, as the dialect's dsl.py annotates them:
  // "grid: Grid, value: Integer, patch: Patch -> Grid". A parameter with a default reads
  // "key=identity"; one without an annotation is its bare name.
  std::string_view signature;
  PrimFn fn;
  std::string_view description;
  ShapeRule shape = ShapeRule::None;
  ColourOp colour = ColourOp::None;
  PaletteRule palette = PaletteRule::Itself;
  // Its result is a colour its (one) argument holds, or no colour: color, mostcolor, leastcolor,
  // identity (a tokpidjin one whose safe default is 0 may also give 0).
  bool picks_colour = false;
  // The closure a call returns, for the combinators (compose, fork, lbind, ...): what the DAG
  // knows about a function value before it runs.
  FuncKind builds = FuncKind::Primitive;
  // The device body a backend runs for this primitive (gpu/ops/grid_ops.hpp), when it has one: the
  // GPU executor takes a program whose every line has one. The parity suite holds the two to one result.
  std::optional<GridOp> device = std::nullopt;
  DeviceCharge device_charge = DeviceCharge::AsOp;
  // Or, for a primitive of one grid and one integer, the body its integer selects.
  DeviceSelect device_select = nullptr;
};

namespace dsl {

// Adapts a C++ entry point `Value f(const Value&, ...)` to a PrimFn.
template <class... A>
constexpr std::size_t arity_of(Value (*)(A...)) {
  return sizeof...(A);
}
template <auto F>
Value body(const Value* a) {
  constexpr std::size_t n = arity_of(F);
  if constexpr (n == 0) return F();
  else if constexpr (n == 1) return F(a[0]);
  else if constexpr (n == 2) return F(a[0], a[1]);
  else if constexpr (n == 3) return F(a[0], a[1], a[2]);
  else if constexpr (n == 4) return F(a[0], a[1], a[2], a[3]);
  else static_assert(n <= 4, "primitives take at most four arguments");
}

}  // namespace dsl

}  // namespace megabatch::cpu
