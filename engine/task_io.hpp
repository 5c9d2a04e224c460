// ARC task files in and out: per-task `<id>.json` folders, Kaggle challenges/solutions files and submission.json.
// Loading is strict (see docs in README "Task files"); a bad file or task becomes one Rejection and loading goes on.
#pragma once
#include "engine/task.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace megabatch {

// A file or task the loaders refused.
struct Rejection {
  std::string file;     // as the caller named it
  std::string task;     // task id; empty when the whole file was refused
  std::string message;  // e.g. "train[2].output: row 3 has 5 cells, row 0 has 6"

  // One line: "FILE: MESSAGE", or "FILE: task ID: MESSAGE" when the id is not the file's own name.
  std::string line() const;
};

struct LoadResult {
  std::vector<Task> tasks;  // files in name order; within a Kaggle file, ids in sorted order
  std::vector<Rejection> rejections;
  std::size_t files = 0;  // JSON files read, solutions files included

  bool ok() const { return rejections.empty(); }
};

// A problem in one JSON value; what() is "WHERE: PROBLEM" with WHERE like "train[2].output" (or just PROBLEM).
class TaskFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Loads every task under `path`:
//  - a folder: each *.json in it (not recursive, by name), except *submission.json and *_solutions.json, which
//    only serve as the solutions of the *_challenges.json beside them;
//  - a file: a task file when its top-level object has "train" or "test", otherwise a Kaggle challenges file
//    (its solutions: `solutions`, else X_solutions.json beside X_challenges.json when present).
// Throws std::invalid_argument when `solutions` is given and `path` is not a Kaggle challenges file, and
// std::runtime_error when `path` does not exist; everything else is reported in the result.
LoadResult load_tasks(const std::filesystem::path& path,
                      const std::optional<std::filesystem::path>& solutions = std::nullopt);

// Parsers of in-memory JSON; they throw TaskFormatError. `where` prefixes messages ("train[2].output").
Grid grid_from_json(const nlohmann::json& j, std::string_view where = {});
Task task_from_json(std::string id, const nlohmann::json& j);

// JSON text as the ARC files have it: one line, "train" before "test".
nlohmann::ordered_json grid_to_json(const Grid& g);
nlohmann::ordered_json task_to_json(const Task& task, bool with_test_outputs = true);

// Test outputs by task id, in test order: the content of a Kaggle *_solutions.json.
using Solutions = std::map<std::string, std::vector<Grid>>;
// Two guesses per test input, as Kaggle's submission.json holds them.
struct Attempts {
  Grid attempt_1;
  Grid attempt_2;
  friend bool operator==(const Attempts&, const Attempts&) = default;
};
using Submission = std::map<std::string, std::vector<Attempts>>;

// Writers; they throw std::runtime_error naming the file when it cannot be written.
void write_task_file(const std::filesystem::path& file, const Task& task);
void write_challenges(const std::filesystem::path& file, const std::vector<Task>& tasks);  // test outputs left out
// Throws std::invalid_argument naming the task when a test output is unknown.
void write_solutions(const std::filesystem::path& file, const std::vector<Task>& tasks);
void write_submission(const std::filesystem::path& file, const Submission& submission);

// Strict readers of whole files; they throw TaskFormatError whose message names the file and the task.
Solutions read_solutions(const std::filesystem::path& file);
Submission read_submission(const std::filesystem::path& file);

// The known test outputs of `tasks` (tasks missing any are left out).
Solutions solutions_of(const std::vector<Task>& tasks);

}  // namespace megabatch
