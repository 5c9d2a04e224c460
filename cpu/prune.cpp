#include "cpu/prune.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include "cpu/dsl/registry.hpp"
#include "engine/grid_op.hpp"

namespace megabatch::cpu {

namespace {

using Op = ColourStep::Op;
using Mask = std::uint16_t;
constexpr Mask kAny = 1u << 15;  // the cell may hold anything: a later step can still write it

// A colour argument as a cell value it could write: 0-9, or -1 for anything no expected cell
// holds (other ints, tuples, functions: never equal to a colour 0-9). Bools are ints, as in Python.
int colour_of(const Value& v) {
  if (v.kind() == Kind::Float) {  // 3.0 == 3 in Python: tokpidjin's arithmetic can make one
    const double d = v.float_unchecked();
    return d >= 0 && d <= 9 && d == static_cast<int>(d) ? static_cast<int>(d) : -1;
  }
  if (v.kind() != Kind::Int) return -1;
  const std::int64_t c = v.int_unchecked();
  return c >= 0 && c <= 9 ? static_cast<int>(c) : -1;
}

Mask bit(int c) { return static_cast<Mask>(1u << c); }
bool has(Mask m, int c) { return (m & kAny) || (c >= 0 && (m & bit(c))); }

// Where cell (p, q) of an h x w first argument lands in the op's result.
std::pair<int, int> lands_at(Op op, int p, int q, int h, int w) {
  switch (op) {
    case Op::Hmirror: return {h - 1 - p, q};
    case Op::Vmirror: return {p, w - 1 - q};
    case Op::Rot180: return {h - 1 - p, w - 1 - q};
    case Op::Dmirror: return {q, p};
    case Op::Rot90: return {q, h - 1 - p};
    case Op::Rot270: return {w - 1 - q, p};
    case Op::Cmirror: return {w - 1 - q, h - 1 - p};
    default: return {p, q};
  }
}

bool transposes(Op op) { return op == Op::Dmirror || op == Op::Rot90 || op == Op::Rot270 || op == Op::Cmirror; }

}  // namespace

namespace {

const PrimitiveInfo* named(const DagPrimitives& prims, program::NodeId id) { return prims.named ? prims.named(id) : nullptr; }
const PrimitiveInfo* called(const DagPrimitives& prims, program::NodeId id) { return prims.called ? prims.called(id) : nullptr; }

// recolor(c, p): a two-argument primitive whose object paints in its first argument.
bool recolours(const PrimitiveInfo* p) { return p && p->palette == PaletteRule::OfArg0 && p->arity == 2; }

// What bounds the colours of f(s) for a one-argument closure node f, whatever s is: the colours
// of s itself (uses_arg), those of some nodes' values, and extra colours (a tokpidjin primitive
// that raises returns its safe default, 0 for an Integer). Found from the DAG: f is a primitive
// passed by name, or a compose, chain, fork, rbind or lbind of primitives of known palette rules.
struct ClosureColours {
  bool uses_arg = false;
  std::vector<program::NodeId> nodes;
  std::uint16_t extra = 0;
  void add(const ClosureColours& o) {
    uses_arg = uses_arg || o.uses_arg;
    nodes.insert(nodes.end(), o.nodes.begin(), o.nodes.end());
    extra |= o.extra;
  }
};

constexpr int kMaxClosureDepth = 8;

std::uint16_t default_colours(const PrimitiveInfo* p) { return p && p->safe == SafeDefault::Zero ? 1u : 0u; }

// A primitive of one argument whose result's colours are its argument's (or its default's).
bool keeps_its_argument(const PrimitiveInfo* p) {
  if (!p || p->arity != 1) return false;
  return p->picks_colour || p->palette == PaletteRule::Keeps0 || p->palette == PaletteRule::Merge ||
         p->palette == PaletteRule::OfArg0;
}

bool closure_colours(const program::Dag& dag, program::NodeId f, const DagPrimitives& prims, int depth,
                     ClosureColours& out);

// g(s) colours, where g = outer . inner: outer's bound, with inner's in place of "its argument".
bool composed_colours(const program::Dag& dag, program::NodeId outer, program::NodeId inner, const DagPrimitives& prims,
                      int depth, ClosureColours& out) {
  ClosureColours o, in;
  if (!closure_colours(dag, outer, prims, depth + 1, o)) return false;
  if (o.uses_arg) {
    if (!closure_colours(dag, inner, prims, depth + 1, in)) return false;
    o.uses_arg = false;
    o.add(in);
  }
  out.add(o);
  return true;
}

// fork(mapply, a, b)(s) = mapply(a(s), b(s)): a(s) is a closure g_s made by a binder, g_s(o) its
// results for o in b(s). Known binders: lbind(lbind, K) (g_s = lbind(K, s)), lbind(rbind, K)
// (g_s = rbind(K, s)), and either composed after an inner closure (g_s = lbind(K, inner(s))).
bool bound_results(const program::Dag& dag, program::NodeId a, program::NodeId b, const DagPrimitives& prims, int depth,
                   ClosureColours& out) {
  const PrimitiveInfo* maker = called(prims, a);
  if (!maker) return false;
  const program::Node& n = dag.node(a);
  ClosureColours bound_value;  // what bounds the value the binder fixes: s, or inner(s)
  program::NodeId binder = a;
  if (maker->builds == FuncKind::Compose && n.args.size() == 2) {
    if (!closure_colours(dag, n.args[1], prims, depth + 1, bound_value)) return false;
    binder = n.args[0];
    maker = called(prims, binder);
    if (!maker) return false;
  } else {
    bound_value.uses_arg = true;
  }
  const program::Node& bn = dag.node(binder);
  if (maker->builds != FuncKind::Lbind || bn.args.size() != 2) return false;
  const PrimitiveInfo* how = named(prims, bn.args[0]);  // lbind or rbind
  const PrimitiveInfo* k = named(prims, bn.args[1]);
  if (!how || !k || k->arity != 2 || (how->builds != FuncKind::Lbind && how->builds != FuncKind::Rbind)) return false;
  // K(fixed, o) for lbind, K(o, fixed) for rbind; o ranges over b(s)'s members
  const bool fixed_first = how->builds == FuncKind::Lbind;
  const bool first_kept = k->palette == PaletteRule::Keeps0 || k->palette == PaletteRule::Keeps01;
  const bool second_kept = k->palette == PaletteRule::Keeps01;
  if (!first_kept) return false;
  ClosureColours members;
  const bool need_members = !fixed_first || second_kept;
  if (need_members && !closure_colours(dag, b, prims, depth + 1, members)) return false;
  if (fixed_first || second_kept) out.add(bound_value);
  if (need_members) out.add(members);
  out.extra |= default_colours(k);
  return true;
}

bool closure_colours(const program::Dag& dag, program::NodeId f, const DagPrimitives& prims, int depth,
                     ClosureColours& out) {
  if (depth > kMaxClosureDepth) return false;
  if (const PrimitiveInfo* p = named(prims, f)) {
    if (!keeps_its_argument(p)) return false;
    out.uses_arg = true;
    out.extra |= default_colours(p);
    return true;
  }
  const PrimitiveInfo* maker = called(prims, f);
  if (!maker) return false;
  const program::Node& n = dag.node(f);
  switch (maker->builds) {
    case FuncKind::Compose:  // compose(outer, inner)
      return n.args.size() == 2 && composed_colours(dag, n.args[0], n.args[1], prims, depth, out);
    case FuncKind::Chain: {  // chain(h, g, f) = h . (g . f)
      if (n.args.size() != 3) return false;
      ClosureColours gf;
      if (!composed_colours(dag, n.args[1], n.args[2], prims, depth, gf)) return false;
      ClosureColours h;
      if (!closure_colours(dag, n.args[0], prims, depth + 1, h)) return false;
      if (h.uses_arg) h.uses_arg = false, h.add(gf);
      out.add(h);
      return true;
    }
    case FuncKind::Fork: {  // fork(outer, a, b)(s) = outer(a(s), b(s))
      if (n.args.size() != 3) return false;
      const PrimitiveInfo* outer = named(prims, n.args[0]);
      if (!outer || outer->arity != 2) return false;
      out.extra |= default_colours(outer);
      // recolor(k(s), g(s)): the colour k picks from s (color, mostcolor, leastcolor, identity)
      if (recolours(outer)) {
        const PrimitiveInfo* k = named(prims, n.args[1]);
        if (!k || !k->picks_colour) return false;
        out.uses_arg = true;
        out.extra |= default_colours(k);
        return true;
      }
      switch (outer->palette) {
        case PaletteRule::Keeps0: return closure_colours(dag, n.args[1], prims, depth + 1, out);
        case PaletteRule::Keeps01:
          return closure_colours(dag, n.args[1], prims, depth + 1, out) &&
                 closure_colours(dag, n.args[2], prims, depth + 1, out);
        case PaletteRule::Applied: case PaletteRule::MapOver:
          return bound_results(dag, n.args[1], n.args[2], prims, depth, out);
        default: return false;
      }
    }
    case FuncKind::Rbind: case FuncKind::Lbind: {  // rbind(P, c)(s) = P(s, c); lbind(P, c)(s) = P(c, s)
      if (n.args.size() != 2) return false;
      const PrimitiveInfo* p = named(prims, n.args[0]);
      if (!p || p->arity != 2) return false;
      const bool s_first = maker->builds == FuncKind::Rbind;
      out.extra |= default_colours(p);
      if (recolours(p) || p->palette == PaletteRule::Keeps0) {  // the first argument's colours
        if (s_first) out.uses_arg = true;
        else out.nodes.push_back(n.args[1]);
        return true;
      }
      if (p->palette == PaletteRule::Keeps01) {
        out.uses_arg = true;
        out.nodes.push_back(n.args[1]);
        return true;
      }
      return false;
    }
    default: return false;
  }
}

void add_palette_sources(const program::Dag& dag, program::NodeId node, const DagPrimitives& prims, int depth,
                         std::vector<program::NodeId>& out, std::uint16_t& extra) {
  const PrimitiveInfo* p = called(prims, node);
  const program::Node& n = dag.node(node);
  const auto recurse = [&](program::NodeId x) { add_palette_sources(dag, x, prims, depth + 1, out, extra); };
  if (depth <= 8 && p && p->palette != PaletteRule::Itself) {
    extra |= default_colours(p);
    switch (p->palette) {
      case PaletteRule::Itself: break;
      case PaletteRule::OfArg0: out.push_back(n.args[0]); return;  // a colour or a grid: not followed
      case PaletteRule::OfArg1: out.push_back(n.args[1]); return;
      // a container of f's results over the container's members: f's bound, with the container's
      // colours for "its argument" (the members' colours are the container's)
      case PaletteRule::Applied: case PaletteRule::MapOver: {
        ClosureColours cc;
        if (!closure_colours(dag, n.args[0], prims, 0, cc)) break;
        extra |= cc.extra;
        out.insert(out.end(), cc.nodes.begin(), cc.nodes.end());  // values of closures' constants: not followed
        if (cc.uses_arg) recurse(n.args[1]);
        return;
      }
      case PaletteRule::Merge: case PaletteRule::Keeps0: return recurse(n.args[0]);
      case PaletteRule::Keeps01:
        recurse(n.args[0]);
        return recurse(n.args[1]);
    }
  }
  out.push_back(node);
}

struct ColourScan {
  Dialect dialect = Dialect::ArcDsl;
  std::size_t budget = 1 << 16;  // members looked at, at most
  bool top = false;              // something whose colours cannot be bounded
  std::uint16_t bits = 0;
  void add_int(std::int64_t c) {
    if (c >= 0 && c <= 9) bits |= static_cast<std::uint16_t>(1u << c);
  }
  void scan(const Value& v) {
    if (top) return;
    switch (v.kind()) {
      case Kind::Int: return add_int(v.int_unchecked());
      case Kind::Pair:  // its ints become colours through identity, color of a tuple, asobject, dmirror, ...
        add_int(v.point().i);
        return add_int(v.point().j);
      case Kind::Func: case Kind::None: return;
      case Kind::Float: {  // 3.0 == 3: a float cell can still equal a colour
        const double d = v.float_unchecked();
        if (d >= 0 && d <= 9 && d == static_cast<int>(d)) add_int(static_cast<int>(d));
        return;
      }
      case Kind::Cell: return add_int(v.cellv().c);
      case Kind::Triple: {
        const TripleV t = v.triplev();
        if (dialect == Dialect::ArcDsl) add_int(t.i), add_int(t.j);
        return add_int(t.c);
      }
      case Kind::TripleSet:
        if (v.triples().size() > budget) top = true;
        budget -= std::min(budget, v.triples().size());
        for (const TripleV& t : v.triples()) {
          if (dialect == Dialect::ArcDsl) add_int(t.i), add_int(t.j);
          add_int(t.c);
        }
        return;
      case Kind::Indices: top = true; return;
      case Kind::Object:
        if (v.cells().size() > budget) top = true;
        budget -= std::min(budget, v.cells().size());
        for (const CellV& c : v.cells()) add_int(c.c);
        return;
      case Kind::Grid:
        if (v.grid().cells.size() > budget) top = true;
        budget -= std::min(budget, v.grid().cells.size());
        for (Color c : v.grid().cells) add_int(c);
        return;
      case Kind::Tuple: case Kind::Set:
        if (v.items().size() > budget) top = true;
        budget -= std::min(budget, v.items().size());
        for (const Value& x : v.items()) scan(x);
        return;
    }
  }
};

}  // namespace

std::vector<program::NodeId> palette_sources(const program::Dag& dag, program::NodeId node,
                                             const DagPrimitives& primitives, std::uint16_t* extra) {
  std::vector<program::NodeId> out;
  std::uint16_t more = 0;
  add_palette_sources(dag, node, primitives, 0, out, more);
  if (extra) *extra |= more;
  // product(x, x) and the like reach one node twice: keep its first place
  for (std::size_t k = 0; k < out.size(); ++k)
    out.erase(std::remove(out.begin() + static_cast<std::ptrdiff_t>(k) + 1, out.end(), out[k]), out.end());
  return out;
}

std::optional<std::uint16_t> value_colours(const Value& v, Dialect dialect) {
  ColourScan scan;
  scan.dialect = dialect;
  scan.scan(v);
  if (scan.top) return std::nullopt;
  return scan.bits;
}

// The shape rule and colour step of a call node: its primitive's, or for one whose integer argument
// selects its op (tokpidjin's mir_rot_t: PrimitiveDef::device_select), the selected op's when that
// argument is a constant.
std::pair<ShapeRule, Op> step_of(const program::Dag& dag, program::NodeId node, const PrimitiveInfo& info,
                                 const DagPrimitives& prims) {
  const program::Node& n = dag.node(node);
  if (!info.device_select || n.args.size() != 2 || !prims.int_constant) return {info.shape, info.colour};
  const auto k = prims.int_constant(n.args[1]);
  if (!k) return {ShapeRule::None, Op::None};
  const DeviceSelection pick = info.device_select(*k);
  if (pick.identity) return {ShapeRule::SameAsFirst, Op::Identity};
  // the primitive of the dialect whose device body is the selected op says what it does to shapes
  // and colours (mir_rot_t's 1 is dmirror_t)
  for (const PrimitiveInfo& p : primitives())
    if (p.dialect == info.dialect && p.device == pick.op && p.colour != Op::None) return {p.shape, p.colour};
  return {ShapeRule::None, Op::None};
}

Witnesses find_witnesses(const program::Dag& dag, program::NodeId output, const DagPrimitives& primitives) {
  Witnesses found;
  // The colour chain's steps, output first, each as the rules bound its palette and as exact (the
  // painted objects themselves), with the node each step reads its grid from.
  std::vector<ColourStep> ruled, exact;
  std::vector<program::NodeId> below;
  bool chain_open = true, transposed = false;
  program::NodeId at = output;
  for (;;) {
    const PrimitiveInfo* info = called(primitives, at);
    if (!info) break;
    const auto [shape, colour] = step_of(dag, at, *info, primitives);
    if (shape == ShapeRule::None) break;
    const program::Node& n = dag.node(at);
    // every colour op has a shape rule, so the colour chain is a prefix of this walk
    const Op op = chain_open ? colour : Op::None;
    if (op != Op::None) {
      ColourStep step{op};
      switch (op) {
        case Op::Fill: step.a = n.args[1]; break;                                          // fill(grid, value, patch)
        case Op::Replace: case Op::Switch: step.a = n.args[1], step.b = n.args[2]; break;  // (grid, a, b)
        case Op::Cellwise: step.a = n.args[2]; break;                                      // cellwise(a, b, fallback)
        case Op::Paint: step.sources = palette_sources(dag, n.args[1], primitives, &step.extra); break;  // paint(grid, obj)
        default: break;
      }
      ColourStep own = step;
      if (op == Op::Paint) own.sources = {n.args[1]}, own.extra = 0;
      ruled.push_back(std::move(step));
      exact.push_back(std::move(own));
      below.push_back(n.args[0]);
    } else {
      chain_open = false;
    }
    transposed ^= shape == ShapeRule::TransposedOfFirst;
    at = n.args[0];
    found.shape.push_back({at, transposed});
  }
  // The whole chain proves most, from its base up; a cover in it only bounds the colour it writes,
  // so the chain cut above the first cover (based on the cover's own grid) is a second, later proof.
  std::size_t cut = ruled.size();
  for (std::size_t k = 0; k < exact.size(); ++k)
    if (exact[k].op == Op::Cover) {
      cut = k;
      break;
    }
  const auto add = [&](const std::vector<ColourStep>& steps, std::size_t n) {
    if (n == 0) return;
    ColourWitness w;
    w.dialect = primitives.dialect;
    w.steps.assign(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(n));
    w.base = below[n - 1];
    for (const ColourStep& s : w.steps) {
      for (program::NodeId x : {s.a, s.b})
        if (x != program::kNoNode) w.needs.push_back(x);
      w.needs.insert(w.needs.end(), s.sources.begin(), s.sources.end());
    }
    w.needs.push_back(w.base);
    for (const ColourWitness& other : found.colour)
      if (other.needs == w.needs && other.steps.size() == w.steps.size()) return;  // the same proof
    found.colour.push_back(std::move(w));
  };
  add(ruled, ruled.size());
  add(exact, exact.size());
  if (cut < exact.size()) add(exact, cut);
  return found;
}

bool may_equal(const ColourWitness& w, std::span<const Value> values, const Grid& expected) {
  const Value& base = values[w.base];
  if (base.kind() != Kind::Grid) return true;
  // The colours each step may write (Replace and Switch: their targets); no proof when one may
  // write anything.
  std::vector<Mask> writes(w.steps.size(), 0);
  for (std::size_t k = 0; k < w.steps.size(); ++k) {
    const ColourStep& s = w.steps[k];
    switch (s.op) {
      case Op::Fill: case Op::Cellwise: {  // the fill value or the fallback
        const int c = colour_of(values[s.a]);
        if (c >= 0) writes[k] = bit(c);  // else what it writes is never right
        break;
      }
      case Op::Paint: {  // any colour of the object's palette
        Mask palette = s.extra;
        for (program::NodeId src : s.sources) {
          const auto c = value_colours(values[src], w.dialect);
          if (!c) return true;
          palette |= *c;
        }
        writes[k] = palette;
        break;
      }
      case Op::Replace: case Op::Switch: {
        const int a = colour_of(values[s.a]), b = colour_of(values[s.b]);
        if (a < 0 || b < 0) return true;  // a cell of another value could map to a colour: no proof
        writes[k] = s.op == Op::Switch ? static_cast<Mask>(bit(a) | bit(b)) : bit(b);
        break;
      }
      default: break;  // mirrors and rotations only move colours; a cover writes one its grid holds
    }
  }
  // What the grid entering each step may hold: the base's colours and what the steps below wrote.
  std::vector<Mask> entering(w.steps.size());
  Mask held = 0;
  for (const Color c : base.grid().cells)
    if (c >= 0 && c <= 9) held |= bit(c);
  for (std::size_t k = w.steps.size(); k-- > 0;) {
    entering[k] = held;
    held |= writes[k];
  }

  // allowed[i * W + j]: what the current step's result may hold at (i, j) for the output to be right
  int H = expected.h, W = expected.w;
  std::vector<Mask> allowed(expected.cells.size()), next;
  for (std::size_t k = 0; k < allowed.size(); ++k) {
    const Color c = expected.cells[k];
    if (c < 0 || c > 9) return true;  // task files hold colours 0-9 only; anything else is not worth a proof
    allowed[k] = bit(c);
  }
  for (std::size_t k = 0; k < w.steps.size(); ++k) {
    const ColourStep& s = w.steps[k];
    switch (s.op) {
      case Op::Fill: case Op::Cellwise: case Op::Paint: case Op::Cover: {
        // the step writes a colour of its set at some cells and keeps the others; a cover's colour
        // (its grid's most common) is one of the colours the grid entering it may hold
        const Mask set = s.op == Op::Cover ? entering[k] : writes[k];
        for (Mask& m : allowed)
          if (m & set) m = kAny;
        break;
      }
      case Op::Replace: case Op::Switch: {
        const int a = colour_of(values[s.a]), b = colour_of(values[s.b]);
        if (a < 0 || b < 0) return true;  // a cell of another value could map to a colour: no proof
        for (Mask& m : allowed) {
          if (m & kAny) continue;
          // the step maps u to f(u); the argument may hold u when f(u) is allowed
          const Mask fa = has(m, b) ? bit(a) : 0;                                // f(a) = b
          const Mask fb = s.op == Op::Switch ? (has(m, a) ? bit(b) : 0) : 0;     // switch: f(b) = a
          const Mask kept = s.op == Op::Switch ? static_cast<Mask>(m & ~bit(a) & ~bit(b)) : static_cast<Mask>(m & ~bit(a));
          m = static_cast<Mask>(kept | fa | fb);
        }
        break;
      }
      default: {  // a mirror or rotation: the argument's cell (p, q) must suit where it lands
        const int h = transposes(s.op) ? W : H, wd = transposes(s.op) ? H : W;
        next.assign(allowed.size(), 0);
        for (int p = 0; p < h; ++p)
          for (int q = 0; q < wd; ++q) {
            const auto [i, j] = lands_at(s.op, p, q, h, wd);
            next[static_cast<std::size_t>(p) * wd + q] = allowed[static_cast<std::size_t>(i) * W + j];
          }
        allowed.swap(next);
        H = h, W = wd;
        break;
      }
    }
  }
  if (base.grid().h != H || base.grid().w != W) return true;  // shape is another proof's job
  const auto& cells = base.grid().cells;
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (!has(allowed[k], cells[k] >= 0 && cells[k] <= 9 ? cells[k] : -1)) return false;
  return true;
}

}  // namespace megabatch::cpu
