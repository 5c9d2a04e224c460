// Task: one ARC task, its demonstration (train) pairs and its test pairs, as every loader returns it.
#pragma once
#include "engine/grid.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace megabatch {

// ARC's limits on the grids of a task file (the DSL may build larger ones while it runs).
inline constexpr int kMaxArcSide = 30;
inline constexpr Color kMaxArcColor = 9;

struct TrainPair {
  Grid input;
  Grid output;
  friend bool operator==(const TrainPair&, const TrainPair&) = default;
};

struct TestPair {
  Grid input;
  std::optional<Grid> output;  // absent in Kaggle challenges without their solutions file
  friend bool operator==(const TestPair&, const TestPair&) = default;
};

struct Task {
  std::string id;
  std::vector<TrainPair> train;
  std::vector<TestPair> test;

  bool has_test_outputs() const;  // true when every test pair has its output
  friend bool operator==(const Task&, const Task&) = default;
};

// The first problem with `g` as an ARC grid ("31 rows, at most 30"), or nothing when it is one.
std::optional<std::string> arc_grid_problem(const Grid& g);

// The md5 (hex) of a task's content: every train pair, every test input and each test output or its
// absence, in order. Not its id: a renamed task file is the same task to the result cache.
std::string task_fingerprint(const Task& task);

}  // namespace megabatch
