#include "cpu/prune.hpp"

#include <cstdint>
#include <string_view>
#include <utility>

namespace megabatch::cpu {

namespace {

using Op = ColourStep::Op;
using Mask = std::uint16_t;
constexpr Mask kAny = 1u << 15;  // the cell may hold anything: a later step can still write it

// A colour argument as a cell value it could write: 0-9, or -1 for anything no expected cell
// holds (other ints, tuples, functions: never equal to a colour 0-9). Bools are ints, as in Python.
int colour_of(const Value& v) {
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

std::optional<ColourStep::Op> colour_op(std::string_view name) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"fill", Op::Fill},       {"underfill", Op::Fill},  {"replace", Op::Replace}, {"switch", Op::Switch},
      {"cellwise", Op::Cellwise}, {"hmirror", Op::Hmirror}, {"vmirror", Op::Vmirror}, {"rot180", Op::Rot180},
      {"rot90", Op::Rot90},     {"rot270", Op::Rot270},   {"dmirror", Op::Dmirror}, {"cmirror", Op::Cmirror}};
  for (const auto& [n, op] : kOps)
    if (n == name) return op;
  return std::nullopt;
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
