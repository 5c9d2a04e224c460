// `megabatch score --submission FILE --solutions FILE`: Kaggle's metric for any submission.json against a
// *_solutions.json (score.json's fields, printed; nothing is written).
#include <charconv>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "engine/results/scoring.hpp"
#include "engine/task_io.hpp"

namespace megabatch::app {
namespace {

struct ScoreOptions {
  std::string submission;
  std::string solutions;
};

int score_command(const ScoreOptions& o) {
  Submission submission;
  Solutions solutions;
  // One line per unreadable or malformed file; the readers' messages name the file (and the task).
  try {
    submission = read_submission(o.submission);
    solutions = read_solutions(o.solutions);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "score: %s\n", e.what());
    return kExitFailure;
  }
  const SubmissionScore s = score_submission(submission, solutions);
  const double score = s.score();
  std::printf("tasks %zu\n", s.tasks);
  std::printf("solved_tasks %zu\n", s.solved_tasks);
  std::printf("test_outputs %zu\n", s.test_outputs);
  std::printf("correct_outputs %zu\n", s.correct_outputs);
  // Shortest round-trip digits, as score.json (nlohmann::json) writes the same double.
  char digits[32];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, score);
  std::printf("score %.*s\n", static_cast<int>(end - digits), digits);
  return kExitOk;
}

const Registrar score_registrar("score", 45, [](CLI::App& app, const GlobalOptions&) {
  auto o = std::make_shared<ScoreOptions>();
  auto* sub =
      app.add_subcommand("score", "Score a submission.json against a *_solutions.json (prints, writes nothing)");
  sub->add_option("--submission", o->submission, "submission.json: per task a list of {attempt_1, attempt_2}")
      ->required();
  sub->add_option("--solutions", o->solutions, "*_solutions.json: per task the list of test outputs")->required();
  return std::function<int()>([o] { return score_command(*o); });
});

}  // namespace
}  // namespace megabatch::app
