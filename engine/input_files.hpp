// Reading files that come from the user: task files, Kaggle files, solver files. Only regular files
// are read (a FIFO would block, a device would never end), each at most kMaxInputFileBytes, and a
// folder is listed without ever throwing: a symlink loop, a dangling link or an entry of another
// kind becomes one problem for that entry while the rest of the folder loads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace megabatch {

// Larger than any ARC file (Kaggle's ARC-AGI-2 training challenges are about 40 MB) by far.
inline constexpr std::uintmax_t kMaxInputFileBytes = 256ull << 20;

class InputFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why `path` (symlinks followed) is not a regular file, as a phrase ("a directory", "a FIFO",
// "a dangling symbolic link", "a symbolic link loop", ...); empty when it is one.
std::string not_a_regular_file(const std::filesystem::path& path);

// The whole content of a regular file of at most `max_bytes`; throws InputFileError saying why not
// (the message does not repeat the path).
std::string read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxInputFileBytes);

struct FolderListing {
  std::vector<std::filesystem::path> files;  // regular files (symlinks followed) with the extension, sorted
  struct Problem {
    std::filesystem::path path;
    std::string reason;  // e.g. "a symbolic link loop, not a file"
  };
  std::vector<Problem> problems;  // entries with the extension that are not readable files
};

// The files of `folder` whose name ends with `extension` (".json"), below it too when `recursive`
// (directory symlinks are not followed, so no loop is walked). Entries named like such files that
// are something else are reported, once each; folders named so are searched when `recursive`.
FolderListing list_input_files(const std::filesystem::path& folder, const std::string& extension, bool recursive);

}  // namespace megabatch
