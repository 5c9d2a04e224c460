// Primitive table, dynamic calls of callables, and arc-dsl's named constants.
#include "cpu/dsl/registry.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <utility>
#include <unordered_map>

#include "cpu/dsl/pyops.hpp"

namespace megabatch::cpu {

std::string PrimitiveInfo::signature() const {
  std::string s = name + "(";
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (k) s += ", ";
    s += params[k].name;
    if (!params[k].hint.empty()) s += ": " + params[k].hint;
    if (!params[k].default_name.empty()) s += "=" + params[k].default_name;
  }
  return s + ") -> " + returns;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "a: A, b: B, key=identity -> R" into parameters and the return hint.
void parse_signature(const PrimitiveDef& d, PrimitiveInfo& info) {
  const std::string_view sig = d.signature;
  const std::size_t arrow = sig.find("->");
  if (arrow == std::string_view::npos)
    throw std::logic_error("primitive '" + std::string(d.name) + "': signature without '->'");
  info.returns = std::string(trim(sig.substr(arrow + 2)));
  std::string_view params = trim(sig.substr(0, arrow));
  while (!params.empty()) {
    const std::size_t comma = params.find(',');
    std::string_view one = trim(params.substr(0, comma));
    params = comma == std::string_view::npos ? std::string_view() : trim(params.substr(comma + 1));
    Param p;
    if (const std::size_t eq = one.find('='); eq != std::string_view::npos) {
      p.default_name = std::string(trim(one.substr(eq + 1)));
      one = trim(one.substr(0, eq));
    }
    if (const std::size_t colon = one.find(':'); colon != std::string_view::npos) {
      p.hint = std::string(trim(one.substr(colon + 1)));
      one = trim(one.substr(0, colon));
    }
    p.name = std::string(one);
    if (p.default_name.empty() && !info.params.empty() && !info.params.back().default_name.empty())
      throw std::logic_error("primitive '" + info.name + "': a parameter without a default follows one with");
    info.params.push_back(std::move(p));
  }
  info.arity = static_cast<int>(info.params.size());
  info.min_arity = 0;
  for (const Param& p : info.params) info.min_arity += p.default_name.empty();
}

// The two fields every call reads, packed densely (PrimitiveInfo also carries strings).
struct Callee {
  PrimFn fn;
  std::int16_t arity, min_arity;
  SafeDefault safe;
};

struct Table {
  std::vector<PrimitiveInfo> entries;
  std::vector<Callee> callees;  // entries' fn, arities and safe default, same ids
  std::unordered_map<std::string, int> by_name[kDialectCount];
};

const Table& table() {
  static const Table t = [] {
    const Family families[] = {
        {"basics", Dialect::ArcDsl, arc_basics_family()},
        {"functional", Dialect::ArcDsl, arc_functional_family()},
        {"patches", Dialect::ArcDsl, arc_patches_family()},
        {"grids", Dialect::ArcDsl, arc_grids_family()},
        {"builtins", Dialect::ArcDsl, builtins_family(), true},
        {"tok_basics", Dialect::Tokpidjin, tok_basics_family()},
        {"tok_ranks", Dialect::Tokpidjin, tok_ranks_family()},
        {"tok_functional", Dialect::Tokpidjin, tok_functional_family()},
        {"tok_patches", Dialect::Tokpidjin, tok_patches_family()},
        {"tok_grids", Dialect::Tokpidjin, tok_grids_family()},
    };
    Table out;
    for (const Family& f : families)
      for (const PrimitiveDef& d : f.defs) {
        PrimitiveInfo info;
        info.name = std::string(d.name);
        info.dialect = f.dialect;
        info.builtin = f.builtin;
        info.description = std::string(d.description);
        info.family = std::string(f.name);
        info.fn = d.fn;
        info.shape = d.shape;
        info.colour = d.colour;
        info.palette = d.palette;
        info.picks_colour = d.picks_colour;
        info.builds = d.builds;
        info.device = d.device;
        info.device_charge = d.device_charge;
        info.device_select = d.device_select;
        parse_signature(d, info);
        info.repr = (f.builtin ? "<built-in function " : "<function ") + info.name + ">";
        if (f.dialect == Dialect::Tokpidjin && !f.builtin) info.safe = safe_default_for(info.params, info.returns);
        const int id = static_cast<int>(out.entries.size());
        // Builtins are names of every dialect; a dialect's own primitive may not reuse one.
        for (int k = 0; k < kDialectCount; ++k) {
          if (!f.builtin && k != static_cast<int>(f.dialect)) continue;
          if (!out.by_name[k].emplace(info.name, id).second)
            throw std::logic_error("primitive '" + info.name + "' registered twice in " +
                                   dialect_name(static_cast<Dialect>(k)));
        }
        out.callees.push_back({info.fn, static_cast<std::int16_t>(info.arity), static_cast<std::int16_t>(info.min_arity),
                               info.safe});
        out.entries.push_back(std::move(info));
      }
    // Default argument values name primitives of the same dialect (get_nth_by_key_t's key=identity).
    for (PrimitiveInfo& info : out.entries)
      for (const Param& p : info.params) {
        if (p.default_name.empty()) continue;
        auto it = out.by_name[static_cast<int>(info.dialect)].find(p.default_name);
        if (it == out.by_name[static_cast<int>(info.dialect)].end())
          throw std::logic_error("primitive '" + info.name + "': unknown default '" + p.default_name + "'");
        info.defaults.push_back(Value::primitive(it->second));
      }
    set_primitive_repr_hook([](int id) { return table().entries[id].repr.c_str(); });
    return out;
  }();
  return t;
}

std::string arg_types(std::span<const Value> args) {
  std::string s;
  for (std::size_t k = 0; k < args.size(); ++k) {
    if (k) s += ", ";
    s += args[k].type_name();
  }
  return s;
}

}  // namespace

