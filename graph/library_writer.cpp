#include "graph/library_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>

#include "engine/text.hpp"
#include "graph/outputs.hpp"

namespace megabatch::graph {

namespace fs = std::filesystem;

LibraryLock::LibraryLock(const fs::path& root) {
  fs::create_directories(root);
  const fs::path file = root / ".megabatch-library.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(file.string() + ": cannot open: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  spdlog::info("solver_dir: waiting for {} (another run is merging into it)", file.string());
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(file.string() + ": cannot lock: " + std::strerror(error));
  }
}

LibraryLock::~LibraryLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<LibraryEntry> library_entries(const fs::path& task_dir, const fs::path& md5_dir) {
  std::vector<LibraryEntry> out;
  std::error_code ec;
  if (!fs::is_directory(task_dir, ec)) return out;
  for (const auto& score_dir : fs::directory_iterator(task_dir, ec)) {
    for (const auto& t_dir : fs::directory_iterator(score_dir.path(), ec)) {
      for (const auto& link : fs::directory_iterator(t_dir.path(), ec)) {
        const fs::path p = link.path();
        if (p.extension() != ".py" || !fs::exists(md5_dir / p.filename(), ec)) continue;
        try {
          out.push_back({p.stem().string(), std::stoll(score_dir.path().filename().string()),
                         std::stoi(t_dir.path().filename().string())});
        } catch (const std::exception&) {  // not a number: not an entry of tokpidjin's layout
        }
      }
    }
  }
  return out;
}

std::size_t remove_unlinked(const fs::path& root) {
  LibraryLock lock(root);
  std::set<std::string> linked;
  std::error_code ec;
  if (fs::is_directory(root / "solver_dir", ec))
    for (auto it = fs::recursive_directory_iterator(root / "solver_dir", ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_symlink(ec)) continue;
      linked.insert(it->path().filename().string());
      linked.insert(fs::read_symlink(it->path(), ec).filename().string());
    }
  if (ec) throw std::runtime_error((root / "solver_dir").string() + ": cannot read: " + ec.message());
  std::size_t removed = 0;
  if (!fs::is_directory(root / "solver_md5", ec)) return 0;
  for (const auto& f : fs::directory_iterator(root / "solver_md5", ec)) {
    const std::string name = f.path().filename().string();
    const bool md5_file = name.size() == 35 && name.ends_with(".py") &&
                          name.find_first_not_of("0123456789abcdef") == 32;
    if (md5_file && !linked.count(name) && fs::remove(f.path(), ec)) ++removed;
  }
  return removed;
}

namespace {

fs::path entry_path(const fs::path& task_dir, const LibraryEntry& e) {
  return task_dir / std::to_string(e.score) / std::to_string(e.t_log) / (e.md5 + ".py");
}

// A relative link into solver_md5/, made under a temporary name and renamed into place: a reader or
// a crash never sees a half-made entry.
void link_entry(const fs::path& link, const std::string& md5) {
  fs::create_directories(link.parent_path());
  fs::path tmp = link;
  tmp += ".tmp";
  fs::remove(tmp);
  fs::create_symlink(fs::path("../../../..") / "solver_md5" / (md5 + ".py"), tmp);
  fs::rename(tmp, link);
}

void remove_entry(const fs::path& task_dir, const LibraryEntry& e) {
  const fs::path link = entry_path(task_dir, e);
  std::error_code ec;
  fs::remove(link, ec);
  // Empty <t_log>/ and <score>/ folders go too, as tokpidjin never leaves them.
  for (fs::path dir = link.parent_path(); dir != task_dir && fs::is_empty(dir, ec); dir = dir.parent_path())
    fs::remove(dir, ec);
}

// What a merge killed midway may have left: temporary files and links (never a final name's).
void remove_leftovers(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<fs::path> tmp;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".tmp" && !it->is_directory()) tmp.push_back(it->path());
  for (const auto& p : tmp) fs::remove(p, ec);
}

}  // namespace

LibraryMerge merge_library(const fs::path& root, const std::vector<TaskCandidates>& tasks,
                           const std::function<std::string(const std::string&)>& text, std::size_t max_per_task) {
  LibraryMerge result;
  const fs::path md5_dir = root / "solver_md5", task_root = root / "solver_dir";
  LibraryLock lock(root);
  fs::create_directories(md5_dir);
  fs::create_directories(task_root);
  remove_leftovers(md5_dir);  // under the lock, a temporary file is a dead merge's
  std::set<std::string> files;
  // New program files first, then new links, then evictions: a crash in between leaves a library
  // that merging again turns into the same result.
  for (const TaskCandidates& t : tasks) {
    if (t.entries.empty()) continue;
    try {
      const fs::path dir = task_root / library_folder(t.task_id);
      remove_leftovers(dir);
      const LibraryPlan plan = plan_library(library_entries(dir, md5_dir), t.entries, max_per_task);
      for (const LibraryEntry& e : plan.added) {
        const fs::path file = md5_dir / (e.md5 + ".py");
        if (!files.count(e.md5) && !fs::exists(file)) write_file_atomic(file, text(e.md5));
        files.insert(e.md5);
        link_entry(entry_path(dir, e), e.md5);
      }
      for (const LibraryEntry& e : plan.evicted) remove_entry(dir, e);
      result.added += plan.added.size();
      result.evicted += plan.evicted.size();
      result.tasks += !plan.added.empty() || !plan.evicted.empty();
    } catch (const std::exception& e) {
      ++result.failed;
      spdlog::error("solver_dir: task {}: not merged: {}", printable(t.task_id), printable(e.what()));
    }
  }
  result.files = files.size();
  return result;
}

}  // namespace megabatch::graph
