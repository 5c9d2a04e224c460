#include "engine/results/scoring.hpp"

namespace megabatch {

SubmissionScore score_submission(const Submission& submission, const Solutions& solutions) {
  SubmissionScore s;
  for (const auto& [id, outputs] : solutions) {
    ++s.tasks;
    bool all = !outputs.empty();
    auto it = submission.find(id);
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      ++s.test_outputs;
      const bool ok = it != submission.end() && k < it->second.size() &&
                      (it->second[k].attempt_1 == outputs[k] || it->second[k].attempt_2 == outputs[k]);
      s.correct_outputs += ok;
      all = all && ok;
    }
    s.per_task[id] = all;
    s.solved_tasks += all;
  }
  return s;
}

}  // namespace megabatch
