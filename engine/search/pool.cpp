#include "engine/search/pool.hpp"

#include <algorithm>
#include <set>

namespace megabatch::search {

void ParentPool::add(program::Program program, bool seed) {
  std::string name = program.name;
  programs_.insert_or_assign(std::move(name), Member{next_++, std::move(program), seed, 0});
}

void ParentPool::offer(const std::string& task, const std::string& name, std::int64_t score) {
  auto member = programs_.find(name);
  if (member == programs_.end() || score <= 0) return;
  member->second.best = std::max(member->second.best, score);
  auto& kept = tasks_[task];
  const Kept entry{score, member->second.order, name};
  auto better = [](const Kept& a, const Kept& b) { return a.score != b.score ? a.score > b.score : a.order < b.order; };
  if (kept.size() >= per_task_ && !better(entry, kept.back())) return;  // no better than all kept: refused
  kept.insert(std::upper_bound(kept.begin(), kept.end(), entry, better), entry);
  if (kept.size() > per_task_) kept.pop_back();
}

void ParentPool::prune() {
  std::set<std::string> kept;
  for (const auto& [task, list] : tasks_)
    for (const auto& k : list) kept.insert(k.name);
  for (auto it = programs_.begin(); it != programs_.end();)
    it = it->second.seed || kept.count(it->first) ? std::next(it) : programs_.erase(it);
}

std::vector<PoolEntry> ParentPool::entries() const {
  std::vector<const Member*> members;
  for (const auto& [name, m] : programs_) members.push_back(&m);
  std::sort(members.begin(), members.end(), [](const Member* a, const Member* b) { return a->order < b->order; });
  std::vector<PoolEntry> out;
  out.reserve(members.size());
  for (const Member* m : members) out.push_back({m->program, std::max<std::int64_t>(1, m->best)});
  return out;
}

}  // namespace megabatch::search
