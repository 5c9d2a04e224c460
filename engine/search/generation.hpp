// One generation's candidates: parents drawn from a pool by weight (a program's best demo score, as
// tokpidjin's card.py draws from solver_dir by score), each mutated (mutate.hpp), and a child whose
// structure was already evaluated (engine/program/fingerprint.hpp) never evaluated again.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/program/program.hpp"
#include "engine/search/mutate.hpp"

namespace megabatch::search {

struct PoolEntry {
  program::Program program;
  std::int64_t weight = 1;  // > 0
};

struct Generation {
  std::vector<program::Program> children;
  std::size_t duplicates = 0;  // children already seen, made again and dropped
};

// The structure fingerprint of a resolved program (what the result cache keys it by).
std::string fingerprint(const program::Program& p);

// `count` new children for generation `generation` of a search seeded `seed`: the same pool, seed and
// generation give the same children. `seen` (fingerprints) is read and extended.
Generation make_generation(const std::vector<PoolEntry>& pool, const std::map<Dialect, TypeInfo>& types,
                           std::uint64_t seed, std::uint64_t generation, std::size_t count, std::set<std::string>& seen,
                           const MutationOptions& options = {});

}  // namespace megabatch::search
