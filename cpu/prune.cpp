#include "cpu/prune.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>

#include "cpu/dsl/registry.hpp"

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

// A node whose colours bound those of every f(s), s a member of `container`, when f is a closure
// node of a known form; `extra` gets a colour f may write besides. The node is the container itself
// or a colour (lbind(recolor, c)): `container` says which, since only a container's colours may be
// followed further back (rules such as combine's hold for containers, not for a colour: combine_f of
// two ints is their bitwise or).
struct Mapped {
  program::NodeId node;
  bool container;
};
std::optional<Mapped> mapped_colours(const program::Dag& dag, program::NodeId f, program::NodeId container,
                                     const DagPrimitives& prims, std::uint16_t& extra) {
  const program::Node& n = dag.node(f);
  const PrimitiveInfo* maker = called(prims, f);
  if (!maker) return std::nullopt;
  // fork(recolor, k, g)(s) = recolor(k(s), g(s)): k = color, mostcolor or leastcolor take a colour of
  // s; identity paints with s itself. A tokpidjin k that raises returns its default instead: 0.
  if (maker->builds == FuncKind::Fork && n.args.size() == 3 && recolours(named(prims, n.args[0]))) {
    const PrimitiveInfo* k = named(prims, n.args[1]);
    if (k && k->picks_colour) {
      if (k->safe == SafeDefault::Zero) extra |= 1u;
      return Mapped{container, true};
    }
  }
  // lbind(recolor, c)(p) = recolor(c, p)
  if (maker->builds == FuncKind::Lbind && n.args.size() == 2 && recolours(named(prims, n.args[0])))
    return Mapped{n.args[1], false};
  return std::nullopt;
}

void add_palette_sources(const program::Dag& dag, program::NodeId node, const DagPrimitives& prims, int depth,
                         std::vector<program::NodeId>& out, std::uint16_t& extra) {
  const PrimitiveInfo* p = called(prims, node);
  const program::Node& n = dag.node(node);
  const auto recurse = [&](program::NodeId x) { add_palette_sources(dag, x, prims, depth + 1, out, extra); };
  std::optional<program::NodeId> bound;  // else the node itself
  if (depth <= 8 && p) {
    switch (p->palette) {
      case PaletteRule::Itself: break;
      case PaletteRule::OfArg0: bound = n.args[0]; break;
      case PaletteRule::OfArg1: bound = n.args[1]; break;
      // a container of the results: its colours are theirs, as the merge of them
      case PaletteRule::Applied: case PaletteRule::MapOver:
        if (const auto m = mapped_colours(dag, n.args[0], n.args[1], prims, extra)) {
          if (m->container) return recurse(m->node);
          bound = m->node;
        }
        break;
      case PaletteRule::Merge: case PaletteRule::Keeps0: return recurse(n.args[0]);
      case PaletteRule::Keeps01:
        recurse(n.args[0]);
        return recurse(n.args[1]);
    }
  }
  out.push_back(bound.value_or(node));
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

Witnesses find_witnesses(const program::Dag& dag, program::NodeId output, const DagPrimitives& primitives) {
  Witnesses found;
  ColourWitness chain, exact;  // the palette's sources by the rules, and the painted objects themselves
  chain.dialect = exact.dialect = primitives.dialect;
  bool chain_open = true, transposed = false;
  program::NodeId at = output;
  for (;;) {
    const PrimitiveInfo* info = called(primitives, at);
    if (!info || info->shape == ShapeRule::None) break;
    const program::Node& n = dag.node(at);
    // every colour op has a shape rule, so the colour chain is a prefix of this walk
    const Op op = chain_open ? info->colour : Op::None;
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
      for (auto [w, s] : {std::pair{&chain, &step}, std::pair{&exact, &own}}) {
        for (program::NodeId x : {s->a, s->b})
          if (x != program::kNoNode) w->needs.push_back(x);
        w->needs.insert(w->needs.end(), s->sources.begin(), s->sources.end());
        w->steps.push_back(std::move(*s));
      }
    } else if (chain_open) {
      chain_open = false;
      chain.base = at;
    }
    transposed ^= info->shape == ShapeRule::TransposedOfFirst;
    at = n.args[0];
    found.shape.push_back({at, transposed});
  }
  if (chain_open) chain.base = at;
  if (!chain.steps.empty()) {
    exact.base = chain.base;
    chain.needs.push_back(chain.base);
    exact.needs.push_back(exact.base);
    const bool same = chain.needs == exact.needs;
    found.colour.push_back(std::move(chain));
    if (!same) found.colour.push_back(std::move(exact));
  }
  return found;
}

bool may_equal(const ColourWitness& w, std::span<const Value> values, const Grid& expected) {
  // allowed[i * W + j]: what the current step's result may hold at (i, j) for the output to be right
  int H = expected.h, W = expected.w;
  std::vector<Mask> allowed(expected.cells.size()), next;
  for (std::size_t k = 0; k < allowed.size(); ++k) {
    const Color c = expected.cells[k];
    if (c < 0 || c > 9) return true;  // task files hold colours 0-9 only; anything else is not worth a proof
    allowed[k] = bit(c);
  }
  for (const ColourStep& s : w.steps) {
    switch (s.op) {
      case Op::Fill: case Op::Cellwise: {
        // the step writes c (the fill value or the fallback) at some cells and keeps the others
        const int c = colour_of(values[s.a]);
        if (c < 0) break;  // what it writes is never right: every cell must already be
        for (Mask& m : allowed)
          if (has(m, c)) m = kAny;
        break;
      }
      case Op::Paint: {
        // the object writes colours from its palette at some cells and leaves the others
        Mask palette = s.extra;
        for (program::NodeId src : s.sources) {
          const auto c = value_colours(values[src], w.dialect);
          if (!c) return true;  // any colour: nothing below can be proven
          palette |= *c;
        }
        for (Mask& m : allowed)
          if (m & palette) m = kAny;
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
  const Value& base = values[w.base];
  if (base.kind() != Kind::Grid || base.grid().h != H || base.grid().w != W) return true;  // shape is another proof's job
  const auto& cells = base.grid().cells;
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (!has(allowed[k], cells[k] >= 0 && cells[k] <= 9 ? cells[k] : -1)) return false;
  return true;
}

}  // namespace megabatch::cpu
