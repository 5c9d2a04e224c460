// The GPU executor under its host launcher (`--backend gpu-host`): every batch goes through it, programs
// made only of device grid ops run on the device path, the rest on its CPU evaluator, and every output
// is byte for byte what `--backend cpu` writes.
#include <gtest/gtest.h>

#include <regex>

#include "cli_support.hpp"

namespace megabatch {
namespace {

using test::read_json;
using test::run_args;
using test::TempDir;
namespace fs = std::filesystem;

// Device programs (every line a device op, dead lines and `return I` included) beside programs that
// are not (objects, a closure, a patch mirrored), and one that is but refuses on small grids (tophalf of
// one row: that sample runs on the CPU).
constexpr const char* kPrograms =
    "def solve_flip(I):\n    return vmirror(I)\n\n"
    "def solve_wide(I):\n    x1 = vmirror(I)\n    O = hconcat(I, x1)\n    return O\n\n"
    "def solve_tall(I):\n    x1 = hmirror(I)\n    x2 = rot90(I)\n    O = vconcat(I, x1)\n    return O\n\n"
    "def solve_big(I):\n    x1 = upscale(I, TWO)\n    O = downscale(x1, 2)\n    return O\n\n"
    "def solve_recolour(I):\n    x1 = replace(I, ONE, TWO)\n    O = switch(x1, THREE, FIVE)\n    return O\n\n"
    "def solve_same(I):\n    return I\n\n"
    "def solve_half(I):\n    x1 = tophalf(I)\n    O = cellwise(x1, x1, ZERO)\n    return O\n\n"
    "def solve_trimmed(I):\n    x1 = trim(I)\n    O = righthalf(x1)\n    return O\n\n"
    "def solve_objects(I):\n    x1 = objects(I, T, F, T)\n    O = paint(I, merge(x1))\n    return O\n\n"
    "def solve_closure(I):\n    x1 = compose(vmirror, hmirror)\n    O = x1(I)\n    return O\n\n"
    "def solve_patch(I):\n    x1 = asindices(I)\n    x2 = hmirror(x1)\n    O = fill(I, ONE, x2)\n    return O\n";

struct Backends : ::testing::Test {
  TempDir dir;
  fs::path programs = test::write_file(dir / "p.py", kPrograms);

  test::CommandResult run(const fs::path& tasks, const std::string& backend, std::vector<std::string> extra = {}) const {
    std::vector<std::string> a = {"run", "--tasks", tasks.string(), "--programs", programs.string(), "--out",
                                  (dir / backend).string(), "--backend", backend, "--set", "cache=off"};
    a.insert(a.end(), extra.begin(), extra.end());
    return run_args(a);
  }
  // Every output file but metrics.json (its seconds and batch routes differ), and metrics' work units.
  std::map<std::string, std::string> outputs(const std::string& backend) const {
    const fs::path out = dir / backend;
    std::map<std::string, std::string> t = test::tree(out / "solver_dir");
    for (const auto& [k, v] : test::tree(out / "solver_md5")) t["md5/" + k] = v;
    for (const char* f : {"results.jsonl", "submission.json", "score.json"})
      if (fs::exists(out / f)) t[f] = test::read_file(out / f);
    t["costliest_programs"] = read_json(out / "metrics.json")["costliest_programs"].dump();
    return t;
  }
  static std::uint64_t device_evaluations(const std::string& out) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex(R"(gpu-host executor: (\d+) evaluations on the device path)"))) return 0;
    return std::stoull(m[1]);
  }
};

TEST_F(Backends, GpuHostWritesWhatTheCpuWritesOnTheFixtures) {
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  for (const std::vector<std::string>& mode : {std::vector<std::string>{}, {"--exhaustive", "--set", "batch.prune=off"}}) {
    auto cpu = run(tasks, "cpu", mode);
    ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
    auto host = run(tasks, "gpu-host", mode);
    ASSERT_EQ(host.exit_code, 0) << host.err;
    EXPECT_NE(host.err.find("8 of 11 programs run whole on the device path"), std::string::npos) << host.err;
    EXPECT_GT(device_evaluations(host.out), 0u) << host.out;
    EXPECT_EQ(outputs("gpu-host"), outputs("cpu"));
    const auto metrics = read_json(dir / "gpu-host/metrics.json");
    EXPECT_GT(metrics["batches"]["gpu"].get<int>(), 0);
    // gpu-host takes every batch with device work under "auto": in waves mode a task's first wave
    // prunes (its rows stay on the CPU), so those batches go to the CPU executor; run exhaustively
    // with prune off, every batch holds device programs.
    if (!mode.empty()) EXPECT_EQ(metrics["batches"]["cpu"], 0);
    EXPECT_EQ(metrics["routing"]["min_gpu_batch"], 0);
    EXPECT_EQ(metrics["routing"]["device_batches"], nlohmann::json::array({metrics["batches"]["gpu"]}));
    EXPECT_FALSE(read_json(dir / "cpu/metrics.json").contains("routing"));  // no GPU executor, nothing routed
    // The slice plans: one a batch with device rows, their launches counted.
    std::smatch plans;
    ASSERT_TRUE(std::regex_search(host.out, plans, std::regex(R"(\((\d+) slice plans, (\d+) launches\))"))) << host.out;
    EXPECT_GT(std::stoull(plans[1]), 0u);
    EXPECT_LE(std::stoull(plans[1]), metrics["batches"]["gpu"].get<std::uint64_t>());  // at most one a batch
    EXPECT_GE(std::stoull(plans[2]), std::stoull(plans[1]));  // a plan's gather is a launch
    fs::remove_all(dir / "cpu");
    fs::remove_all(dir / "gpu-host");
  }
}

