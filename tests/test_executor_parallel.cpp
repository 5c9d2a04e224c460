// evaluate_batch on many threads gives exactly what one thread gives: every outcome's status, value,
// message and charged calls and cells, with closures memoised per thread and tokpidjin's S-only steps
// shared between threads through each task's TaskMemo.
#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <random>
#include <string>
#include <vector>

#include "graph/executors.hpp"
#include "program_fixture.hpp"

namespace megabatch {
namespace {

constexpr const char* kArc = R"(def solve_mirror(I):
    x1 = hmirror(I)
    O = vconcat(I, x1)
    return O

def solve_objects(I):
    x1 = objects(I, T, F, T)
    x2 = argmax(x1, size)
    x3 = fork(recolor, color, outbox)
    x4 = mapply(x3, x1)
    O = paint(I, x4)
    return O

def solve_closure(I):
    x1 = rbind(colorcount, ONE)
    x2 = compose(x1, hmirror)
    x3 = apply(x2, initset(I))
    O = replace(I, ONE, TWO)
    return O

def solve_raises(I):
    x1 = first(I)
    O = add(x1, ONE)
    return O
)";

constexpr const char* kTok = R"(def solve_by_pairs(S, I, C):
    x1 = size_t(S)
    x2 = c_iz(S, p_g)
    O = upscale_t(I, x1)
    return O

def solve_ranked(S, I, C):
    x1 = o_g(I, R5)
    x2 = get_arg_rank_f(x1, size, F0)
    O = paint(I, x2)
    return O
)";

std::vector<Task> random_tasks(int n) {
  std::mt19937 rng(7);
  auto grid = [&] {
    Grid g(1 + static_cast<int>(rng() % 9), 1 + static_cast<int>(rng() % 9));
    for (auto& c : g.cells) c = static_cast<Color>(rng() % 3 == 0 ? rng() % 10 : 0);
    return g;
  };
  std::vector<Task> tasks(n);
  for (int t = 0; t < n; ++t) {
    tasks[t].id = std::string("t").append(std::to_string(t));  // not "t" + ...: GCC 12's false -Wrestrict
    for (int k = 0; k < 3; ++k) tasks[t].train.push_back({grid(), grid()});
    tasks[t].test.push_back({grid(), std::nullopt});
  }
  return tasks;
}

struct Flat {
  cpu::EvalStatus status;
  std::string value, message;
  std::int64_t calls, cells;
  friend bool operator==(const Flat&, const Flat&) = default;
};

std::vector<std::vector<Flat>> run_batch(const char* source, int threads) {
  test::ProgramFixture f(source, "parallel.py");
  const std::vector<Task> tasks = random_tasks(40);
  graph::RunContext context = graph::make_run_context(*f.compiled, tasks, cpu::EvalLimits{});
  std::vector<std::uint32_t> programs;
  for (std::uint32_t p = 0; p < f.dag.programs().size(); ++p) programs.push_back(p);
  std::vector<cpu::BatchItem> items;
  for (std::size_t t = 0; t < tasks.size(); ++t)
    for (const cpu::Sample& s : context.samples[t]) items.push_back({&s, programs});
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  std::vector<std::vector<Flat>> out(items.size());
  cpu::evaluate_batch(*f.compiled, items, context.limits, [&](std::size_t k, std::vector<cpu::Outcome>& outcomes) {
    for (const cpu::Outcome& o : outcomes)
      out[k].push_back({o.status, o.status == cpu::EvalStatus::Ok ? repr(o.value) : "", o.message, o.calls, o.cells});
  });
  return out;
}

TEST(EvaluateBatch, ManyThreadsGiveExactlyWhatOneThreadGives) {
  for (const char* source : {kArc, kTok}) {
    const auto serial = run_batch(source, 1);
    const auto parallel = run_batch(source, 4);
    ASSERT_EQ(serial.size(), parallel.size());
    std::size_t ok = 0, failed = 0;
    for (std::size_t k = 0; k < serial.size(); ++k) {
      ASSERT_EQ(serial[k], parallel[k]) << "item " << k;
      for (const Flat& f : serial[k]) (f.status == cpu::EvalStatus::Ok ? ok : failed) += 1;
    }
    EXPECT_GT(ok, 0u);  // the batch exercises successes ...
    if (source == kArc) {
      EXPECT_GT(failed, 0u);  // ... and failures
    }
  }
}

}  // namespace
}  // namespace megabatch
