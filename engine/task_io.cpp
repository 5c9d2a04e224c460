// ARC task loaders, writers and the Kaggle scorer (formats in task_io.hpp and README "Task files").
#include "engine/task_io.hpp"

#include "engine/input_files.hpp"
#include "engine/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace megabatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kChallengesSuffix = "_challenges.json";
constexpr std::string_view kSolutionsSuffix = "_solutions.json";
constexpr std::string_view kSubmissionSuffix = "submission.json";
constexpr int kMaxJsonDepth = 16;

[[noreturn]] void fail(std::string_view where, const std::string& problem) {
  throw TaskFormatError(where.empty() ? problem : std::string(where) + ": " + problem);
}

std::string index_where(std::string_view where, std::size_t i) {
  return std::string(where) + "[" + std::to_string(i) + "]";
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text << '\n';
  out.close();
  if (!out) throw std::runtime_error(file.string() + ": cannot write: " + std::strerror(errno));
}

// A key met twice in one JSON object: nlohmann keeps one silently, so the parse callback records it instead.
struct Duplicate {
  int depth;  // 1 = a key of the top-level object
  std::string key;
  std::string top_key;  // the top-level key it sits under (the task id in Kaggle files)
};

struct ParsedJson {
  json value;
  std::vector<Duplicate> duplicates;  // the first occurrence of each key is kept, later ones are dropped
};

// Throws TaskFormatError("malformed JSON: ...") with nlohmann's line and column.
ParsedJson parse_json(const std::string& text) {
  ParsedJson out;
  std::vector<std::set<std::string>> keys;  // keys of the object open at each depth
  std::string top_key;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    auto d = static_cast<std::size_t>(depth);
    // A Kaggle file nests 5 deep (ids, task, pairs, grid, rows); far deeper is no ARC file, and values
    // nested 100,000 deep would take recursive code elsewhere (printing, comparing) down with them.
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth)
      throw TaskFormatError("malformed JSON: nested deeper than " + std::to_string(kMaxJsonDepth) +
                            " levels (an ARC file nests at most 5)");
    if (event == json::parse_event_t::object_start) {
      // Objects at one depth never overlap, so clearing at the start is enough (end events skip dropped values).
      if (keys.size() < d + 2) keys.resize(d + 2);
      keys[d + 1].clear();
    } else if (event == json::parse_event_t::key) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (depth == 1) top_key = key;
      if (!keys[d].insert(key).second) {
        out.duplicates.push_back({depth, key, top_key});
        return false;
      }
    }
    return true;
  };
  try {
    out.value = json::parse(text, callback);
  } catch (const json::parse_error& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: users need the line and column, not the id.
    std::string what = e.what();
    if (auto pos = what.find("] "); what.starts_with("[json.exception") && pos != std::string::npos)
      what = what.substr(pos + 2);
    throw TaskFormatError("malformed JSON: " + printable(what, 300));
  }
  return out;
}

std::string quote_key(std::string_view key) {
  // Appends rather than `"\"" + key + "\""`, which trips GCC 12's false -Wrestrict at -O3.
  std::string out(1, '"');
  out.append(key);
  out.push_back('"');
  return out;
}

const json& member(const json& object, std::string_view key, std::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) fail(where, "missing " + quote_key(key));
  return *it;
}

const json& nonempty_list(const json& object, std::string_view key, std::string_view what) {
  const json& list = member(object, key, {});
  if (!list.is_array())
    fail({}, quote_key(key) + " is not a list of " + std::string(what) + " but " + list.type_name());
  if (list.empty()) fail({}, quote_key(key) + " has no " + std::string(what));
  return list;
}

// The test outputs of one task in a solutions file: a list of grids, one per test input.
std::vector<Grid> outputs_from_json(const json& j) {
  if (!j.is_array()) fail({}, std::string("expected a list of output grids, got ") + j.type_name());
  std::vector<Grid> outputs;
  for (std::size_t k = 0; k < j.size(); ++k) outputs.push_back(grid_from_json(j[k], index_where({}, k)));
  return outputs;
}

