// Test helpers: a temporary folder removed with its owner, file I/O, running the megabatch binary, and where the
// ARC data lives.
#pragma once
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace megabatch::test {

inline std::filesystem::path source_dir() { return MEGABATCH_SOURCE_DIR; }
// ARC-AGI-1 training, beside the checkout; tests that need it skip when it is absent.
inline std::filesystem::path training_dir() { return source_dir() / "../shared/arc-agi-1/training"; }
inline constexpr const char* kNoTrainingData =
    "ARC-AGI-1 training not found at ../shared/arc-agi-1/training beside the checkout";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "megabatch-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder from " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::filesystem::path write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return file;
}

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CommandResult {
  int exit_code;
  std::string out;  // stdout
  std::string err;  // stderr (the log)
};

// Runs `megabatch ARGS` through the shell; ARGS is pasted as is, so quote paths in it.
inline CommandResult run_megabatch(const std::string& args) {
  TempDir dir;
  const std::string command = std::string("'") + MEGABATCH_BINARY + "' " + args + " >'" + (dir / "out").string() +
                              "' 2>'" + (dir / "err").string() + "' </dev/null";
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "out"), read_file(dir / "err")};
}

// Single-quotes a path for the shell (appending: `"'" + s + "'"` trips GCC 12's false -Wrestrict).
inline std::string quote(const std::filesystem::path& p) {
  std::string out(1, '\'');
  out.append(p.string());
  out.push_back('\'');
  return out;
}

}  // namespace megabatch::test
