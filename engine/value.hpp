// Value: one DSL value (int/bool, float, None, tuple, frozenset, callable) as a 16-byte handle.
//
// Python's types are structural, so one semantic value must have exactly one representation;
// constructors canonicalise:
//   - a 2-tuple of ints (each fitting int32)            -> Pair    (inline)
//   - a 2-tuple (int, Pair) (all fitting int32)         -> Cell    (inline; arc-dsl's cell)
//   - a 3-tuple of ints (each fitting int32)            -> Triple  (inline; tokpidjin's cell (i, j, c))
//   - a non-empty tuple of equal-length int-only tuples -> Grid    (dense rows; a tuple of Pairs is a
//                                                                   width-2 grid, exactly as in Python)
//   - any other tuple                                   -> Tuple   (vector of Values)
//   - a non-empty frozenset of Pairs                    -> Indices (sorted vector of points)
//   - a non-empty frozenset of Cells                    -> Object  (sorted vector of cells)
//   - a non-empty frozenset of Triples                  -> TripleSet (sorted vector of triples)
//   - any other frozenset (including the empty one)     -> Set     (sorted vector of Values)
// Floats (tokpidjin's nan, inf and what arithmetic makes of them) and None are inline too.
// Sets iterate in canonical ascending order (see compare()). Equality and hashing rely on the
// canonical form, so every builder below must be used instead of poking nodes directly.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/grid.hpp"

namespace megabatch {

// Inline kinds first: every kind from Tuple on lives on the heap (see Value::heap).
enum class Kind : std::uint8_t {
  Int, Pair, Cell, Triple, Float, None, Tuple, Grid, Set, Indices, Object, TripleSet, Func
};

struct Point {
  std::int32_t i, j;
  friend bool operator==(const Point&, const Point&) = default;
  friend auto operator<=>(const Point&, const Point&) = default;
};
struct CellV {
  std::int32_t c, i, j;  // (colour, (row, column)): ordered by colour, then row, then column
  friend bool operator==(const CellV&, const CellV&) = default;
  friend auto operator<=>(const CellV&, const CellV&) = default;
};
struct TripleV {
  std::int32_t i, j, c;  // tokpidjin's cell (row, column, colour): ordered as the tuple
  friend bool operator==(const TripleV&, const TripleV&) = default;
  friend auto operator<=>(const TripleV&, const TripleV&) = default;
};

// Raised for anything CPython would raise (TypeError, IndexError, ZeroDivisionError, ...).
class EvalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Raised when a per-evaluation budget (cells, calls, wall time) is exhausted.
class BudgetExceeded : public std::runtime_error {
 public:
  // `clock`: the wall-clock deadline stopped it (machine-dependent), not a count.
  explicit BudgetExceeded(const std::string& what, bool clock = false) : std::runtime_error(what), clock_(clock) {}
  bool clock() const { return clock_; }