void attach_outputs(Task& task, std::vector<Grid> outputs) {
  if (outputs.size() != task.test.size())
    fail({},
         std::to_string(outputs.size()) + " output grid(s) for " + std::to_string(task.test.size()) + " test input(s)");
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    auto& slot = task.test[k].output;
    if (slot && *slot != outputs[k])
      fail(index_where({}, k), "differs from test[" + std::to_string(k) + "].output of the challenges file");
    slot = std::move(outputs[k]);
  }
}

// A task file has "train" and "test"; a Kaggle file maps ids to such objects. A file with neither key
// and no object among its values ({"trian": [...], "tset": [...]}) is a task file with its keys
// misspelled, and is reported as one, not as a Kaggle file of bad tasks; a file named
// *_challenges.json, or with any object among its values, is a Kaggle file (a bad entry costs itself).
bool looks_like_task(const json& j, bool named_as_challenges) {
  if (j.empty() || j.contains("train") || j.contains("test")) return true;
  if (named_as_challenges) return false;
  return std::none_of(j.begin(), j.end(), [](const json& v) { return v.is_object(); });
}

bool ends_with(const fs::path& p, std::string_view suffix) { return p.filename().string().ends_with(suffix); }

// X_challenges.json <-> X_solutions.json beside it; `file` must end with `from`.
fs::path sibling(const fs::path& file, std::string_view from, std::string_view to) {
  std::string base = file.filename().string();
  return file.parent_path() / (base.substr(0, base.size() - from.size()) + std::string(to));
}

// Loads files into one LoadResult, keeping the first task of each id.
class Loader {
 public:
  explicit Loader(LoadResult& out) : out_(out) {}

  void load_file(const fs::path& file, std::optional<fs::path> solutions) {
    const std::string name = file.string();
    ++out_.files;
    ParsedJson parsed;
    try {
      parsed = parse_json(read_input_file(file));
    } catch (const std::exception& e) {
      reject(name, {}, e.what());
      return;
    }
    if (!parsed.value.is_object()) {
      reject(name, {},
             std::string("expected a JSON object (a task, or task ids to tasks), got ") + parsed.value.type_name());
      return;
    }
    if (looks_like_task(parsed.value, ends_with(file, kChallengesSuffix))) {
      if (solutions)
        throw std::invalid_argument(name +
                                    " is a single task file; a solutions file goes with a Kaggle "
                                    "*_challenges.json file");
      load_task(name, file.stem().string(), parsed);
      return;
    }
    if (!solutions && ends_with(file, kChallengesSuffix)) {
      fs::path beside = sibling(file, kChallengesSuffix, kSolutionsSuffix);
      if (fs::is_regular_file(beside)) solutions = beside;
    }
    load_kaggle(name, parsed, solutions);
  }

  void reject(const std::string& file, const std::string& task, const std::string& message) {
    out_.rejections.push_back({file, task, message});
  }

 private:
  void add(Task task, const std::string& file) {
    auto [it, fresh] = first_file_.emplace(task.id, file);
    if (!fresh) {
      reject(file, task.id,
             it->second == file ? "duplicate task id" : "duplicate task id, first loaded from " + it->second);
      return;
    }
    out_.tasks.push_back(std::move(task));
  }

  void load_task(const std::string& name, const std::string& id, const ParsedJson& parsed) {
    if (!parsed.duplicates.empty()) {
      reject(name, id, "duplicate key " + quote_key(parsed.duplicates.front().key));
      return;
    }
    try {
      add(task_from_json(id, parsed.value), name);
    } catch (const TaskFormatError& e) {
      reject(name, id, e.what());
    }
  }

