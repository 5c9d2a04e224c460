// Candidate generation by mutation, as tokpidjin's card.py does it: a child is its parent with one to
// a few changes, each drawn from what the parent's types allow - a variable argument swapped for an
// earlier variable of the same type, a primitive (called or passed) swapped for another with the same
// type hints, a rank constant (F0-F9, L1-L10) stepped by one, a colour constant rewritten. Domain code:
// no flow graph, no evaluation; the same generator state gives the same children on any machine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/program/program.hpp"

namespace megabatch::search {

// What the mutator knows of one dialect's names: the type hints of its primitives, the types of its
// parameters, and which constants are ranks and colours.
struct TypeInfo {
  struct Signature {
    std::vector<std::string> params;
    std::string returns;
  };
  std::map<std::string, Signature> primitives;
  std::map<std::string, std::string> params;  // "I" -> "Grid", ...
  std::vector<std::string> ranks_first;       // F0, F1, ... in order
  std::vector<std::string> ranks_last;        // L1, L2, ... in order
  std::vector<std::string> colours;           // the constants naming colours 0-9, in order
};

struct MutationOptions {
  int max_changes = 3;  // a child has 1 to max_changes changes
};

// A child of `parent` named `name`, or nothing when the parent has no place a change can go.
std::optional<program::Program> mutate(const program::Program& parent, const TypeInfo& types, std::mt19937_64& rng,
                                       const std::string& name, const MutationOptions& options = {});

}  // namespace megabatch::search
