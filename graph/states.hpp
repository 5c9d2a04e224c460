// State dedupe (icecuber's state hashing, at the level of whole candidates): on one task, candidates
// whose outputs agree on every demo input the run evaluated them on are one state. Only the shortest of
// a state is reported (and, in waves mode, run on the test inputs); the others are folded into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "graph/engine.hpp"

namespace megabatch::graph {

// One demo output's contribution to a pair's state: its sample and its value's hash (never 0).
// Contributions are summed, so the state does not depend on the order in which samples come back.
std::uint64_t state_term(std::uint32_t sample, std::uint64_t value_hash);

// Groups the eligible pairs by (train statuses, state); a pair that is `stateless` (a demo ended in an
// error, a budget stop or a pruned step: no value there) or ran no demo is its own group. Returns, per
// pair, the index of its group's representative (itself when it is one): the program with the fewest
// statements (`length`), then the earliest pair. Ineligible pairs map to themselves.
std::vector<std::size_t> fold_states(std::span<const PairResult> pairs, std::span<const std::uint8_t> eligible,
                                     const std::function<std::size_t(std::uint32_t program)>& length);

}  // namespace megabatch::graph
