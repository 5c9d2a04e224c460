// The primitive table: every primitive of every dialect (arc-dsl's 160, tokpidjin's and the Python
// builtins programs pass as functions), built from the families' descriptor tables
// (cpu/dsl/primitive.hpp), plus each dialect's named constants. Ids are positions in the table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cpu/dsl/primitive.hpp"
#include "engine/program/dag.hpp"
#include "engine/value.hpp"

namespace megabatch::cpu {

// The version of what programs compute here: bump it whenever a primitive's result, an error, a
// budget's accounting or the cost units change, so the result cache (graph/result_cache.hpp) never
// answers with an older engine's outcome.
inline constexpr int kSemanticsVersion = 1;

struct Param {
  std::string name;
  std::string hint;          // the type annotation, empty when there is none
  std::string default_name;  // a default value's name ("identity"), empty when required
};

// A primitive as the table holds it: its descriptor, read and checked once.
struct PrimitiveInfo {
  std::string name;
  Dialect dialect = Dialect::ArcDsl;
  bool builtin = false;  // a Python builtin (len, abs, ...): no __code__, never made safe
  int arity = 0;         // parameters (CPython's co_argcount)
  int min_arity = 0;     // parameters without a default
  std::vector<Param> params;
  std::string returns;   // the return annotation
  std::string description;
  std::string family;    // the family file that owns it
  PrimFn fn = nullptr;
  ShapeRule shape = ShapeRule::None;
  ColourOp colour = ColourOp::None;
  PaletteRule palette = PaletteRule::Itself;
  bool picks_colour = false;
  FuncKind builds = FuncKind::Primitive;
  std::optional<GridOp> device;  // its device body (PrimitiveDef::device)
  DeviceCharge device_charge = DeviceCharge::AsOp;
  DeviceSelect device_select = nullptr;  // or the one its integer argument selects
  SafeDefault safe = SafeDefault::None;
  std::vector<Value> defaults;  // values of the parameters from min_arity on
  std::string repr;             // "<function rot90>", "<built-in function len>"
  std::string signature() const;  // "name(a: A, b: B) -> R"
};

// A family: one file's descriptor table, for one dialect.
struct Family {
  std::string_view name;
  Dialect dialect;
  std::span<const PrimitiveDef> defs;
  bool builtin = false;
};

const std::vector<PrimitiveInfo>& primitives();
// The primitive `name` of a dialect (Python builtins belong to every dialect), or null / -1.
const PrimitiveInfo* find_primitive(std::string_view name, Dialect dialect = Dialect::ArcDsl);
int primitive_id(std::string_view name, Dialect dialect = Dialect::ArcDsl);
// Every primitive of one dialect, builtins included, in table order.
std::vector<int> dialect_primitives(Dialect dialect);

// tokpidjin's safe_dsl rule: the default a failing call returns, from the return annotation (and
// None, meaning raise, when an annotation of the function names a type arc_types.py lacks, as
// typing.get_type_hints then fails and safe_dsl falls back to the empty tuple).
SafeDefault safe_default_for(const std::vector<Param>& params, const std::string& returns);
// The value itself.
Value safe_default_value(SafeDefault d);
// For a tokpidjin body that finds, before any other effect, that its dsl.py would raise: `return
// safe_raise();` makes the safe net return the default exactly as for a throw, without unwinding
// (a C++ throw costs microseconds; mutated programs raise by the hundred thousand). Only a body's
// own return may use it, never a helper whose caller goes on.
Value safe_raise();

// Calls primitive `id` with arity checking, as an entry point: errors are rethrown as EvalError
// naming the innermost primitive they came from and the Python types of its arguments.
// BudgetExceeded passes through untouched.
Value invoke(int id, std::span<const Value> args);

// Calls any callable value (a primitive or a closure) the way Python would. Not an entry point:
// errors leave unnamed, with the innermost primitive recorded for the entry point that catches
// them (invoke, evaluate, the executor; see error_message).
Value call(const Value& f, std::span<const Value> args);

inline Value call1(const Value& f, const Value& a) { return call(f, std::span<const Value>(&a, 1)); }
Value call2(const Value& f, const Value& a, const Value& b);

// At an entry point: forgets any primitive recorded by an earlier, already handled error.
void clear_error_site();
// In a handler at an entry point: the error's message, naming the innermost primitive the
// exception left ("in rot90(int): 'int' object is not subscriptable"); consumes the record.
std::string error_message(const std::exception& e);
// In a handler at an entry point: rethrows the current exception as an EvalError carrying
// error_message(e). BudgetExceeded is rethrown unchanged.
[[noreturn]] void rethrow_named(const std::exception& e);

// Puts a one-argument closure on memoisation probation (see call_memoised in registry.cpp); other
// callables are left as they are.
void mark_memo_candidate(const Value& f);
// Memoisation is on by default; off, every closure call recomputes (tests compare the two).
void set_closure_memo_enabled(bool on);
// Memo hits and misses on the calling thread since it started.
struct ClosureMemoStats {
  std::uint64_t hits = 0, misses = 0;
};
ClosureMemoStats closure_memo_stats();

// Python's __code__.co_argcount of a callable (what rbind/lbind inspect).
int argcount(const Value& f);

// A dialect's constants by name: arc-dsl's constants.py (ZERO..TEN, T, F, ORIGIN, UNITY, ...) or
// tokpidjin's (those and F0-F9, L1-L10, R0-R9, A0-A9, colour names, ...).
const std::vector<std::pair<std::string, Value>>& constants(Dialect dialect = Dialect::ArcDsl);
std::optional<Value> find_constant(std::string_view name, Dialect dialect = Dialect::ArcDsl);
// The int a DAG node stands for before anything runs: an int literal, or a constant such as F0 or R4.
std::optional<std::int64_t> int_constant(const program::Node& node);

// The families (one per cpu/dsl/*/*.cpp family file), in table order.
std::span<const PrimitiveDef> arc_basics_family();      // identity .. tojvec: numbers, booleans, pairs, basic containers
std::span<const PrimitiveDef> arc_functional_family();  // sfilter .. prapply: filters, element access, higher-order
std::span<const PrimitiveDef> arc_patches_family();     // mostcolor .. asobject: colours, shapes, patches, objects
std::span<const PrimitiveDef> arc_grids_family();       // rot90 .. hperiod: grid transforms and patch geometry
std::span<const PrimitiveDef> builtins_family();    // len, abs, max, min, sum: Python builtins as values
// tokpidjin's (cpu/dsl/tok/): its dsl.py's public functions and aliases, later definitions winning.
std::span<const PrimitiveDef> tok_basics_family();      // identity .. leastcommon_f: numbers, pairs, containers, S
std::span<const PrimitiveDef> tok_ranks_family();       // get_nth_t .. get_common_rank_f: members by rank
std::span<const PrimitiveDef> tok_functional_family();  // extract .. prapply: access, filters, maps, combinators
std::span<const PrimitiveDef> tok_patches_family();     // mostcolor_t .. asobject: colours, sizes, corners, objects
std::span<const PrimitiveDef> tok_grids_family();       // mir_rot_t .. vupscale: mirrors, painting, scaling, geometry

}  // namespace megabatch::cpu