const std::vector<PrimitiveInfo>& primitives() { return table().entries; }

const PrimitiveInfo* find_primitive(std::string_view name, Dialect dialect) {
  int id = primitive_id(name, dialect);
  return id < 0 ? nullptr : &table().entries[id];
}

int primitive_id(std::string_view name, Dialect dialect) {
  const auto& names = table().by_name[static_cast<int>(dialect)];
  auto it = names.find(std::string(name));
  return it == names.end() ? -1 : it->second;
}

std::vector<int> dialect_primitives(Dialect dialect) {
  std::vector<int> ids;
  const auto& t = table();
  for (std::size_t k = 0; k < t.entries.size(); ++k)
    if (t.entries[k].builtin || t.entries[k].dialect == dialect) ids.push_back(static_cast<int>(k));
  return ids;
}

namespace {

// CPython's words for a call with the wrong number of arguments. Too few names the missing
// parameters where they are known (the lambdas arc-dsl's combinators return); primitives say how
// many they take instead.
std::string arity_message(const std::string& name, std::size_t expected, std::size_t given,
                          std::span<const char* const> params) {
  const auto plural = [](std::size_t n, const char* word) { return std::string(word) + (n == 1 ? "" : "s"); };
  if (given < expected && params.size() == expected) {
    const std::size_t missing = expected - given;
    std::string list;
    for (std::size_t k = given; k < expected; ++k) {
      if (k > given) list += missing == 2 ? " and " : (k + 1 == expected ? ", and " : ", ");
      list += std::string("'") + params[k] + "'";
    }
    return name + "() missing " + std::to_string(missing) + " required " + plural(missing, "positional argument") +
           ": " + list;
  }
  return name + "() takes " + std::to_string(expected) + " " + plural(expected, "positional argument") + " but " +
         std::to_string(given) + (given == 1 ? " was" : " were") + " given";
}

[[noreturn, gnu::noinline]] void wrong_arity(const PrimitiveInfo& p, std::size_t given) {
  throw EvalError(arity_message(p.name, static_cast<std::size_t>(p.arity), given, {}));
}

// Errors are named lazily. A handler in every primitive call (catch, name, rethrow) made each error
// unwind once per level of nesting; instead the innermost primitive an exception leaves records
// itself (name and argument types) on the way out, and the entry point that catches the exception
// (invoke, evaluate, the executor) builds "in name(types): message" once.
struct ErrorSite {
  bool set = false;
  int id = 0;
  std::string types;
};
thread_local ErrorSite tls_error_site;

[[gnu::noinline, gnu::cold]] void record_error_site(int id, std::span<const Value> args) {
  if (tls_error_site.set) return;  // a deeper primitive already did
  tls_error_site.set = true;
  tls_error_site.id = id;
  tls_error_site.types = arg_types(args);
}

// Records the primitive when an exception leaves its body. Two words on the stack: the normal path
// marks it done (id < 0), which the compiler folds away.
struct SiteGuard {
  const Value* args;
  std::uint32_t n;
  std::int32_t id;
  ~SiteGuard() {
    if (id >= 0) [[unlikely]] record_error_site(id, std::span<const Value>(args, n));
  }
};

// A tokpidjin primitive that raised: safe_dsl catches every Exception and returns the default for
// its return annotation. A budget stop is not an exception of the program's and passes through.
thread_local bool tls_safe_raised = false;

[[gnu::always_inline]] inline Value invoke_safe(const Callee& callee, const Value* args) {
  try {
    Value r = callee.fn(args);
    if (!tls_safe_raised) [[likely]] return r;
    tls_safe_raised = false;
    return safe_default_value(callee.safe);
  } catch (const EvalError&) {
  } catch (const std::bad_alloc&) {   // Python's MemoryError is an Exception too
  } catch (const std::length_error&) {
  }
  clear_error_site();
  return safe_default_value(callee.safe);
}

// A call with another number of arguments than the parameters: defaults fill the missing ones; a
// tokpidjin primitive otherwise returns its default (its wrapper's call raised TypeError inside
// the try); anything else raises.
[[gnu::noinline]] Value invoke_other_arity(int id, const Callee& callee, std::span<const Value> args) {
  const PrimitiveInfo& info = table().entries[id];
  const int given = static_cast<int>(args.size());
  if (given < callee.min_arity || given > callee.arity) {
    if (callee.safe == SafeDefault::None) wrong_arity(info, args.size());
    charge_call();
    return safe_default_value(callee.safe);
  }
  Value all[4];
  for (int k = 0; k < given; ++k) all[k].set_borrowed(args[k]);
  for (int k = given; k < callee.arity; ++k) all[k].set_borrowed(info.defaults[k - callee.min_arity]);
  charge_call();
  if (callee.safe != SafeDefault::None) return invoke_safe(callee, all);
  SiteGuard guard{all, static_cast<std::uint32_t>(callee.arity), id};
  Value result = callee.fn(all);
  guard.id = -1;
  return result;
}

// The one body of a primitive call; forced inline into invoke() and into call(), so that a closure
// reaching a primitive costs one frame less.
[[gnu::always_inline]] inline Value invoke_inline(int id, std::span<const Value> args) {
  static const Callee* const callees = table().callees.data();
  const Callee& callee = callees[id];
  if (static_cast<int>(args.size()) != callee.arity) [[unlikely]] return invoke_other_arity(id, callee, args);
  charge_call();
  if (callee.safe != SafeDefault::None) return invoke_safe(callee, args.data());
  SiteGuard guard{args.data(), static_cast<std::uint32_t>(args.size()), id};
  Value result = callee.fn(args.data());
  guard.id = -1;
  return result;
}

}  // namespace

