// engine/results/: what a run keeps (tokpidjin's solver library rule), which two grids it submits, and
// how a submission scores.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/results/attempts.hpp"
#include "engine/results/library.hpp"
#include "engine/results/scoring.hpp"

namespace megabatch {
namespace {

LibraryEntry E(std::string md5, std::int64_t score, int t_log) { return {std::move(md5), score, t_log}; }
// "m100" and the like, appended: `"m" + std::to_string(k)` trips GCC 12's false -Wrestrict at -O3.
std::string name(const char* prefix, int k) { return std::string(prefix).append(std::to_string(k)); }

std::vector<std::string> md5s(const std::vector<LibraryEntry>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.md5);
  return out;
}

TEST(Library, KeepsTheBestByScoreThenSpeedThenName) {
  const LibraryPlan plan = plan_library({}, {E("c", 2000, 9), E("a", 3000, 8), E("b", 2000, 10), E("d", 2000, 9)}, 3);
  EXPECT_EQ(md5s(plan.kept), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(plan.added.size(), 3u);
  EXPECT_TRUE(plan.evicted.empty());
}

TEST(Library, AFullTaskEvictsItsWorstAndRefusesWorseCandidates) {
  std::vector<LibraryEntry> full;
  for (int k = 0; k < 32; ++k) full.push_back(E(name("m", 100 + k), 2000 + 1000 * (k % 3), 8 + k % 3));
  // The worst kept: the lowest score, of those the lowest t_log.
  LibraryPlan better = plan_library(full, {E("new", 4000, 11)});
  ASSERT_EQ(better.kept.size(), 32u);
  ASSERT_EQ(better.added.size(), 1u);
  ASSERT_EQ(better.evicted.size(), 1u);
  EXPECT_EQ(better.evicted[0].score, 2000);
  EXPECT_EQ(better.evicted[0].t_log, 8);
  // A candidate worse than everything kept is refused and changes nothing.
  LibraryPlan worse = plan_library(full, {E("slow", 1000, 11)});
  EXPECT_TRUE(worse.added.empty());
  EXPECT_TRUE(worse.evicted.empty());
}

TEST(Library, OneEntryPerProgramAtItsBestPlace) {
  // The same program found again, faster: it moves; found again slower: nothing changes.
  LibraryPlan moved = plan_library({E("x", 2000, 8), E("y", 1000, 9)}, {E("x", 2000, 10)});
  EXPECT_EQ(moved.kept, (std::vector<LibraryEntry>{E("x", 2000, 10), E("y", 1000, 9)}));
  EXPECT_EQ(moved.added, (std::vector<LibraryEntry>{E("x", 2000, 10)}));
  EXPECT_EQ(moved.evicted, (std::vector<LibraryEntry>{E("x", 2000, 8)}));
  LibraryPlan same = plan_library({E("x", 2000, 8)}, {E("x", 1000, 10)});
  EXPECT_TRUE(same.added.empty());
  EXPECT_TRUE(same.evicted.empty());
  // Two copies already there (as runs of tokpidjin can leave them): the worse one goes.
  LibraryPlan dup = plan_library({E("x", 2000, 8), E("x", 3000, 8)}, {});
  EXPECT_EQ(dup.evicted, (std::vector<LibraryEntry>{E("x", 2000, 8)}));
}

TEST(Library, AMergeInterruptedAnywhereEndsTheSameWhenRepeated) {
  // A crash after some new links were made but before evictions leaves old + some added: merging the
  // same candidates again gives the uninterrupted result, whatever the order of the candidates.
  std::mt19937 rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<LibraryEntry> old, cands;
    for (int k = 0; k < 30; ++k) old.push_back(E(name("o", k), 1000 * (1 + rng() % 4), 8 + rng() % 4));
    for (int k = 0; k < 10; ++k) cands.push_back(E(name("c", k), 1000 * (1 + rng() % 4), 8 + rng() % 4));
    cands.push_back(old[rng() % old.size()]);
    const LibraryPlan full = plan_library(old, cands);
    std::vector<LibraryEntry> partial = old;
    for (std::size_t k = 0; k < full.added.size() / 2; ++k) partial.push_back(full.added[k]);
    std::shuffle(cands.begin(), cands.end(), rng);
    EXPECT_EQ(plan_library(partial, cands).kept, full.kept);
    EXPECT_EQ(plan_library(full.kept, cands).kept, full.kept);  // and merging twice changes nothing
  }
}

TEST(Attempts, TheTwoMostFrequentThenTheShorterProgramThenTheGridsText) {
  const Grid a(1, 1, 1), b(1, 1, 2), c(1, 1, 3);
  const Prediction ps[] = {{&b, 50}, {&a, 40}, {&b, 60}, {&c, 10}, {&a, 45}, {&c, 30}, {&c, 20}};
  Attempts top = rank_attempts(ps);
  EXPECT_EQ(top.attempt_1, c);  // three times
  EXPECT_EQ(top.attempt_2, a);  // twice, like b, but from a shorter program (40 < 50)
  const Prediction tie[] = {{&b, 10}, {&a, 10}};
  top = rank_attempts(tie);
  EXPECT_EQ(top.attempt_1, a);  // equal counts and lengths: "[[1]]" sorts before "[[2]]"
  EXPECT_EQ(top.attempt_2, b);
  top = rank_attempts({});
  EXPECT_EQ(top.attempt_1, Grid(1, 1, 0));
  EXPECT_EQ(top.attempt_2, Grid(1, 1, 0));
}

TEST(Scoring, PerOutputPerTaskAndMissingAttempts) {
  const Grid x(1, 1, 1), y(1, 1, 2);
  Solutions solutions{{"t1", {x, y}}, {"t2", {x}}, {"t3", {y}}};
  Submission submission{{"t1", {{x, y}, {y, x}}}, {"t2", {{y, y}}}};  // t3 missing
  const SubmissionScore s = score_submission(submission, solutions);
  EXPECT_EQ(s.tasks, 3u);
  EXPECT_EQ(s.test_outputs, 4u);
  EXPECT_EQ(s.correct_outputs, 2u);
  EXPECT_EQ(s.solved_tasks, 1u);
  EXPECT_TRUE(s.per_task.at("t1"));
  EXPECT_FALSE(s.per_task.at("t2"));
  EXPECT_FALSE(s.per_task.at("t3"));
  EXPECT_DOUBLE_EQ(s.score(), 0.5);
  EXPECT_DOUBLE_EQ(score_submission(submission, {}).score(), 0.0);
}

}  // namespace
}  // namespace megabatch
