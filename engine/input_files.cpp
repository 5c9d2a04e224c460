#include "engine/input_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace megabatch {

namespace fs = std::filesystem;

std::string not_a_regular_file(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) {
    if (ec == std::errc::too_many_symbolic_link_levels) return "a symbolic link loop";
    std::error_code lec;
    if (fs::is_symlink(fs::symlink_status(path, lec))) return "a dangling symbolic link";
    if (ec == std::errc::no_such_file_or_directory) return "missing";
    return "unreadable (" + ec.message() + ")";
  }
  switch (st.type()) {
    case fs::file_type::regular: return {};
    case fs::file_type::directory: return "a directory";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block: return "a block device";
    case fs::file_type::character: return "a character device";
    case fs::file_type::not_found: return "missing";
    default: return "not a regular file";
  }
}

std::string read_input_file(const fs::path& path, std::uintmax_t max_bytes) {
  if (std::string why = not_a_regular_file(path); !why.empty()) throw InputFileError(why + ", not a file");
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InputFileError("cannot read: " + ec.message());
  auto too_big = [&] {
    return InputFileError("larger than the " + std::to_string(max_bytes >> 20) + " MiB limit on input files");
  };
  if (size > max_bytes) throw too_big();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputFileError(std::string("cannot read: ") + std::strerror(errno));
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw InputFileError("read error");
  // A file that grew while read: take what it has now, up to the limit.
  char more[4096];
  while (in.read(more, sizeof more) || in.gcount() > 0) {
    text.append(more, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) throw too_big();
  }
  return text;
}

FolderListing list_input_files(const fs::path& folder, const std::string& extension, bool recursive) {
  FolderListing out;
  auto consider = [&](const fs::directory_entry& entry) {
    const fs::path& p = entry.path();
    if (!p.filename().string().ends_with(extension)) return;
    std::string why = not_a_regular_file(p);
    if (why.empty()) out.files.push_back(p);
    else if (!(recursive && why == "a directory")) out.problems.push_back({p, why + ", not a file"});
  };
  std::error_code ec;
  if (recursive) {
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) consider(*it);
  } else {
    fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) consider(*it);
  }
  if (ec) out.problems.push_back({folder, "cannot list the folder: " + ec.message()});
  // Sorted by path text so the order never depends on the file system.
  const auto by_text = [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); };
  std::sort(out.files.begin(), out.files.end(), by_text);
  std::sort(out.problems.begin(), out.problems.end(),
            [&](const FolderListing::Problem& a, const FolderListing::Problem& b) { return by_text(a.path, b.path); });
  return out;
}

}  // namespace megabatch