void clear_error_site() {
  if (tls_error_site.set) tls_error_site = ErrorSite{};  // every step calls this: usually nothing to do
}

std::string error_message(const std::exception& e) {
  ErrorSite site = std::exchange(tls_error_site, ErrorSite{});
  std::string what = e.what();
  // An error already named keeps its name; one raised outside any primitive has none to add.
  if (!site.set || (dynamic_cast<const EvalError*>(&e) && what.starts_with("in "))) return what;
  return "in " + table().entries[site.id].name + "(" + site.types + "): " + what;
}

void rethrow_named(const std::exception& e) {
  if (dynamic_cast<const BudgetExceeded*>(&e)) {
    clear_error_site();
    throw;
  }
  const bool eval_error = dynamic_cast<const EvalError*>(&e) != nullptr;
  std::string message = error_message(e);
  if (eval_error && message == e.what()) throw;
  throw EvalError(message);
}

SafeDefault safe_default_for(const std::vector<Param>& params, const std::string& returns) {
  // What typing.get_type_hints resolves each name of tokpidjin's arc_types.py to, by the words
  // safe_dsl looks for in str() of the result: aliases print expanded (Grid is
  // 'typing.Tuple[typing.Tuple[int]]'), and the tuple words are looked for before 'int' (so
  // Numerical, a Union with a Tuple, defaults to ()).
  static const std::unordered_map<std::string_view, SafeDefault> kResolved = {
      {"FrozenSet", SafeDefault::EmptyFrozenset}, {"IntegerSet", SafeDefault::EmptyFrozenset},
      {"Object", SafeDefault::EmptyFrozenset},    {"Objects", SafeDefault::EmptyFrozenset},
      {"Indices", SafeDefault::EmptyFrozenset},   {"IndicesSet", SafeDefault::EmptyFrozenset},
      {"Patch", SafeDefault::EmptyFrozenset},     {"Tuple", SafeDefault::EmptyTuple},
      {"Grid", SafeDefault::EmptyTuple},          {"Samples", SafeDefault::EmptyTuple},
      {"IJ", SafeDefault::EmptyTuple},            {"Numerical", SafeDefault::EmptyTuple},
      {"Cell", SafeDefault::EmptyTuple},          {"TupleTuple", SafeDefault::EmptyTuple},
      {"TTT_iii", SafeDefault::EmptyTuple},       {"Container", SafeDefault::EmptyTuple},
      {"ContainerContainer", SafeDefault::EmptyTuple}, {"List", SafeDefault::EmptyTuple},
      {"Any", SafeDefault::EmptyTuple},           {"Iterable", SafeDefault::EmptyTuple},
      {"Union", SafeDefault::EmptyTuple},         {"Integer", SafeDefault::Zero},
      {"I_", SafeDefault::Zero},                  {"J_", SafeDefault::Zero},
      {"C_", SafeDefault::Zero},                  {"R_", SafeDefault::Zero},
      {"L_", SafeDefault::Zero},                  {"FL", SafeDefault::Zero},
      {"A_", SafeDefault::Zero},                  {"Boolean", SafeDefault::False},
      {"Callable", SafeDefault::SafeCallable},    {"F_", SafeDefault::SafeCallable},  // arc_types rebinds F_
  };
  // An annotation naming something arc_types.py does not define (R8, A4, ...) makes
  // get_type_hints raise; safe_dsl then knows no return type and returns ().
  for (const Param& p : params)
    if (!p.hint.empty() && !kResolved.count(p.hint)) return SafeDefault::EmptyTuple;
  if (returns.empty()) return SafeDefault::EmptyTuple;
  auto it = kResolved.find(returns);
  return it == kResolved.end() ? SafeDefault::EmptyTuple : it->second;
}