 private:
  bool clock_;
};

class Value;

// Whether an int fits the inline int32 fields of pairs, cells and grids.
inline bool fits_int32(std::int64_t v) { return v == static_cast<std::int32_t>(v); }

// Shared immutable heap payload with an intrusive atomic count (values cross TBB threads).
struct Node {
  mutable std::atomic<std::uint32_t> refs{1};
  mutable std::atomic<std::size_t> hash_cache{0};  // 0 = not computed yet
  virtual ~Node() = default;
};

// Callables: a primitive by id, or a closure built by compose/chain/fork/matcher/lbind/rbind/power.
// SafeCallable is what a tokpidjin primitive returning a Callable gives when it fails: a function of
// any arguments that returns ().
enum class FuncKind : std::uint8_t { Primitive, Compose, Chain, Fork, Matcher, Lbind, Rbind, Power, SafeCallable };
// The arc-dsl function whose lambda a closure of this kind is, as CPython names it in reprs and
// errors ("fork" for fork.<locals>.<lambda>); power(f, n > 1) returns compose's.
const char* closure_maker(FuncKind kind);

class Value {
 public:
  Value() : kind_(Kind::Int), flags_(0), x_(0), i_(0) {}
  // A copy or a move always owns its reference, also when made from a borrowed handle.
  [[gnu::always_inline]] Value(const Value& o)
      : kind_(o.kind_), flags_(static_cast<std::uint8_t>(o.flags_ & ~kBorrowFlag)), x_(o.x_), i_(o.i_) {
    retain();
  }
  [[gnu::always_inline]] Value(Value&& o) noexcept : kind_(o.kind_), flags_(o.flags_), x_(o.x_), i_(o.i_) {
    if (flags_ & kBorrowFlag) {
      flags_ = static_cast<std::uint8_t>(flags_ & ~kBorrowFlag);
      retain();
    }
    o.kind_ = Kind::Int;
    o.i_ = 0;
  }
  Value& operator=(const Value& o) {
    if (this != &o) {
      Value copy(o);
      *this = std::move(copy);
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      release();
      kind_ = o.kind_, flags_ = o.flags_, x_ = o.x_, i_ = o.i_;
      if (flags_ & kBorrowFlag) {
        flags_ = static_cast<std::uint8_t>(flags_ & ~kBorrowFlag);
        retain();
      }
      o.kind_ = Kind::Int;
      o.i_ = 0;
    }
    return *this;
  }
  // A handle to `v`'s payload that takes no reference: for argument arrays that live only while
  // `v` does (closure calls). Copying or moving it out yields an ordinary owning handle.
  static Value borrow(const Value& v) { return Value(BorrowTag{}, v); }  // prvalue: never moved
  // Makes this handle a borrowed one of `v` (assignment would take a reference).
  void set_borrowed(const Value& v) {
    release();
    kind_ = v.kind_, x_ = v.x_, i_ = v.i_;
    flags_ = static_cast<std::uint8_t>(v.flags_ | (v.heap() ? kBorrowFlag : 0));
  }
  [[gnu::always_inline]] ~Value() { release(); }  // handles die everywhere: never a call

  // ---- builders (all canonicalising) ----
  static Value integer(std::int64_t v) {
    Value r;
    r.i_ = v;
    return r;
  }
  static Value boolean(bool b) {
    Value r;
    r.i_ = b ? 1 : 0;
    r.flags_ = kBoolFlag;
    return r;
  }
  [[gnu::always_inline]] static Value pair(std::int64_t i, std::int64_t j) {  // Tuple beyond int32
    if (!fits_int32(i) || !fits_int32(j)) return wide_pair(i, j);
    Value r;
    r.kind_ = Kind::Pair;
    r.y_ = static_cast<std::int32_t>(i);
    r.z_ = static_cast<std::int32_t>(j);
    return r;
  }
  [[gnu::always_inline]] static Value cell(std::int64_t c, std::int64_t i, std::int64_t j) {
    if (!fits_int32(c) || !fits_int32(i) || !fits_int32(j)) return wide_cell(c, i, j);
    Value r;
    r.kind_ = Kind::Cell;
    r.x_ = static_cast<std::int32_t>(c);
    r.y_ = static_cast<std::int32_t>(i);
    r.z_ = static_cast<std::int32_t>(j);
    return r;
  }
  static Value triple(std::int64_t i, std::int64_t j, std::int64_t c) {
    if (!fits_int32(c) || !fits_int32(i) || !fits_int32(j)) return wide_triple(i, j, c);
    Value r;
    r.kind_ = Kind::Triple;
    r.x_ = static_cast<std::int32_t>(c);
    r.y_ = static_cast<std::int32_t>(i);
    r.z_ = static_cast<std::int32_t>(j);
    return r;
  }
  static Value floating(double d) {
    Value r;
    r.kind_ = Kind::Float;
    r.d_ = d;
    return r;
  }
  static Value none() {
    Value r;
    r.kind_ = Kind::None;
    return r;
  }
  static Value primitive(int id) {
    Value r;
    r.kind_ = Kind::Func;
    r.flags_ = kPrimFlag;
    r.x_ = id;
    return r;
  }

