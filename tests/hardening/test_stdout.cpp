// Hardening, stdout: a command whose results cannot be written (stdout on a full disk) exits 1 saying
// so, instead of exiting 0 with its output lost (issue 15, class 9).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "../graph/cli_support.hpp"

namespace megabatch {
namespace {

using test::TempDir;

TEST(HardeningStdout, EveryCommandFailsWhenItsOutputCannotBeWritten) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this machine";
  TempDir dir;
  const auto tasks = test::write_engine_tasks(dir / "tasks");
  const std::string programs = test::quote(test::source_dir() / "tests/data/engine/programs.py");
  const std::vector<std::string> commands = {
      "inline " + programs,
      "tasks " + test::quote(tasks),
      "eval 'rot90(((1, 2), (3, 4)))'",
      "config",
      "primitives",
      "run --tasks " + test::quote(tasks) + " --programs " + programs + " --out " + test::quote(dir / "out"),
  };
  for (const auto& command : commands) {
    const std::string line = std::string("'") + MEGABATCH_BINARY + "' " + command + " >/dev/full 2>" +
                             test::quote(dir / "err");
    const int status = std::system(line.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << command;
    EXPECT_EQ(WEXITSTATUS(status), 1) << command;
    EXPECT_NE(test::read_file(dir / "err").find("stdout: write failed: No space left on device"), std::string::npos)
        << command << "\n" << test::read_file(dir / "err");
  }
}

}  // namespace
}  // namespace megabatch
