// scripts/package.sh end to end: the folder it makes loads no library from the host, and its launcher runs a
// real job with an empty environment, from another folder, through a symlink, after the folder has moved.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../graph/cli_support.hpp"

namespace {

using megabatch::test::engine_tasks;
using megabatch::test::quote;
using megabatch::test::read_json;
using megabatch::test::TempDir;
using megabatch::test::write_file;
namespace fs = std::filesystem;

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

Result shell(const std::string& cmd) {
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = ::popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (!p) return {-1, ""};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string package_script() { return quote(fs::path(MEGABATCH_SOURCE_DIR) / "scripts/package.sh"); }

// Packages the binary under test into `out`; the script's whole output is its one summary line.
::testing::AssertionResult make_package(const fs::path& out) {
  Result r = shell(package_script() + " --binary " + quote(MEGABATCH_BINARY) + " --out " + quote(out));
  if (r.code != 0) return ::testing::AssertionFailure() << "package.sh exited " << r.code << ":\n" << r.out;
  if (lines(r.out).size() != 1 || r.out.find(out.string() + ": ") != 0 || r.out.find(" libraries") == std::string::npos)
    return ::testing::AssertionFailure() << "not one summary line:\n" << r.out;
  return ::testing::AssertionSuccess();
}

bool under(const std::string& path, const fs::path& dir) { return path.rfind(dir.string() + "/", 0) == 0; }

// Two engine fixture tasks in Kaggle's challenges form (test outputs left out), and a one-function solver file.
void write_job(const fs::path& dir) {
  fs::create_directories(dir);
  nlohmann::json challenges = nlohmann::json::object();
  for (const auto& [id, text] : engine_tasks()) {
    if (id != "flip" && id != "recolour") continue;
    auto task = nlohmann::json::parse(text);
    for (auto& test : task["test"]) test.erase("output");
    challenges[id] = task;
  }
  write_file(dir / "mini_challenges.json", challenges.dump());
  write_file(dir / "p.py", "def solve_flip(I):\n    return vmirror(I)\n");
}

const char* const kJob = "run --tasks mini_challenges.json --programs p.py --set cache=off";

// `env -i` for the packaged binary. In the ASan build, LeakSanitizer cannot tell ld.so's own allocations
// when ld.so is started as a program (the launcher does that) and reports 192 bytes of glibc's dlopen
// bookkeeping as a leak at exit; leak checking is off there, every other check stays on.
#if defined(__SANITIZE_ADDRESS__)
const std::string kEmptyEnv = "env -i ASAN_OPTIONS=detect_leaks=0 ";
#else
const std::string kEmptyEnv = "env -i ";
#endif

TEST(Package, EveryLibraryComesFromThePackage) {
  TempDir dir;
  const fs::path pkg = dir / "pkg";
  ASSERT_TRUE(make_package(pkg));
  for (const auto& entry : fs::directory_iterator(pkg / "lib"))
    EXPECT_TRUE(entry.is_regular_file() && !entry.is_symlink()) << entry.path() << " is not a plain file";

  // At start: what the packaged loader resolves for the binary (as ldd does), from an empty environment.
  const std::string loader = quote(pkg / "lib/ld-linux-x86-64.so.2") + " --library-path " + quote(pkg / "lib") + " ";
  Result trace = shell("cd / && env -i LD_TRACE_LOADED_OBJECTS=1 " + loader + quote(pkg / "bin/megabatch"));
  ASSERT_EQ(trace.code, 0) << trace.out;
  std::size_t resolved = 0;
  bool libc = false;
  for (const std::string& line : lines(trace.out)) {
    if (line.find("linux-vdso") != std::string::npos) continue;  // in the kernel, no file
    std::size_t arrow = line.find("=> ");
    std::string path = arrow == std::string::npos ? line.substr(line.find_first_not_of(" \t")) : line.substr(arrow + 3);
    path = path.substr(0, path.find(" (0x"));
    EXPECT_TRUE(under(path, pkg / "lib")) << line;
    libc = libc || path == (pkg / "lib/libc.so.6").string();
    ++resolved;
  }
  EXPECT_GE(resolved, 3u) << trace.out;
  EXPECT_TRUE(libc) << "glibc is not the package's:\n" << trace.out;

  // While running a job: every object initialised, those opened at run time (dlopen) included, comes from the
  // package, and they are the same libraries the binary loads when run in place (none left behind).
  TempDir work;
  write_job(work.path());
  auto initialised = [&](const std::string& command, const std::string& out) {
    Result run = shell("cd " + quote(work.path()) + " && " + kEmptyEnv + "LD_DEBUG=files " + command + " " + kJob + " --out " + out);
    EXPECT_EQ(run.code, 0) << run.out;
    std::set<std::string> paths;
    for (const std::string& line : lines(run.out))
      if (std::size_t at = line.find("calling init: "); at != std::string::npos) paths.insert(line.substr(at + 14));
    return paths;
  };
  std::set<std::string> packaged, in_place;
  for (const std::string& path : initialised(loader + quote(pkg / "bin/megabatch"), "packaged")) {
    EXPECT_TRUE(under(path, pkg / "lib")) << path;
    packaged.insert(fs::path(path).filename().string());
  }
  for (const std::string& path : initialised(quote(MEGABATCH_BINARY), "in-place"))
    in_place.insert(fs::path(path).filename().string());
  EXPECT_GE(packaged.size(), resolved);
  EXPECT_EQ(packaged, in_place);
}

TEST(Package, LauncherRunsAJobWithAnEmptyEnvironment) {
  TempDir dir;
  ASSERT_TRUE(make_package(dir / "built"));
  // The folder is moved after packaging and called through a symlink from another folder: nothing may
  // depend on where it was made or on the caller's working directory or environment.
  fs::rename(dir / "built", dir / "moved");
  fs::create_directories(dir / "bin");
  fs::create_symlink(dir / "moved/megabatch", dir / "bin/megabatch");
  const std::string launcher = quote(dir / "bin/megabatch");

  Result help = shell("cd / && " + kEmptyEnv + launcher + " --help");
  EXPECT_EQ(help.code, 0) << help.out;
  EXPECT_NE(help.out.find("Subcommands:"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Run candidate programs over tasks"), std::string::npos) << help.out;

  const fs::path work = dir / "work";
  write_job(work);
  Result run = shell("cd " + quote(work) + " && " + kEmptyEnv + launcher + " " + kJob + " --out out");
  ASSERT_EQ(run.code, 0) << run.out;
  auto submission = read_json(work / "out/submission.json");
  ASSERT_TRUE(submission.contains("flip") && submission.contains("recolour")) << submission.dump();
  EXPECT_EQ(submission["flip"][0]["attempt_1"], nlohmann::json::parse("[[0, 1], [3, 2]]")) << submission.dump();
  EXPECT_EQ(submission["recolour"][0]["attempt_1"], nlohmann::json::parse("[[0]]")) << submission.dump();

  // The packaged profiles load through the launcher too.
  Result config = shell("cd / && " + kEmptyEnv + launcher + " config --config " + quote(dir / "moved/configs/kaggle.toml"));
  EXPECT_EQ(config.code, 0) << config.out;
  EXPECT_NE(config.out.find("threads = 4"), std::string::npos) << config.out;
}

TEST(Package, MissingBinaryIsAOneLineError) {
  TempDir dir;
  Result r = shell(package_script() + " --binary " + quote(dir / "no-such-binary") + " --out " + quote(dir / "pkg"));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(lines(r.out).size(), 1u) << r.out;
  EXPECT_NE(r.out.find("no such binary"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "pkg"));
}

TEST(Package, RefusesToReplaceAFolderItDidNotMake) {
  TempDir dir;
  write_file(dir / "keep.txt", "mine");
  Result r = shell(package_script() + " --binary " + quote(MEGABATCH_BINARY) + " --out " + quote(dir.path()));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(lines(r.out).size(), 1u) << r.out;
  EXPECT_TRUE(fs::exists(dir / "keep.txt"));
  // A package it made is replaced.
  ASSERT_TRUE(make_package(dir / "pkg"));
  ASSERT_TRUE(make_package(dir / "pkg"));
}

}  // namespace