  void load_kaggle(const std::string& name, const ParsedJson& challenges, const std::optional<fs::path>& sol_file) {
    std::map<std::string, std::string> bad;  // task id -> why it is refused before parsing
    for (const auto& dup : challenges.duplicates) {
      if (dup.depth == 1)
        reject(name, dup.key, "duplicate task id; only its first entry is loaded");
      else
        bad.emplace(dup.top_key, "duplicate key " + quote_key(dup.key));
    }

    std::optional<json> solutions;
    std::string sol_name;
    if (sol_file) {
      sol_name = sol_file->string();
      spdlog::debug("{}: solutions from {}", name, sol_name);
      ++out_.files;
      try {
        ParsedJson parsed = parse_json(read_input_file(*sol_file));
        if (!parsed.value.is_object())
          fail({}, std::string("expected an object of task ids to output grids, got ") + parsed.value.type_name());
        for (const auto& dup : parsed.duplicates) {
          if (dup.depth == 1)
            reject(sol_name, dup.key, "duplicate task id; only its first entry is used");
          else
            bad.emplace(dup.top_key, "duplicate key " + quote_key(dup.key) + " in " + sol_name);
        }
        solutions = std::move(parsed.value);
      } catch (const std::exception& e) {
        // The challenges still load, without outputs; the rejection says why.
        reject(sol_name, {}, e.what());
      }
    }

    for (const auto& [id, value] : challenges.value.items()) {
      if (auto it = bad.find(id); it != bad.end()) {
        reject(name, id, it->second);
        continue;
      }
      Task task;
      try {
        task = task_from_json(id, value);
      } catch (const TaskFormatError& e) {
        reject(name, id, e.what());
        continue;
      }
      if (solutions) {
        auto it = solutions->find(id);
        if (it == solutions->end()) {
          reject(sol_name, id, "no entry for this task");
          continue;
        }
        try {
          attach_outputs(task, outputs_from_json(*it));
        } catch (const TaskFormatError& e) {
          reject(sol_name, id, e.what());
          continue;
        }
      }
      add(std::move(task), name);
    }
    if (solutions)
      for (const auto& [id, value] : solutions->items())
        if (!challenges.value.contains(id)) reject(sol_name, id, "no such task in " + name);
  }

  LoadResult& out_;
  std::map<std::string, std::string> first_file_;  // task id -> file it was loaded from
};

}  // namespace

std::string Rejection::line() const {
  // Names and messages come from input: escaped and cut, so that one rejection is one short line.
  const std::string where = printable(file, 300);
  if (task.empty() || task == fs::path(file).stem().string()) return where + ": " + printable(message, 500);
  return where + ": task " + printable(task, 100) + ": " + printable(message, 500);
}

// A JSON value as a rejection quotes it: scalars as JSON, cut short; containers by kind and size
// (a bad cell can be a 10 MB string or a list nested thousands deep).
std::string brief(const json& j) {
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    return json(text.substr(0, 40)).dump() + (text.size() > 40 ? " (a string of " + std::to_string(text.size()) + " bytes)" : "");
  }
  if (j.is_array()) return "a list of " + std::to_string(j.size());
  if (j.is_object()) return "an object of " + std::to_string(j.size()) + " keys";
  return printable(j.dump(), 40);
}

Grid grid_from_json(const json& j, std::string_view where) {
  if (!j.is_array()) fail(where, std::string("expected a list of rows, got ") + j.type_name());
  if (j.empty()) fail(where, "empty grid (no rows)");
  if (j.size() > static_cast<std::size_t>(kMaxArcSide))
    fail(where, std::to_string(j.size()) + " rows, at most " + std::to_string(kMaxArcSide) + " allowed");
  Grid g;
  g.h = static_cast<int>(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& row = j[i];
    const std::string at_row = "row " + std::to_string(i);
    if (!row.is_array()) fail(where, at_row + " is not a list but " + row.type_name());
    if (i == 0) {
      if (row.empty()) fail(where, "row 0 is empty");
      if (row.size() > static_cast<std::size_t>(kMaxArcSide))
        fail(where,
             "row 0 has " + std::to_string(row.size()) + " cells, at most " + std::to_string(kMaxArcSide) + " allowed");
      g.w = static_cast<int>(row.size());
      g.cells.reserve(static_cast<std::size_t>(g.h) * g.w);
    } else if (row.size() != static_cast<std::size_t>(g.w)) {
      fail(where, at_row + " has " + std::to_string(row.size()) + " cells, row 0 has " + std::to_string(g.w));
    }
    for (std::size_t c = 0; c < row.size(); ++c) {
      const json& cell = row[c];
      // is_number_integer is false for 1.0 and for booleans, which JSON would otherwise let through.
      if (!cell.is_number_integer())
        fail(where, at_row + ", column " + std::to_string(c) + ": " + brief(cell) + " is not an integer");
      bool in_range = cell.is_number_unsigned()
                          ? cell.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxArcColor)
                          : cell.get<std::int64_t>() >= 0 && cell.get<std::int64_t>() <= kMaxArcColor;
      if (!in_range) fail(where, at_row + ", column " + std::to_string(c) + ": " + brief(cell) + " is outside 0-9");
      g.cells.push_back(cell.get<Color>());
    }
  }
  return g;
}

