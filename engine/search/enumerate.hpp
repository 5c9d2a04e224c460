// Candidate generation by enumeration, as icecuber's search does it: every composition of up to `depth`
// grid operations over the input, each operation drawn from a set of primitives whose type hints take
// grids and integers and give a grid, its integer arguments drawn from constants and from integer
// features of the input (mostcolor(I), height(I), ...), its further grid arguments from the input and
// the earlier steps. Programs are written as solver source in a fixed order, so the same options give
// the same programs; run together, the one DAG shares their common prefixes. Domain code: no evaluation.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/search/mutate.hpp"

namespace megabatch::search {

struct EnumerationOptions {
  int depth = 2;                        // grid operations a program chains, 1 or more
  std::vector<std::string> primitives;  // empty: every primitive of the dialect whose hints fit (below)
  std::vector<std::string> integers;    // constants for Integer arguments; empty: the colour constants
  std::size_t max_programs = 100'000;   // enumeration stops there (shallow programs first)
  bool tokpidjin = false;               // write `def solve_x(S, I, C):` instead of `def solve_x(I):`
};

// The enumerated programs as one solver file's text (one function each, named solve_e<depth>_<n>),
// and how many there are. Grid-valued hints are Grid, Piece and Element; integer-valued, Integer.
struct Enumeration {
  std::string source;
  std::size_t programs = 0;
  std::vector<std::string> operations;  // the primitives used as grid operations
  std::vector<std::string> features;    // the primitives used as integer features of I
};

Enumeration enumerate_programs(const TypeInfo& types, const EnumerationOptions& options);

}  // namespace megabatch::search