Value safe_raise() {
  tls_safe_raised = true;
  return Value{};
}

Value safe_default_value(SafeDefault d) {
  switch (d) {
    case SafeDefault::EmptyFrozenset: return empty_set();
    case SafeDefault::Zero: return Value::integer(0);
    case SafeDefault::False: return Value::boolean(false);
    case SafeDefault::SafeCallable: {
      static const Value f = make_func(FuncKind::SafeCallable, 0, {});
      return f;
    }
    case SafeDefault::None: case SafeDefault::EmptyTuple: break;
  }
  return empty_tuple();
}

Value invoke(int id, std::span<const Value> args) {
  clear_error_site();
  try {
    return invoke_inline(id, args);
  } catch (const std::exception& e) {
    rethrow_named(e);
  }
}

int argcount(const Value& f) {
  if (!f.is_callable()) type_error(std::string("'") + f.type_name() + "' object is not callable");
  if (f.is_primitive()) {
    const PrimitiveInfo& info = table().entries[f.primitive_id()];
    // A builtin is implemented in C: `len.__code__` raises.
    if (info.builtin) throw EvalError("'builtin_function_or_method' object has no attribute '__code__'");
    return info.arity;
  }
  return f.func().argcount;
}

Value call2(const Value& f, const Value& a, const Value& b) {
  const Value args[2] = {Value::borrow(a), Value::borrow(b)};
  return call(f, args);
}