  // ---- inspection ----
  Kind kind() const { return kind_; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_bool() const { return kind_ == Kind::Int && (flags_ & kBoolFlag); }
  bool is_float() const { return kind_ == Kind::Float; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Float; }
  bool is_tuple() const {
    return kind_ == Kind::Pair || kind_ == Kind::Cell || kind_ == Kind::Triple || kind_ == Kind::Tuple ||
           kind_ == Kind::Grid;
  }
  bool is_set() const {
    return kind_ == Kind::Set || kind_ == Kind::Indices || kind_ == Kind::Object || kind_ == Kind::TripleSet;
  }
  bool is_container() const { return is_tuple() || is_set(); }
  bool is_callable() const { return kind_ == Kind::Func; }
  bool is_primitive() const { return kind_ == Kind::Func && (flags_ & kPrimFlag); }

  std::int64_t as_int() const {  // throws EvalError unless an int (bools are ints)
    if (kind_ != Kind::Int) not_an_int();
    return i_;
  }
  std::int64_t int_unchecked() const { return i_; }
  Point point() const { return {y_, z_}; }            // Kind::Pair only
  CellV cellv() const { return {x_, y_, z_}; }        // Kind::Cell only
  TripleV triplev() const { return {y_, z_, x_}; }    // Kind::Triple only
  double float_unchecked() const { return d_; }       // Kind::Float only
  double as_double() const { return kind_ == Kind::Float ? d_ : static_cast<double>(i_); }  // numbers only
  int primitive_id() const { return x_; }              // primitive callables only

  // Accessors are inline (defined below the node types): they sit in every hot loop.
  inline const Grid& grid() const;                     // Kind::Grid only
  inline std::span<const Point> points() const;        // Kind::Indices only
  inline std::span<const CellV> cells() const;         // Kind::Object only
  inline std::span<const TripleV> triples() const;     // Kind::TripleSet only
  inline std::span<const Value> items() const;         // Kind::Tuple or Kind::Set only
  inline const struct FuncNode& func() const;          // closures only (not primitives)

  // Generic container protocol (Python's len / indexing / iteration order).
  inline std::size_t size() const;                     // len(); EvalError on ints and callables
  inline Value item(std::size_t k) const;              // k-th element in iteration order

  bool truthy() const {                                // Python bool(x)
    if (kind_ == Kind::Int) return i_ != 0;
    if (kind_ == Kind::Float) return d_ != 0.0;        // nan is true
    if (kind_ == Kind::None) return false;
    return kind_ == Kind::Func || size() != 0;
  }
  std::size_t hash() const;
  const char* type_name() const;                       // Python's type name: int, bool, tuple, ...

  // The handle's bits without the borrow flag: equal exactly when two handles hold the same inline
  // value or share the same node (a memo key; see CallMemo).
  std::uint64_t identity_head() const {
    return static_cast<std::uint64_t>(kind_) | (static_cast<std::uint64_t>(flags_ & ~kBorrowFlag) << 8) |
           (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x_)) << 32);
  }
  std::uint64_t identity_body() const { return static_cast<std::uint64_t>(i_); }

  // Internal: a handle to a node that lives as long as the program and is never counted (the
  // empty tuple and frozenset): copies of it cost no atomic operation.
  static Value immortal(Kind k, const Node* n) {
    Value r = from_node(k, n);
    r.flags_ = kImmortalFlag;
    return r;
  }
  // Internal: a new owning handle to a node someone else holds (takes a reference).
  static Value shared_node(Kind k, const Node* n) {
    n->refs.fetch_add(1, std::memory_order_relaxed);
    return from_node(k, n);
  }
  // Internal: adopt a freshly made node (refcount already 1).
  static Value from_node(Kind k, const Node* n) {
    Value r;
    r.kind_ = k;
    r.p_ = n;
    return r;
  }
  const Node* node() const { return p_; }