Task task_from_json(std::string id, const json& j) {
  if (!j.is_object()) fail({}, std::string("expected an object with \"train\" and \"test\", got ") + j.type_name());
  for (const char* key : {"train", "test"})
    if (!j.contains(key)) {
      // Keys a task does not have are most likely the missing ones misspelled: name them.
      std::string unknown;
      for (const auto& [k, v] : j.items()) {
        if (k == "train" || k == "test") continue;
        if (unknown.size() > 80) {
          unknown += ", ...";
          break;
        }
        unknown += (unknown.empty() ? "" : ", ") + quote_key(printable(k, 40));
      }
      fail({}, "missing " + quote_key(key) +
                   (unknown.empty() ? std::string() : " (a task has \"train\" and \"test\"; this one has " + unknown + ")"));
    }
  Task task;
  task.id = std::move(id);
  const json& train = nonempty_list(j, "train", "pairs");
  for (std::size_t k = 0; k < train.size(); ++k) {
    const std::string where = index_where("train", k);
    const json& pair = train[k];
    if (!pair.is_object())
      fail(where, std::string("expected an object with \"input\" and \"output\", got ") + pair.type_name());
    task.train.push_back({grid_from_json(member(pair, "input", where), where + ".input"),
                          grid_from_json(member(pair, "output", where), where + ".output")});
  }
  const json& test = nonempty_list(j, "test", "inputs");
  for (std::size_t k = 0; k < test.size(); ++k) {
    const std::string where = index_where("test", k);
    const json& pair = test[k];
    if (!pair.is_object()) fail(where, std::string("expected an object with \"input\", got ") + pair.type_name());
    TestPair p{grid_from_json(member(pair, "input", where), where + ".input"), std::nullopt};
    if (auto it = pair.find("output"); it != pair.end()) p.output = grid_from_json(*it, where + ".output");
    task.test.push_back(std::move(p));
  }
  return task;
}

LoadResult load_tasks(const fs::path& path, const std::optional<fs::path>& solutions) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !fs::is_symlink(fs::symlink_status(path, ec)))
    throw std::runtime_error(path.string() + ": no such file or folder");
  LoadResult out;
  Loader loader(out);
  if (!fs::is_directory(path, ec)) {
    // A FIFO would block and a device never end: only a regular file is read.
    if (std::string why = not_a_regular_file(path); !why.empty())
      throw std::runtime_error(printable(path.string()) + ": " + why + ", not a task file or folder");
    loader.load_file(path, solutions);
    return out;
  }
  if (solutions)
    throw std::invalid_argument("a solutions file goes with a Kaggle *_challenges.json file, not with the folder " +
                                path.string());
  FolderListing listing = list_input_files(path, ".json", false);
  for (const auto& problem : listing.problems) loader.reject(problem.path.string(), {}, problem.reason);
  for (const auto& file : listing.files) {
    if (ends_with(file, kSubmissionSuffix)) continue;
    // megabatch's own bookkeeping beside task files (synth's manifest, a run's metrics and score).
    const std::string leaf = file.filename().string();
    if (leaf == "manifest.json" || leaf == "metrics.json" || leaf == "score.json") continue;
    if (ends_with(file, kSolutionsSuffix)) {
      fs::path challenges = sibling(file, kSolutionsSuffix, kChallengesSuffix);
      if (!fs::is_regular_file(challenges))
        loader.reject(file.string(), {}, "solutions file without " + challenges.filename().string() + " beside it");
      continue;
    }
    loader.load_file(file, std::nullopt);
  }
  return out;
}

