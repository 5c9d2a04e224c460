// Kaggle's metric over a submission: a test output scores 1 when either attempt equals it, and a
// task counts as solved when all of its test outputs do.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "engine/task_io.hpp"

namespace megabatch {

struct SubmissionScore {
  std::size_t tasks = 0, solved_tasks = 0, test_outputs = 0, correct_outputs = 0;
  std::map<std::string, bool> per_task;  // every task of the solutions: all of its test outputs right
  // The mean over test outputs (a task or test input missing from the submission scores 0); 0 when none.
  double score() const {
    return test_outputs == 0 ? 0.0 : static_cast<double>(correct_outputs) / static_cast<double>(test_outputs);
  }
};

SubmissionScore score_submission(const Submission& submission, const Solutions& solutions);

}  // namespace megabatch