 private:
  static Value wide_pair(std::int64_t i, std::int64_t j);             // generic 2-tuple of ints
  static Value wide_cell(std::int64_t c, std::int64_t i, std::int64_t j);
  static Value wide_triple(std::int64_t i, std::int64_t j, std::int64_t c);
  [[noreturn]] void not_an_int() const;
  static constexpr std::uint8_t kBoolFlag = 1;
  static constexpr std::uint8_t kPrimFlag = 2;
  static constexpr std::uint8_t kBorrowFlag = 4;
  static constexpr std::uint8_t kImmortalFlag = 8;
  struct BorrowTag {};
  Value(BorrowTag, const Value& v)
      : kind_(v.kind_), flags_(static_cast<std::uint8_t>(v.flags_ | (v.heap() ? kBorrowFlag : 0))), x_(v.x_), i_(v.i_) {}
  bool heap() const { return kind_ >= Kind::Tuple && !(flags_ & (kPrimFlag | kBorrowFlag | kImmortalFlag)); }
  [[gnu::always_inline]] void retain() const {
    if (heap()) p_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  // The count test is inline everywhere; freeing the node (rare per handle) stays out of line.
  [[gnu::always_inline]] void release() {
    if (heap() && p_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) destroy(kind_, p_);
  }
  // Frees a node whose last handle went. Nodes without members are deleted at once; the others go
  // through a per-thread worklist, so freeing a chain of closures or a nesting of tuples hundreds of
  // thousands deep never recurses (value.cpp).
  [[gnu::noinline]] static void destroy(Kind k, const Node* n);

  Kind kind_;
  std::uint8_t flags_;
  std::int16_t spare_ = 0;
  std::int32_t x_;  // Cell colour, primitive id
  union {
    std::int64_t i_;  // Int
    double d_;        // Float
    struct {
      std::int32_t y_, z_;  // Pair / Cell coordinates
    };
    const Node* p_;  // heap kinds
  };
};
static_assert(sizeof(Value) == 16, "Value must stay a 16-byte handle");

// A 2-tuple (a vector, a (value, object) pair, a product member) keeps its items inline, so the
// commonest heap tuple is one allocation; longer tuples own a vector.
struct TupleNode : Node {
  std::uint32_t n = 0;
  Value pair[2];
  std::vector<Value> more;  // the items when n != 2
  std::span<const Value> items() const {
    return n == 2 ? std::span<const Value>(pair, 2) : std::span<const Value>(more);
  }
};
struct GridNode : Node {
  Grid grid;
};
struct SetNode : Node {
  std::vector<Value> items;  // sorted by compare(), unique
};
// Patches are sorted, unique and non-empty. A one-member patch (initset of a point or a cell, built
// inside closures millions of times) keeps its member inline: one allocation instead of two.
struct IndicesNode : Node {
  bool single = false;
  Point one{};
  std::vector<Point> many;  // when !single
  std::span<const Point> points() const { return single ? std::span<const Point>(&one, 1) : std::span<const Point>(many); }
};
struct TripleSetNode : Node {
  bool single = false;
  TripleV one{};
  std::vector<TripleV> many;  // when !single
  // Its (i, j) as an IndicesNode (one reference held here), made on first request: tokpidjin's
  // programs ask for toindices of the same object again and again (manhattan, filters).
  mutable std::atomic<const Node*> points_cache{nullptr};
  std::span<const TripleV> triples() const {
    return single ? std::span<const TripleV>(&one, 1) : std::span<const TripleV>(many);
  }
  ~TripleSetNode() override;
};
struct ObjectNode : Node {
  bool single = false;
  CellV one{};
  std::vector<CellV> many;  // when !single
  std::span<const CellV> cells() const { return single ? std::span<const CellV>(&one, 1) : std::span<const CellV>(many); }
};
// A one-argument closure's results by the identity of its argument (cpu/dsl/registry.cpp). Each
// entry keeps its key values alive (so no other value can reuse their addresses) and the calls and
// cells the computation charged, so that a hit charges exactly what recomputing would have.
struct CallMemo {
  struct Entry {
    std::uint8_t tag = 0;  // 0 = empty slot
    Value a, b;            // the argument, or the two items of a 2-tuple argument
    Value result;
    std::int64_t calls = 0, cells = 0;
  };
  std::vector<Entry> slots;  // open addressing, a power of two long
  std::uint32_t used = 0, hits = 0, misses = 0;
  std::int64_t cells = 0;  // cells of every kept result's computation: bounds what the memo holds
};

struct FuncNode : Node {
  // Memoisation (cpu/dsl/registry.cpp): a one-argument closure that is a program step is on
  // probation for its first calls, then memoised when those were expensive. Closures are built and
  // called by the one thread evaluating a sample, so these fields need no synchronisation. Packed
  // into the padding: a closure stays 96 bytes (jemalloc's size class for the 88 it had).
  enum class Memo : std::uint8_t { Off, Probation, On };
  FuncKind kind;
  std::uint8_t nparts = 0;    // used slots of parts
  mutable Memo memo_state = Memo::Off;
  mutable std::uint8_t memo_depth = 0;   // memoised calls of this closure now running (re-entry)
  int argcount;               // Python's __code__.co_argcount of the resulting callable
  std::int32_t n = 0;         // power's exponent (at most 999)
  mutable std::uint16_t probe_calls = 0;
  mutable std::uint16_t probe_work = 0;   // primitive calls made during probation (saturating)
  // Captured functions and values, in the DSL call's argument order. Inline (at most three, for
  // fork/chain) so that a closure is one allocation: programs build closures inside loops.
  Value parts[3];
  mutable std::unique_ptr<CallMemo> memo;
};
static_assert(sizeof(FuncNode) <= 96, "a closure should stay within jemalloc's 96-byte class");

inline const Grid& Value::grid() const { return static_cast<const GridNode*>(p_)->grid; }
inline std::span<const Point> Value::points() const { return static_cast<const IndicesNode*>(p_)->points(); }
inline std::span<const CellV> Value::cells() const { return static_cast<const ObjectNode*>(p_)->cells(); }
inline std::span<const TripleV> Value::triples() const { return static_cast<const TripleSetNode*>(p_)->triples(); }
inline std::span<const Value> Value::items() const {
  if (kind_ == Kind::Tuple) return static_cast<const TupleNode*>(p_)->items();
  return static_cast<const SetNode*>(p_)->items;
}
inline const FuncNode& Value::func() const { return *static_cast<const FuncNode*>(p_); }

// The container protocol is on every iteration's path: inline, with the rare cases out of line.
[[noreturn]] void no_len(const Value& v);
[[noreturn]] void not_subscriptable(const Value& v);
Value grid_row(const Value& grid, std::size_t i);

[[gnu::always_inline]] inline std::size_t Value::size() const {
  switch (kind_) {
    case Kind::Pair: case Kind::Cell: return 2;
    case Kind::Triple: return 3;
    case Kind::TripleSet: return static_cast<const TripleSetNode*>(p_)->triples().size();
    case Kind::Tuple: return static_cast<const TupleNode*>(p_)->n;
    case Kind::Set: return static_cast<const SetNode*>(p_)->items.size();
    case Kind::Grid: return static_cast<std::size_t>(grid().h);
    case Kind::Indices: return static_cast<const IndicesNode*>(p_)->points().size();
    case Kind::Object: return static_cast<const ObjectNode*>(p_)->cells().size();
    case Kind::Int: case Kind::Float: case Kind::None: case Kind::Func: break;
  }
  no_len(*this);
}

[[gnu::always_inline]] inline Value Value::item(std::size_t k) const {
  switch (kind_) {
    case Kind::Pair: return Value::integer(k == 0 ? y_ : z_);
    case Kind::Cell: return k == 0 ? Value::integer(x_) : Value::pair(y_, z_);
    case Kind::Triple: return Value::integer(k == 0 ? y_ : k == 1 ? z_ : x_);
    case Kind::TripleSet: {
      const TripleV t = static_cast<const TripleSetNode*>(p_)->triples()[k];
      return Value::triple(t.i, t.j, t.c);
    }
    case Kind::Tuple: return static_cast<const TupleNode*>(p_)->items()[k];
    case Kind::Set: return static_cast<const SetNode*>(p_)->items[k];
    case Kind::Grid: return grid_row(*this, k);
    case Kind::Indices: {
      const Point p = static_cast<const IndicesNode*>(p_)->points()[k];
      return Value::pair(p.i, p.j);
    }
    case Kind::Object: {
      const CellV c = static_cast<const ObjectNode*>(p_)->cells()[k];
      return Value::cell(c.c, c.i, c.j);
    }
    case Kind::Int: case Kind::Float: case Kind::None: case Kind::Func: break;
  }
  not_subscriptable(*this);
}

// ---- canonical builders ----
Value make_tuple(std::vector<Value> items);
Value make_tuple2(Value a, Value b);            // (a, b): pairs and cells without a heap vector
Value make_set(std::vector<Value> items);       // sorts and deduplicates
Value make_grid(Grid g);                        // h >= 1; h == 0 gives the empty tuple
Value make_indices(std::vector<Point> points);  // sorts and deduplicates; empty gives frozenset()
Value make_object(std::vector<CellV> cells);    // sorts and deduplicates; empty gives frozenset()
Value make_sorted_indices(std::vector<Point> points);  // caller guarantees sorted + unique
Value make_sorted_object(std::vector<CellV> cells);    // caller guarantees sorted + unique
Value make_triples(std::vector<TripleV> triples);      // sorts and deduplicates; empty gives frozenset()
Value make_sorted_triples(std::vector<TripleV> triples);  // caller guarantees sorted + unique
// The (i, j) of a TripleSet's triples, as Indices: built once per set and shared, charged as if
// built each time (so costs and budget stops do not depend on what was asked before).
Value triple_points(const Value& triples);
Value make_sorted_set(std::vector<Value> items);       // caller guarantees canonical ascending + unique
Value make_single_indices(Point p);                    // frozenset({p})
Value make_single_object(CellV c);                     // frozenset({c})
Value make_func(FuncKind kind, int argcount, std::initializer_list<Value> parts, std::int64_t n = 0);
Value empty_set();
Value empty_tuple();

// ---- order, equality, printing ----
// Total canonical order: None < numbers < tuples < frozensets < callables; numbers by value (an int
// and a float of one value are equal, as in Python; every nan is one value above all numbers),
// tuples lexicographically, sets by their ascending member sequences, callables: primitives by id,
// then closures by how they were built (identity only between closures built alike).
int compare(const Value& a, const Value& b);
inline bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }
inline bool operator<(const Value& a, const Value& b) { return compare(a, b) < 0; }
struct ValueHash {
  std::size_t operator()(const Value& v) const { return v.hash(); }
};

