// Helpers for the end-to-end tests of `megabatch run` and `megabatch score`: the engine fixtures, the binary
// started with fork/exec (so a test can SIGKILL it), JSON files and output trees as comparable values.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.hpp"

namespace megabatch::test {

namespace fs = std::filesystem;

inline fs::path engine_data() { return source_dir() / "tests/data/engine"; }

// The engine fixture tasks (tests/data/engine/README.md says what each one exercises), by id. Written
// into a test's own folder by write_engine_tasks: the project tracks no task files.
inline const std::vector<std::pair<std::string, std::string>>& engine_tasks() {
  static const std::vector<std::pair<std::string, std::string>> tasks = {
      {"flip",
       R"({"train": [{"input": [[5, 0, 5], [0, 7, 0]], "output": [[5, 0, 5], [0, 7, 0]]},)"
       R"( {"input": [[1, 2, 0], [3, 0, 0]], "output": [[0, 2, 1], [0, 0, 3]]},)"
       R"( {"input": [[4, 4, 0, 0]], "output": [[0, 0, 4, 4]]}],)"
       R"( "test": [{"input": [[1, 0], [2, 3]], "output": [[0, 1], [3, 2]]}]})"},
      {"recolour",
       R"({"train": [{"input": [[1, 0], [0, 1]], "output": [[2, 0], [0, 2]]},)"
       R"( {"input": [[1, 1, 3]], "output": [[2, 2, 3]]},)"
       R"( {"input": [[0, 3], [1, 5]], "output": [[0, 3], [2, 5]]}],)"
       R"( "test": [{"input": [[1, 3, 1], [0, 1, 0]], "output": [[2, 3, 2], [0, 2, 0]]}]})"},
      {"transpose",
       R"({"train": [{"input": [[1, 2], [3, 4]], "output": [[1, 3], [2, 4]]}],)"
       R"( "test": [{"input": [[1, 2, 3]], "output": [[1], [2], [3]]}]})"},
      {"unsolved",
       R"({"train": [{"input": [[1]], "output": [[1, 1], [1, 1]]},)"
       R"( {"input": [[2, 0]], "output": [[2, 2, 0, 0], [2, 2, 0, 0]]}],)"
       R"( "test": [{"input": [[3]], "output": [[3, 3], [3, 3]]}]})"},
      {"upside",
       R"({"train": [{"input": [[1, 2, 1], [0, 3, 0]], "output": [[0, 3, 0], [1, 2, 1]]},)"
       R"( {"input": [[4, 4], [0, 0], [5, 5]], "output": [[5, 5], [0, 0], [4, 4]]}],)"
       R"( "test": [{"input": [[1, 2], [3, 4]], "output": [[3, 4], [1, 2]]},)"
       R"( {"input": [[6, 0], [0, 0]], "output": [[9, 9], [9, 9]]}]})"},
  };
  return tasks;
}

// Writes the engine fixture tasks as <id>.json into `dir` (created) and returns it.
inline fs::path write_engine_tasks(const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& [id, text] : engine_tasks()) write_file(dir / (id + ".json"), text);
  return dir;
}

// The megabatch binary as a child process, its stdout and stderr going to files.
class Child {
 public:
  // Runs in `cwd` when given (so relative paths resolve there).
  Child(const std::vector<std::string>& args, const fs::path& out_file, const fs::path& err_file,
        const fs::path& cwd = {}) {
    std::vector<std::string> argv_text = {MEGABATCH_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int in = ::open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0) ::_exit(127);
      if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(err, STDERR_FILENO);
      ::dup2(in, STDIN_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Whether the child is still running (reaps it when it has ended).
  bool running() {
    if (reaped_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    reaped_ = true;
    status_ = status;
    return false;
  }
  int wait() {
    if (!reaped_) {
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
    }
    return status_;
  }
  void kill_now() { ::kill(pid_, SIGKILL); }
  void interrupt() { ::kill(pid_, SIGINT); }  // as Ctrl-C would

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// Runs `megabatch ARGS` to completion (no shell: arguments are passed as they are).
inline CommandResult run_args(const std::vector<std::string>& args, const fs::path& cwd = {}) {
  TempDir dir;
  Child child(args, dir / "out", dir / "err", cwd);
  int status = child.wait();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "out"), read_file(dir / "err")};
}

inline nlohmann::json read_json(const fs::path& file) { return nlohmann::json::parse(read_file(file)); }

// Each line of a JSON-lines file, parsed.
inline std::vector<nlohmann::json> read_jsonl(const fs::path& file) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(file));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

inline std::size_t count_lines(const fs::path& file) {
  std::string text = read_file(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A folder as a value: relative path -> "dir", "link -> TARGET" or "file: CONTENT".
inline std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = it->path().lexically_relative(root).string();  // links not followed
    if (it->is_symlink()) out[rel] = "link -> " + fs::read_symlink(it->path()).string();
    else if (it->is_directory()) out[rel] = "dir";
    else out[rel] = "file: " + read_file(it->path());
  }
  return out;
}

// "key value" lines (what `megabatch score` prints) as a map.
inline std::map<std::string, std::string> key_values(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto space = line.find(' ');
    if (space != std::string::npos) out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

}  // namespace megabatch::test
