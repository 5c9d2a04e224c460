// Task helpers.
#include "engine/task.hpp"

#include <algorithm>

#include "engine/md5.hpp"

namespace megabatch {

bool Task::has_test_outputs() const {
  return std::all_of(test.begin(), test.end(), [](const TestPair& p) { return p.output.has_value(); });
}

std::optional<std::string> arc_grid_problem(const Grid& g) {
  if (g.empty()) return "empty grid";
  if (g.h > kMaxArcSide) return std::to_string(g.h) + " rows, at most " + std::to_string(kMaxArcSide) + " allowed";
  if (g.w > kMaxArcSide)
    return "rows of " + std::to_string(g.w) + " cells, at most " + std::to_string(kMaxArcSide) + " allowed";
  for (int i = 0; i < g.h; ++i)
    for (int j = 0; j < g.w; ++j)
      if (Color c = g.at(i, j); c < 0 || c > kMaxArcColor)
        return "row " + std::to_string(i) + ", column " + std::to_string(j) + ": " + std::to_string(c) +
               " is outside 0-9";
  return std::nullopt;
}

namespace {

void hash_grid(Md5& h, const Grid& g) {
  std::string text = std::to_string(g.h) + 'x' + std::to_string(g.w) + ':';
  for (Color c : g.cells) text += std::to_string(c) + ',';
  h.update(text);
  h.update(";");
}

}  // namespace

std::string task_fingerprint(const Task& task) {
  Md5 h;
  h.update("task/1 train " + std::to_string(task.train.size()) + ";");
  for (const auto& p : task.train) hash_grid(h, p.input), hash_grid(h, p.output);
  h.update("test " + std::to_string(task.test.size()) + ";");
  for (const auto& p : task.test) {
    hash_grid(h, p.input);
    if (p.output) hash_grid(h, *p.output);
    else h.update("unknown;");
  }
  return h.hex_digest();
}

}  // namespace megabatch