// Python repr with sets in canonical order; primitives print through the hook below.
std::string repr(const Value& v);
// Python's repr of a float ("nan", "-inf", "2.0", "1e+16").
std::string float_repr(double d);
// The cpu layer installs the primitive repr lookup so repr can print `<function rot90>`.
void set_primitive_repr_hook(const char* (*hook)(int id));

// ---- per-evaluation budget (thread-local; the executor installs one per evaluation) ----
// Cells bound memory, calls bound closures that loop (power, apply over huge containers), and the
// wall-clock deadline, checked at every charge, stops anything else that runs away.
struct Budget {
  std::int64_t max_cells = 4'000'000;   // elements allocated by one evaluation
  std::int64_t max_calls = 1'000'000;   // primitive calls, including those made by closures
  std::int64_t deadline_ns = 0;         // steady-clock nanoseconds; 0 = no deadline
  std::int64_t cells_used = 0;
  std::int64_t calls_used = 0;
  std::uint32_t charges = 0;
};
// Inline so that charging (every primitive call) does not cost a function call to find it.
inline thread_local Budget* tls_current_budget = nullptr;
inline Budget* current_budget() { return tls_current_budget; }
inline void set_current_budget(Budget* b) { tls_current_budget = b; }
std::int64_t steady_now_ns();
[[noreturn]] void budget_exceeded(const Budget& b, const char* what);

