// The primitive table: every arc-dsl primitive by name, with arity, a one-line description and its
// C++ body, plus the named constants of arc-dsl's constants.py. Ids are positions in the table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/value.hpp"

namespace megabatch::cpu {

// A primitive body receives exactly `arity` arguments.
using PrimFn = Value (*)(const Value* args);

// What a successful result's row shape (len(x), len(x[0])) is, given the first argument's: a
// static fact the executor uses to drop candidates whose output cannot have the expected shape.
enum class ShapeRule : std::uint8_t {
  None,
  SameAsFirst,        // rows of the first argument, each as long as before (paint, fill, replace, ...)
  TransposedOfFirst,  // as many rows as the first argument's rows are long, and vice versa (rot90, dmirror, ...)
};

struct PrimitiveInfo {
  std::string name;
  int arity;
  std::string description;
  std::string family;  // the source file / test suite that owns it
  PrimFn fn;
  ShapeRule shape = ShapeRule::None;
};

// Collects primitives during start-up; each family file provides one register_* function.
class Registry {
 public:
  void add(std::string name, int arity, std::string description, PrimFn fn);
  // Declares the shape rule of an added primitive (tests/dsl/test_shape_rules.cpp checks each one).
  void set_shape_rule(std::string_view name, ShapeRule rule);
  void set_family(std::string family) { family_ = std::move(family); }
  std::vector<PrimitiveInfo>& entries() { return entries_; }

 private:
  std::string family_;
  std::vector<PrimitiveInfo> entries_;
};

const std::vector<PrimitiveInfo>& primitives();
const PrimitiveInfo* find_primitive(std::string_view name);
int primitive_id(std::string_view name);  // -1 when unknown

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

// arc-dsl constants by name (ZERO..TEN, T, F, ORIGIN, UNITY, ...).
const std::vector<std::pair<std::string, Value>>& constants();
std::optional<Value> find_constant(std::string_view name);

// Family registration hooks (one per cpu/dsl/*.cpp family file).
void register_values(Registry& r);      // identity .. tojvec: numbers, booleans, pairs, basic containers
void register_functional(Registry& r);  // sfilter .. prapply: filters, element access, higher-order
void register_patches(Registry& r);     // mostcolor .. asobject: colours, shapes, patches, objects
void register_grids(Registry& r);       // rot90 .. hperiod: grid transforms and patch geometry

}  // namespace megabatch::cpu