// A number for min_gpu_batch is honoured under gpu-host too: smaller batches run on the CPU executor, and
// the outputs are still the CPU's.
TEST_F(Backends, GpuHostHonoursAFixedMinGpuBatch) {
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  ASSERT_EQ(run(tasks, "cpu").exit_code, 0);
  auto host = run(tasks, "gpu-host", {"--set", "batch.min_gpu_batch=1000000"});
  ASSERT_EQ(host.exit_code, 0) << host.err;
  const auto metrics = read_json(dir / "gpu-host/metrics.json");
  EXPECT_EQ(metrics["batches"]["gpu"], 0);
  EXPECT_GT(metrics["batches"]["cpu"].get<int>(), 0);
  EXPECT_EQ(metrics["routing"]["min_gpu_batch"], 1000000);
  EXPECT_EQ(outputs("gpu-host"), outputs("cpu"));
}

// tokpidjin's programs take the device path through their own primitives' device bodies (hmirror_t,
// rot90, hconcat, ...; S and C unused) and mir_rot_t's by angle (A9 hands the grid back), beside a
// program that cannot (objects have no device values).
TEST_F(Backends, TokpidjinProgramsTakeTheDevicePathToo) {
  const fs::path tasks = test::write_engine_tasks(dir / "tasks");
  test::write_file(programs,
                   "def solve_a(S, I, C):\n    x1 = hmirror_t(I)\n    O = hconcat(I, x1)\n    return O\n\n"
                   "def solve_b(S, I, C):\n    x1 = rot90(I)\n    x2 = replace(x1, ONE, TWO)\n    O = vmirror_t(x2)\n    return O\n\n"
                   "def solve_c(S, I, C):\n    x1 = mir_rot_t(I, A4)\n    x2 = mir_rot_t(x1, A9)\n    O = mir_rot_t(x2, A0)\n    return O\n\n"
                   "def solve_d(S, I, C):\n    return mir_rot_t(I, A9)\n\n"
                   "def solve_t(S, I, C):\n    x1 = mir_rot_t(I, T)\n    x2 = mir_rot_t(x1, F)\n    O = mir_rot_t(x2, -1)\n    return O\n\n"
                   "def solve_i(S, I, C):\n    return I\n\n"
                   "def solve_e(S, I, C):\n    x1 = o_g(I, R5)\n    O = paint(I, merge_f(x1))\n    return O\n");
  auto cpu = run(tasks, "cpu", {"--exhaustive"});
  ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
  auto host = run(tasks, "gpu-host", {"--exhaustive"});
  ASSERT_EQ(host.exit_code, 0) << host.err;
  EXPECT_NE(host.err.find("6 of 7 programs run whole on the device path"), std::string::npos) << host.err;
  EXPECT_GT(device_evaluations(host.out), 0u) << host.out;
  EXPECT_EQ(outputs("gpu-host"), outputs("cpu"));
}

TEST_F(Backends, GpuHostWritesWhatTheCpuWritesOnArcTraining) {
  if (!fs::is_directory(test::training_dir())) GTEST_SKIP() << "ARC-AGI-1 training not found at " << test::training_dir();
  const std::vector<std::string> every = {"--exhaustive", "--set", "batch.prune=off"};
  auto cpu = run(test::training_dir(), "cpu", every);
  ASSERT_EQ(cpu.exit_code, 0) << cpu.err;
  auto host = run(test::training_dir(), "gpu-host", every);
  ASSERT_EQ(host.exit_code, 0) << host.err;
  // 8 device programs on every sample of 400 tasks, less the samples tophalf or trim refuse
  EXPECT_GT(device_evaluations(host.out), 8000u) << host.out;
  EXPECT_EQ(outputs("gpu-host"), outputs("cpu"));
}

}  // namespace
}  // namespace megabatch