// The wall-clock safety net for charges that are not calls: reading the clock costs ~20 ns, so it
// is looked at every 256 charges only.
[[gnu::always_inline]] inline void check_deadline(Budget& b) {
  if (b.deadline_ns && (++b.charges & 255) == 0 && steady_now_ns() > b.deadline_ns) budget_exceeded(b, "time");
}
// Charges `n` allocated elements against the current budget; throws BudgetExceeded past it.
[[gnu::always_inline]] inline void charge_cells(std::int64_t n) {
  if (Budget* b = current_budget()) {
    b->cells_used += n;
    if (b->cells_used > b->max_cells) budget_exceeded(*b, "cells");
    check_deadline(*b);
  }
}
// Stops with BudgetExceeded before `n` elements are built that a builder (make_grid, make_set, ...)
// charges only once they exist: that charge would exceed the cell budget anyway, and building them
// first can take gigabytes. Without a budget, more than 2^26 elements stop too.
void precheck_cells(double n);
// Charges the calls and cells a computation recorded earlier, in place of running it again, when
// both stay within the budget; otherwise charges nothing and returns false (the caller recomputes,
// so a budget runs out exactly where it would have).
inline bool charge_recorded(Budget& b, std::int64_t calls, std::int64_t cells) {
  if (b.calls_used + calls > b.max_calls || b.cells_used + cells > b.max_cells) return false;
  b.calls_used += calls;
  b.cells_used += cells;
  check_deadline(b);
  return true;
}
// Charges one primitive call (the registry does this for every invocation).
[[gnu::always_inline]] inline void charge_call() {
  if (Budget* b = current_budget()) {
    if (++b->calls_used > b->max_calls) budget_exceeded(*b, "calls");
    // Every 1024 calls (tens of microseconds): the clock is a safety net, the call count the bound.
    if (b->deadline_ns && (b->calls_used & 1023) == 0 && steady_now_ns() > b->deadline_ns) budget_exceeded(*b, "time");
  }
}
// Recursion through values (nested tuples and sets compared, hashed, printed) and through closures
// (a compose chain called) follows the data, which a program can make hundreds of thousands deep
// within its budgets. Depth is a budget, like calls and cells: each such recursion holds a
// DepthGuard, and past kMaxRecursionDepth levels it throws BudgetExceeded. The count is the same on
// every thread and at every stack position, so where a program stops never depends on which thread
// ran it; 1,000 is CPython's own recursion limit, which stops the same programs with a
// RecursionError. As a backstop, a guard also stops when less than a reserve of the thread's own
// stack is left (1,000 levels of a closure chain take about 350 KiB in a release build, well inside a
// oneTBB worker's 4 MiB; a sanitizer build's frames are several times larger).
inline constexpr int kMaxRecursionDepth = 1000;
[[noreturn]] void stack_exhausted();
// For a thread that ends before the program does (an engine's device thread): frees this thread's
// buffer of nodes waiting to be freed (kept for the thread's life, since values may be freed while
// threads and the program exit). Call it last, once the thread holds no values.
void release_thread_free_list();

