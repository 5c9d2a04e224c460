// --resume refuses a folder whose journal says tasks finished but whose results file is gone.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;

TEST(ResumeGuard, MissingResultsWithAJournalIsRefusedNamingTheFile) {
  const fs::path dir = fs::temp_directory_path() / ("megabatch-resume-guard-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "out");
  const std::string tasks = megabatch::test::write_engine_tasks(dir / "tasks").string();
  const std::string programs = std::string(MEGABATCH_SOURCE_DIR) + "/tests/data/engine/programs.py";
  std::ofstream(dir / "out" / "progress.jsonl") << "{\"task\":\"flip\",\"results_bytes\":120}\n";

  const std::string cmd = std::string("'") + MEGABATCH_BINARY + "' run --resume --tasks '" + tasks + "' --programs '" +
                          programs + "' --out '" + (dir / "out").string() + "' 2>&1";
  std::array<char, 4096> buf{};
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = ::pclose(p);
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1) << out;
  EXPECT_NE(out.find("results.jsonl: missing"), std::string::npos) << out;
  EXPECT_NE(out.find("cannot resume"), std::string::npos) << out;
  fs::remove_all(dir);
}

}  // namespace