namespace {

[[noreturn, gnu::noinline]] void not_callable(const Value& f) {
  type_error(std::string("'") + f.type_name() + "' object is not callable");
}

// A closure is the lambda of the arc-dsl function that built it: rbind's take (x, y, z), lbind's
// (y, z, a), the others (x); power(f, n > 1) is compose's.
[[noreturn, gnu::noinline]] void wrong_argcount(const FuncNode& fn, std::size_t given) {
  static constexpr const char* kRbind[] = {"x", "y", "z"};
  static constexpr const char* kLbind[] = {"y", "z", "a"};
  static constexpr const char* kOne[] = {"x"};
  std::span<const char* const> params = fn.kind == FuncKind::Rbind   ? std::span<const char* const>(kRbind)
                                        : fn.kind == FuncKind::Lbind ? std::span<const char* const>(kLbind)
                                                                     : std::span<const char* const>(kOne);
  const auto expected = static_cast<std::size_t>(fn.argcount);
  throw EvalError(arity_message(std::string(closure_maker(fn.kind)) + ".<locals>.<lambda>", expected, given,
                                params.first(std::min(expected, params.size()))));
}

// A closure's parts are mostly primitives: those run inline in the closure's own frame, without a
// second trip through call() (a frame, its prologue and the primitive test once more).
[[gnu::always_inline]] inline Value call_part(const Value& f, std::span<const Value> args) {
  if (f.is_primitive()) return invoke_inline(f.primitive_id(), args);
  return call(f, args);
}
[[gnu::always_inline]] inline Value call_part1(const Value& f, const Value& a) {
  return call_part(f, std::span<const Value>(&a, 1));
}
[[gnu::always_inline]] inline Value call_part2(const Value& f, const Value& a, const Value& b) {
  const Value args[2] = {Value::borrow(a), Value::borrow(b)};
  return call_part(f, args);
}

// rbind/lbind: the fixed value joins the arguments as borrowed handles (no reference counting);
// argcount <= 3, so four slots always suffice.
[[gnu::always_inline]] inline Value call_bound(const FuncNode& fn, std::span<const Value> args, bool fixed_last) {
  if (args.size() == 1) {  // the common case: rbind(f, x)(y) is f(y, x)
    const Value two[2] = {Value::borrow(fixed_last ? args[0] : fn.parts[1]), Value::borrow(fixed_last ? fn.parts[1] : args[0])};
    return call_part(fn.parts[0], two);
  }
  Value all[4];
  const std::size_t n = args.size();
  for (std::size_t k = 0; k < n; ++k) all[fixed_last ? k : k + 1].set_borrowed(args[k]);
  all[fixed_last ? n : 0].set_borrowed(fn.parts[1]);
  return call_part(fn.parts[0], std::span<const Value>(all, n + 1));
}

// The body of a closure call, by kind.
[[gnu::always_inline]] inline Value dispatch_closure(const FuncNode& fn, std::span<const Value> args) {
  const auto& p = fn.parts;
  switch (fn.kind) {
    case FuncKind::Primitive: break;
    case FuncKind::SafeCallable: return empty_tuple();
    case FuncKind::Compose:  // compose(outer, inner): outer(inner(x))
      return call_part1(p[0], call_part1(p[1], args[0]));
    case FuncKind::Chain:  // chain(h, g, f): h(g(f(x)))
      return call_part1(p[0], call_part1(p[1], call_part1(p[2], args[0])));
    case FuncKind::Fork: {  // fork(outer, a, b): outer(a(x), b(x))
      // Python runs a(x) before b(x); C++ leaves argument order open (GCC runs b first), and
      // which runs first decides the error raised and where a budget runs out.
      Value left = call_part1(p[1], args[0]);
      Value right = call_part1(p[2], args[0]);
      return call_part2(p[0], left, right);
    }
    case FuncKind::Matcher:  // matcher(function, target): function(x) == target
      return Value::boolean(py_eq(call_part1(p[0], args[0]), p[1]));
    case FuncKind::Rbind:  // rbind(function, fixed): function(*args, fixed)
      return call_bound(fn, args, true);
    case FuncKind::Lbind:  // lbind(function, fixed): function(fixed, *args)
      return call_bound(fn, args, false);
    case FuncKind::Power: {  // power(function, n): function applied n times
      Value x = args[0];
      for (std::int64_t k = 0; k < fn.n; ++k) x = call_part1(p[0], x);
      return x;
    }
  }
  throw EvalError("unknown callable");
}

// ---- memoised closure calls ----------------------------------------------------------------------
// Programs such as arc-dsl's solve_d22278a0 call one expensive closure (a distance through five
// nested closures, an argmin over every object) with the same arguments again and again from inside
// other loops. All primitives are pure, so a one-argument closure whose first calls averaged at
// least kMemoMinCalls primitive calls keeps its results by argument identity. A hit charges the
// calls and cells the computation charged, and is only taken when that stays within the budget:
// every outcome, budget stop and cost figure is exactly what recomputing would give.
constexpr std::uint16_t kProbeCalls = 16;
constexpr std::int64_t kMemoMinCalls = 8;
// What one closure's memo may hold (a table of up to 64k slots, about 5 MB): past it, lookups go
// on, inserts stop.
constexpr std::uint32_t kMemoMaxEntries = 1u << 15;
constexpr std::int64_t kMemoMaxCells = 1 << 19;
constexpr std::uint32_t kMemoGiveUpMisses = 2048;  // ... when fewer than one call in 16 was a hit

std::atomic<bool> memo_enabled{true};
thread_local ClosureMemoStats tls_memo_stats;

struct MemoKey {
  std::uint8_t tag;  // 1: the argument itself, 2: the two items of a 2-tuple argument
  const Value* a;
  const Value* b;
};

MemoKey memo_key(const Value& arg) {
  // astuple(x, y) builds a new tuple for every call: key such an argument by its two items.
  if (arg.kind() == Kind::Tuple && arg.size() == 2) {
    auto items = arg.items();
    return {2, &items[0], &items[1]};
  }
  return {1, &arg, nullptr};
}

std::uint64_t memo_hash(const MemoKey& k) {
  auto mix = [](std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
  };
  std::uint64_t h = mix(k.tag, k.a->identity_head());
  h = mix(h, k.a->identity_body());
  if (k.b) h = mix(mix(h, k.b->identity_head()), k.b->identity_body());
  return h ^ (h >> 29);
}

bool same_identity(const Value& x, const Value& y) {
  return x.identity_head() == y.identity_head() && x.identity_body() == y.identity_body();
}

bool memo_matches(const CallMemo::Entry& e, const MemoKey& k) {
  return e.tag == k.tag && same_identity(e.a, *k.a) && (!k.b || same_identity(e.b, *k.b));
}

// Keys and results holding a closure are not kept: a closure equals only itself, so a shared
// result could compare equal where a fresh one would not, and a key holding a closure could hold the
// memo's own closure (a reference cycle). The check visits at most kMemoCheckNodes containers in
// all (nested tuples sharing their parts are cheap to build but exponential to walk): anything
// bigger is simply not kept.
constexpr int kMemoCheckNodes = 256;

bool memoisable(const Value& v, int& budget) {
  switch (v.kind()) {
    case Kind::Func: return v.is_primitive();
    case Kind::Tuple: case Kind::Set: {
      auto items = v.items();
      budget -= 1 + static_cast<int>(std::min<std::size_t>(items.size(), kMemoCheckNodes));
      if (budget < 0) return false;
      for (const Value& x : items)
        if (!memoisable(x, budget)) return false;
      return true;
    }
    default: return true;  // ints, pairs, cells, grids and patches hold no closure
  }
}

bool memoisable(const Value& v) {
  int budget = kMemoCheckNodes;
  return memoisable(v, budget);
}

CallMemo::Entry* memo_find(CallMemo& m, const MemoKey& k, std::uint64_t h) {
  if (m.slots.empty()) return nullptr;
  const std::size_t mask = m.slots.size() - 1;
  for (std::size_t at = h & mask;; at = (at + 1) & mask) {
    CallMemo::Entry& e = m.slots[at];
    if (e.tag == 0) return nullptr;
    if (memo_matches(e, k)) return &e;
  }
}

void memo_insert(CallMemo& m, const MemoKey& k, std::uint64_t h, const Value& result, std::int64_t calls,
                 std::int64_t cells) {
  if (m.used >= kMemoMaxEntries || m.cells + cells > kMemoMaxCells) return;
  if (2 * (m.used + 1) > m.slots.size()) {  // grow at half load
    std::vector<CallMemo::Entry> old = std::move(m.slots);
    m.slots = std::vector<CallMemo::Entry>(old.empty() ? 64 : old.size() * 2);
    const std::size_t mask = m.slots.size() - 1;
    for (CallMemo::Entry& e : old) {
      if (e.tag == 0) continue;
      std::size_t at = memo_hash({e.tag, &e.a, e.tag == 2 ? &e.b : nullptr}) & mask;
      while (m.slots[at].tag != 0) at = (at + 1) & mask;
      m.slots[at] = std::move(e);
    }
  }
  const std::size_t mask = m.slots.size() - 1;
  std::size_t at = h & mask;
  while (m.slots[at].tag != 0) at = (at + 1) & mask;
  CallMemo::Entry& e = m.slots[at];
  e.tag = k.tag;
  e.a = *k.a;  // owning copies: the key's nodes stay alive, so their addresses stay theirs
  if (k.b) e.b = *k.b;
  e.result = result;
  e.calls = calls;
  e.cells = cells;
  ++m.used;
  m.cells += cells;
}

// Counts the memoised calls of one closure now running: a closure can reach itself through its
// argument, and an inner call must not free the memo an outer one is using.
struct MemoDepth {
  const FuncNode& fn;
  explicit MemoDepth(const FuncNode& f) : fn(f) { ++fn.memo_depth; }
  ~MemoDepth() { --fn.memo_depth; }
  MemoDepth(const MemoDepth&) = delete;
  MemoDepth& operator=(const MemoDepth&) = delete;
};

[[gnu::noinline]] Value call_memoised(const FuncNode& fn, std::span<const Value> args) {
  Budget* b = current_budget();
  // Outside an evaluation there is nothing to charge; a re-entered closure just computes.
  if (!b || fn.memo_depth > 0) return dispatch_closure(fn, args);
  if (fn.memo_state == FuncNode::Memo::Probation) {
    const std::int64_t calls0 = b->calls_used;
    Value r = dispatch_closure(fn, args);
    const std::int64_t work = fn.probe_work + (b->calls_used - calls0);
    fn.probe_work = static_cast<std::uint16_t>(std::min<std::int64_t>(work, UINT16_MAX));
    if (++fn.probe_calls == kProbeCalls)
      fn.memo_state = fn.probe_work >= kMemoMinCalls * kProbeCalls ? FuncNode::Memo::On : FuncNode::Memo::Off;
    return r;
  }
  if (!fn.memo) fn.memo = std::make_unique<CallMemo>();
  CallMemo& m = *fn.memo;
  const MemoKey key = memo_key(args[0]);
  const std::uint64_t h = memo_hash(key);
  if (CallMemo::Entry* e = memo_find(m, key, h)) {
    if (charge_recorded(*b, e->calls, e->cells)) {
      ++m.hits;
      ++tls_memo_stats.hits;
      return e->result;
    }
    return dispatch_closure(fn, args);
  }
  const std::int64_t calls0 = b->calls_used, cells0 = b->cells_used;
  Value r;
  {
    MemoDepth depth(fn);
    r = dispatch_closure(fn, args);
  }
  ++m.misses;
  ++tls_memo_stats.misses;
  if (memoisable(r) && memoisable(*key.a) && (!key.b || memoisable(*key.b)))
    memo_insert(m, key, h, r, b->calls_used - calls0, b->cells_used - cells0);
  if (m.misses >= kMemoGiveUpMisses && m.hits * 16 < m.misses) {
    fn.memo_state = FuncNode::Memo::Off;  // arguments rarely repeat: stop paying for the table
    fn.memo.reset();
  }
  return r;
}

Value call_closure(const Value& f, std::span<const Value> args) {
  if (!f.is_callable()) not_callable(f);
  const DepthGuard depth;  // a compose chain is called as deeply as it was built
  const FuncNode& fn = f.func();
  // safe_dsl's stand-in for a failed Callable takes any arguments (*args, **kwargs).
  if (fn.kind == FuncKind::SafeCallable) [[unlikely]] return empty_tuple();
  if (static_cast<int>(args.size()) != fn.argcount) wrong_argcount(fn, args.size());
  if (fn.memo_state != FuncNode::Memo::Off) [[unlikely]] return call_memoised(fn, args);
  return dispatch_closure(fn, args);
}

}  // namespace