nlohmann::ordered_json grid_to_json(const Grid& g) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int i = 0; i < g.h; ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (int c = 0; c < g.w; ++c) row.push_back(g.at(i, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::ordered_json task_to_json(const Task& task, bool with_test_outputs) {
  nlohmann::ordered_json train = nlohmann::ordered_json::array(), test = nlohmann::ordered_json::array();
  for (const auto& p : task.train)
    train.push_back({{"input", grid_to_json(p.input)}, {"output", grid_to_json(p.output)}});
  for (const auto& p : task.test) {
    nlohmann::ordered_json pair = {{"input", grid_to_json(p.input)}};
    if (with_test_outputs && p.output) pair["output"] = grid_to_json(*p.output);
    test.push_back(std::move(pair));
  }
  return {{"train", std::move(train)}, {"test", std::move(test)}};
}

void write_task_file(const fs::path& file, const Task& task) { write_text(file, task_to_json(task).dump()); }

void write_challenges(const fs::path& file, const std::vector<Task>& tasks) {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const auto& task : tasks) all[task.id] = task_to_json(task, false);
  write_text(file, all.dump());
}

void write_solutions(const fs::path& file, const std::vector<Task>& tasks) {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const auto& task : tasks) {
    if (!task.has_test_outputs())
      throw std::invalid_argument(file.string() + ": task " + task.id + " has a test input without its output");
    nlohmann::ordered_json outputs = nlohmann::ordered_json::array();
    for (const auto& p : task.test) outputs.push_back(grid_to_json(*p.output));
    all[task.id] = std::move(outputs);
  }
  write_text(file, all.dump());
}

void write_submission(const fs::path& file, const Submission& submission) {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const auto& [id, attempts] : submission) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& a : attempts)
      list.push_back({{"attempt_1", grid_to_json(a.attempt_1)}, {"attempt_2", grid_to_json(a.attempt_2)}});
    all[id] = std::move(list);
  }
  write_text(file, all.dump());
}

namespace {
// Reads a top-level object of task ids and hands each entry to `entry`; errors name the file and the task.
template <class Entry>
void read_keyed_file(const fs::path& file, Entry entry) {
  const std::string name = file.string();
  ParsedJson parsed;
  try {
    parsed = parse_json(read_input_file(file));
    if (!parsed.value.is_object())
      fail({}, std::string("expected an object of task ids, got ") + parsed.value.type_name());
  } catch (const std::exception& e) {
    throw TaskFormatError(printable(name, 300) + ": " + e.what());
  }
  if (!parsed.duplicates.empty()) {
    const auto& dup = parsed.duplicates.front();
    throw TaskFormatError(printable(name, 300) + ": task " + printable(dup.top_key, 100) + ": " +
                          (dup.depth == 1 ? "duplicate task id" : "duplicate key " + quote_key(dup.key)));
  }
  for (const auto& [id, value] : parsed.value.items()) {
    try {
      entry(id, value);
    } catch (const TaskFormatError& e) {
      throw TaskFormatError(printable(name, 300) + ": task " + printable(id, 100) + ": " + e.what());
    }
  }
}
}  // namespace

Solutions read_solutions(const fs::path& file) {
  Solutions out;
  read_keyed_file(file, [&](const std::string& id, const json& value) { out[id] = outputs_from_json(value); });
  return out;
}

Submission read_submission(const fs::path& file) {
  Submission out;
  read_keyed_file(file, [&](const std::string& id, const json& value) {
    if (!value.is_array()) fail({}, std::string("expected a list of attempts, got ") + value.type_name());
    auto& list = out[id];
    for (std::size_t k = 0; k < value.size(); ++k) {
      const std::string where = index_where({}, k);
      const json& a = value[k];
      if (!a.is_object())
        fail(where, std::string("expected {\"attempt_1\": ..., \"attempt_2\": ...}, got ") + a.type_name());
      list.push_back({grid_from_json(member(a, "attempt_1", where), where + ".attempt_1"),
                      grid_from_json(member(a, "attempt_2", where), where + ".attempt_2")});
    }
  });
  return out;
}

Solutions solutions_of(const std::vector<Task>& tasks) {
  Solutions out;
  for (const auto& task : tasks) {
    if (!task.has_test_outputs()) continue;
    auto& outputs = out[task.id];
    for (const auto& p : task.test) outputs.push_back(*p.output);
  }
  return out;
}

}  // namespace megabatch