std::uintptr_t stack_floor();  // the lowest safe stack address of this thread (computed once)
inline thread_local std::uintptr_t tls_stack_floor = 0;
inline thread_local int tls_recursion_depth = 0;
class DepthGuard {
 public:
  [[gnu::always_inline]] DepthGuard() {
    if (++tls_recursion_depth > kMaxRecursionDepth) [[unlikely]] fail();
    const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    if (here < tls_stack_floor) [[unlikely]] fail();
    if (tls_stack_floor == 0) [[unlikely]] tls_stack_floor = stack_floor();
  }
  ~DepthGuard() { --tls_recursion_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  [[noreturn, gnu::noinline]] static void fail() {
    --tls_recursion_depth;  // the destructor of a guard whose constructor threw never runs
    stack_exhausted();
  }
};

// RAII installation of a budget on the calling thread.
// An evaluation counts its recursion from 0, whatever ran before it on the thread's stack.
class BudgetScope {
 public:
  explicit BudgetScope(Budget* b) : prev_(current_budget()), prev_depth_(tls_recursion_depth) {
    set_current_budget(b);
    tls_recursion_depth = 0;
  }
  ~BudgetScope() {
    set_current_budget(prev_);
    tls_recursion_depth = prev_depth_;
  }
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  Budget* prev_;
  int prev_depth_;
};

}  // namespace megabatch
