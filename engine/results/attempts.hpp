// Which two grids a submission offers for one test input: of the predictions of the programs that
// passed every demo, the two most frequent distinct grids; ties go to the shorter program (its
// inlined text), then to the grid whose JSON text sorts first. [[0]] stands in where there is none.
#pragma once

#include <cstdint>
#include <span>

#include "engine/grid.hpp"
#include "engine/task_io.hpp"

namespace megabatch {

struct Prediction {
  const Grid* grid;             // a passing program's output for the test input
  std::uint64_t program_chars;  // the length of that program's inlined text
};

Attempts rank_attempts(std::span<const Prediction> predictions);

}  // namespace megabatch
