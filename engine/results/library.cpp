#include "engine/results/library.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/md5.hpp"

namespace megabatch {

std::string library_folder(const std::string& task_id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string name = "solve_";
  for (const char ch : task_id) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      name += ch;
    } else {
      name += '%';
      name += kHex[c >> 4];
      name += kHex[c & 15];
    }
  }
  constexpr std::size_t kMaxName = 200, kKept = 160;  // NAME_MAX is 255 bytes on every filesystem we meet
  if (name.size() > kMaxName) {
    Md5 md5;
    md5.update(task_id);
    name = name.substr(0, kKept) + "~" + md5.hex_digest();
  }
  return name;
}

bool better_entry(const LibraryEntry& a, const LibraryEntry& b) {
  return std::make_tuple(-a.score, -a.t_log, a.md5) < std::make_tuple(-b.score, -b.t_log, b.md5);
}

LibraryPlan plan_library(const std::vector<LibraryEntry>& existing, const std::vector<LibraryEntry>& candidates,
                         std::size_t max_entries) {
  // One entry per md5: the best place any copy of it has.
  std::map<std::string, LibraryEntry> best;
  for (const auto* group : {&existing, &candidates})
    for (const LibraryEntry& e : *group) {
      auto [it, inserted] = best.try_emplace(e.md5, e);
      if (!inserted && better_entry(e, it->second)) it->second = e;
    }
  LibraryPlan plan;
  for (auto& [md5, e] : best) plan.kept.push_back(e);
  std::sort(plan.kept.begin(), plan.kept.end(), better_entry);
  if (plan.kept.size() > max_entries) plan.kept.resize(max_entries);
  const auto contains = [](const std::vector<LibraryEntry>& v, const LibraryEntry& e) {
    return std::find(v.begin(), v.end(), e) != v.end();
  };
  for (const LibraryEntry& e : plan.kept)
    if (!contains(existing, e)) plan.added.push_back(e);
  for (const LibraryEntry& e : existing)
    if (!contains(plan.kept, e) && !contains(plan.evicted, e)) plan.evicted.push_back(e);
  return plan;
}

}  // namespace megabatch
