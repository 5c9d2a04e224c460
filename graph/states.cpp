#include "graph/states.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "engine/mix.hpp"

namespace megabatch::graph {

std::uint64_t state_term(std::uint32_t sample, std::uint64_t value_hash) {
  return splitmix64(splitmix64(value_hash) ^ (0x5bd1e995ULL * (sample + 1)));
}

std::vector<std::size_t> fold_states(std::span<const PairResult> pairs, std::span<const std::uint8_t> eligible,
                                     const std::function<std::size_t(std::uint32_t program)>& length) {
  using Key = std::pair<std::string, std::uint64_t>;  // train statuses, state
  std::vector<std::optional<Key>> keys(pairs.size());
  std::map<Key, std::size_t> groups;  // -> representative
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const PairResult& pr = pairs[k];
    if (!eligible[k] || pr.stateless) continue;
    std::string statuses;
    bool ran = false;
    for (SampleStatus s : pr.train) {
      statuses += static_cast<char>('0' + static_cast<int>(s));
      ran |= s != SampleStatus::Skipped;
    }
    if (!ran) continue;
    keys[k] = Key{std::move(statuses), pr.state};
    auto [it, fresh] = groups.try_emplace(*keys[k], k);
    if (!fresh && length(pr.program) < length(pairs[it->second].program)) it->second = k;
  }
  std::vector<std::size_t> rep(pairs.size());
  for (std::size_t k = 0; k < pairs.size(); ++k) rep[k] = keys[k] ? groups.at(*keys[k]) : k;
  return rep;
}

}  // namespace megabatch::graph
