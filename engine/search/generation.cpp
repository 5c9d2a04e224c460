#include "engine/search/generation.hpp"

#include <random>

#include "engine/program/dag.hpp"
#include "engine/program/fingerprint.hpp"

namespace megabatch::search {

std::string fingerprint(const program::Program& p) {
  program::Dag dag;
  dag.add(p);
  return program::program_fingerprint(dag, 0);
}

Generation make_generation(const std::vector<PoolEntry>& pool, const std::map<Dialect, TypeInfo>& types,
                           std::uint64_t seed, std::uint64_t generation, std::size_t count, std::set<std::string>& seen,
                           const MutationOptions& options) {
  Generation g;
  if (pool.empty() || count == 0) return g;
  // One generator per (seed, generation): a resumed search makes exactly the children it would have.
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(generation), static_cast<std::uint32_t>(generation >> 32)};
  std::mt19937_64 rng(seq);
  std::vector<double> weights;
  for (const auto& e : pool) weights.push_back(static_cast<double>(std::max<std::int64_t>(1, e.weight)));
  std::discrete_distribution<std::size_t> parent(weights.begin(), weights.end());
  const std::size_t attempts = 20 * count;
  for (std::size_t a = 0; a < attempts && g.children.size() < count; ++a) {
    const program::Program& p = pool[parent(rng)].program;
    auto it = types.find(p.dialect);
    if (it == types.end()) continue;
    const std::string name = "solve_g" + std::to_string(generation) + "_" + std::to_string(g.children.size());
    auto child = mutate(p, it->second, rng, name, options);
    if (!child) continue;
    std::string fp;
    try {
      fp = fingerprint(*child);
    } catch (const std::exception&) {
      continue;  // a change the DAG refuses: not a candidate
    }
    if (!seen.insert(fp).second) {
      ++g.duplicates;
      continue;
    }
    g.children.push_back(std::move(*child));
  }
  return g;
}

}  // namespace megabatch::search