void set_closure_memo_enabled(bool on) { memo_enabled.store(on, std::memory_order_relaxed); }
ClosureMemoStats closure_memo_stats() { return tls_memo_stats; }

void mark_memo_candidate(const Value& f) {
  if (!f.is_callable() || f.is_primitive() || !memo_enabled.load(std::memory_order_relaxed)) return;
  const FuncNode& fn = f.func();
  if (fn.argcount == 1 && fn.memo_state == FuncNode::Memo::Off && !fn.memo && fn.probe_calls == 0)
    fn.memo_state = FuncNode::Memo::Probation;
}

Value call(const Value& f, std::span<const Value> args) {
  if (f.is_primitive()) return invoke_inline(f.primitive_id(), args);
  return call_closure(f, args);
}

namespace {

using Constants = std::vector<std::pair<std::string, Value>>;

// arc-dsl's constants.py.
Constants arc_dsl_constants() {
  Constants v;
  const char* numbers[] = {"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN"};
  for (int k = 0; k <= 10; ++k) v.emplace_back(numbers[k], Value::integer(k));
  v.emplace_back("F", Value::boolean(false));
  v.emplace_back("T", Value::boolean(true));
  v.emplace_back("NEG_ONE", Value::integer(-1));
  v.emplace_back("ORIGIN", Value::pair(0, 0));
  v.emplace_back("UNITY", Value::pair(1, 1));
  v.emplace_back("DOWN", Value::pair(1, 0));
  v.emplace_back("RIGHT", Value::pair(0, 1));
  v.emplace_back("UP", Value::pair(-1, 0));
  v.emplace_back("LEFT", Value::pair(0, -1));
  v.emplace_back("NEG_TWO", Value::integer(-2));
  v.emplace_back("NEG_UNITY", Value::pair(-1, -1));
  v.emplace_back("UP_RIGHT", Value::pair(-1, 1));
  v.emplace_back("DOWN_LEFT", Value::pair(1, -1));
  v.emplace_back("ZERO_BY_TWO", Value::pair(0, 2));
  v.emplace_back("TWO_BY_ZERO", Value::pair(2, 0));
  v.emplace_back("TWO_BY_TWO", Value::pair(2, 2));
  v.emplace_back("THREE_BY_THREE", Value::pair(3, 3));
  return v;
}

// tokpidjin's constants.py: arc-dsl's and its 64 own, the symbols its mutation steps through
// (ranks from the first F0-F9 and from the last L1-L10, randomised symbols R0-R9, angles A0-A9 for
// mir_rot_*, scales SM2/SM3/SD2/SD3), colour names and a wider range of integers.
Constants tokpidjin_constants() {
  Constants v = arc_dsl_constants();
  // Names built by appending: GCC 12 warns falsely on "F" + std::string&&.
  const auto numbered = [&](char prefix, int k, std::int64_t value) {
    std::string name(1, prefix);
    name += std::to_string(k);
    v.emplace_back(std::move(name), Value::integer(value));
  };
  for (int k = 0; k <= 9; ++k) numbered('F', k, k), numbered('R', k, k), numbered('A', k, k);
  for (int k = 1; k <= 10; ++k) numbered('L', k, -k);
  const char* negatives[] = {"NEG_THREE", "NEG_FOUR", "NEG_FIVE", "NEG_SIX", "NEG_SEVEN", "NEG_EIGHT", "NEG_NINE", "NEG_TEN"};
  for (int k = 0; k < 8; ++k) v.emplace_back(negatives[k], Value::integer(-3 - k));
  v.emplace_back("HUNDRED", Value::integer(100));
  v.emplace_back("THOUSAND", Value::integer(1000));
  const char* colours[] = {"BLACK", "BLUE", "RED", "GREEN", "YELLOW", "GRAY", "MAGENTA", "ORANGE", "CYAN", "BURGUNDY"};
  for (int k = 0; k <= 9; ++k) v.emplace_back(colours[k], Value::integer(k));
  v.emplace_back("SM2", Value::integer(2));
  v.emplace_back("SM3", Value::integer(3));
  v.emplace_back("SD2", Value::integer(-2));
  v.emplace_back("SD3", Value::integer(-3));
  return v;
}

}  // namespace

const std::vector<std::pair<std::string, Value>>& constants(Dialect dialect) {
  static const Constants arc = arc_dsl_constants();
  static const Constants tok = tokpidjin_constants();
  return dialect == Dialect::ArcDsl ? arc : tok;
}

std::optional<std::int64_t> int_constant(const program::Node& node) {
  if (node.kind == program::NodeKind::IntLiteral) return node.value;
  if (node.kind != program::NodeKind::Constant) return std::nullopt;
  const auto v = find_constant(node.name, node.dialect);
  return v && v->is_int() ? std::optional(v->int_unchecked()) : std::nullopt;
}

std::optional<Value> find_constant(std::string_view name, Dialect dialect) {
  for (const auto& [n, v] : constants(dialect))
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace megabatch::cpu
