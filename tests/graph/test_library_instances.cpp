// Many runs, one library: 8 instances merging into one solver_dir at once end with exactly the library
// one run of all their programs makes, and a merge killed midway leaves a library whose every link
// resolves and that the killed run's --resume completes.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>

#include <random>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::Child;
using test::run_args;
using test::TempDir;
using test::write_file;
namespace fs = std::filesystem;

constexpr int kTasks = 80, kVariants = 48, kInstances = 8;

// kTasks mirror tasks, as <id>.json files.
fs::path write_mirror_tasks(const fs::path& dir) {
  fs::create_directories(dir);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> side(2, 6), colour(0, 9);
  for (int t = 0; t < kTasks; ++t) {
    auto grid = [&](bool mirrored, int h, int w, const std::vector<int>& cells) {
      std::string s = "[";
      for (int i = 0; i < h; ++i) {
        s += i ? ", [" : "[";
        for (int j = 0; j < w; ++j) s += (j ? ", " : "") + std::to_string(cells[i * w + (mirrored ? w - 1 - j : j)]);
        s += "]";
      }
      return s + "]";
    };
    std::string text = "{\"train\": [";
    for (int k = 0; k < 3; ++k) {
      const int h = side(rng), w = side(rng);
      std::vector<int> cells(h * w);
      for (int& c : cells) c = colour(rng);
      text += std::string(k ? ", " : "") + "{\"input\": " + grid(false, h, w, cells) + ", \"output\": " + grid(true, h, w, cells) + "}";
    }
    text += "], \"test\": [{\"input\": [[1, 2]], \"output\": [[2, 1]]}]}";
    write_file(dir / ("mirror" + std::to_string(1000 + t) + ".json"), text);
  }
  return dir;
}

// Variant k mirrors, then passes the grid through k identity steps: 48 programs, 48 md5s, one task rule.
std::string variant(int k) {
  std::string s = "def solve_v" + std::to_string(k) + "(I):\n    x0 = vmirror(I)\n";
  for (int j = 1; j <= k; ++j) s += "    x" + std::to_string(j) + " = identity(x" + std::to_string(j - 1) + ")\n";
  return s + "    return x" + std::to_string(k) + "\n\n";
}

fs::path write_variants(const fs::path& file, const std::vector<int>& ks) {
  std::string text;
  for (int k : ks) text += variant(k);
  return write_file(file, text);
}

std::vector<std::string> run_into(const fs::path& tasks, const fs::path& programs, const fs::path& out,
                                  const fs::path& library) {
  std::vector<std::string> args = {"run", "--threads", "1", "--tasks", tasks.string(), "--programs", programs.string(),
                                   "--out", out.string(), "--set", "cache=off"};
  if (!library.empty()) args.insert(args.end(), {"--library", library.string()});
  return args;
}

// A library's solver_dir as a value, after checking that every link resolves to a solver_md5 file
// and (unless a merge was just killed: the next merge removes them) that no temporary file is left.
std::map<std::string, std::string> checked_library(const fs::path& root, bool just_killed = false) {
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (!just_killed) {
      EXPECT_NE(it->path().extension(), ".tmp") << it->path();
    }
    if (it->is_symlink()) {
      EXPECT_TRUE(fs::exists(it->path())) << "dangling " << it->path();
    }
  }
  return test::tree(root / "solver_dir");
}

std::vector<int> instance_variants(int i) {
  std::vector<int> ks;
  for (int k = i; k < kVariants; k += kInstances) ks.push_back(k);
  return ks;
}

struct SharedLibrary : ::testing::Test {
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    tasks_ = write_mirror_tasks(*dir_ / "tasks");
    std::vector<int> all(kVariants);
    for (int k = 0; k < kVariants; ++k) all[k] = k;
    // The reference: one run of all 48 programs.
    auto r = run_args(run_into(tasks_, write_variants(*dir_ / "all.py", all), *dir_ / "reference", {}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    reference_ = new std::map<std::string, std::string>(checked_library(*dir_ / "reference"));
  }
  static void TearDownTestSuite() {
    delete reference_;
    delete dir_;
  }
  static inline TempDir* dir_ = nullptr;
  static inline fs::path tasks_;
  static inline std::map<std::string, std::string>* reference_ = nullptr;
};

TEST_F(SharedLibrary, TheReferenceKeeps32OfThe48PassingProgramsPerTask) {
  std::size_t links = 0;
  for (const auto& [path, what] : *reference_) links += what.starts_with("link -> ");
  EXPECT_EQ(links, 32u * kTasks);
}

TEST_F(SharedLibrary, EightInstancesMergingAtOnceKeepWhatOneRunWould) {
  TempDir dir;
  const fs::path shared = dir / "shared";
  std::vector<std::unique_ptr<Child>> children;
  for (int i = 0; i < kInstances; ++i) {
    const fs::path programs = write_variants(dir / ("p" + std::to_string(i) + ".py"), instance_variants(i));
    const fs::path out = dir / ("out" + std::to_string(i));
    children.push_back(std::make_unique<Child>(run_into(tasks_, programs, out, shared), dir / ("o" + std::to_string(i)),
                                               dir / ("e" + std::to_string(i))));
  }
  for (int i = 0; i < kInstances; ++i) {
    const int status = children[i]->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::read_file(dir / ("e" + std::to_string(i)));
  }
  EXPECT_EQ(checked_library(shared), *reference_);
  for (int i = 0; i < kInstances; ++i) EXPECT_FALSE(fs::exists(dir / ("out" + std::to_string(i)) / "solver_dir"));
}

TEST_F(SharedLibrary, FreshIsRefusedOnASharedLibrary) {
  TempDir dir;
  test::write_file(dir / "p.py", variant(0));
  auto args = run_into(tasks_, dir / "p.py", dir / "out", dir / "lib");
  args.push_back("--fresh");
  auto r = run_args(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--fresh empties the library in --out; with --library"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

// Holds while another process has the library's merge lock.
bool merging(const fs::path& library) {
  const int fd = ::open((library / ".megabatch-library.lock").c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

TEST_F(SharedLibrary, AMergeKilledMidwayLeavesALibraryThatResumeCompletes) {
  TempDir dir;
  const fs::path shared = dir / "shared";
  // One instance's programs are in the library already; the others' arrive in one run that is killed
  // while it holds the merge lock, and is then resumed.
  auto first = run_args(run_into(tasks_, write_variants(dir / "first.py", instance_variants(0)), dir / "first", shared));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<int> rest;
  for (int i = 1; i < kInstances; ++i)
    for (int k : instance_variants(i)) rest.push_back(k);
  const fs::path programs = write_variants(dir / "rest.py", rest), out = dir / "rest";
  bool killed_in_merge = false;
  for (int attempt = 0; attempt < 5 && !killed_in_merge; ++attempt) {
    fs::remove_all(out);
    Child child(run_into(tasks_, programs, out, shared), dir / "o", dir / "e");
    while (child.running()) {
      if (merging(shared)) {
        child.kill_now();
        killed_in_merge = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    child.wait();
  }
  ASSERT_TRUE(killed_in_merge) << "no kill landed inside a merge in 5 tries";
  checked_library(shared, true);  // every link resolves, even now
  auto resumed = run_args([&] {
    auto a = run_into(tasks_, programs, out, shared);
    a.push_back("--resume");
    return a;
  }());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(checked_library(shared), *reference_);
}

}  // namespace
}  // namespace megabatch
