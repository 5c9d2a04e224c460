// The parent pool of a search: bounded per task as solver_dir is (the best scores stay, one no better than
// all kept is refused), the seeds always kept, and the order of its entries independent of names.
#include <gtest/gtest.h>

#include "cpu/dsl/vocabulary.hpp"
#include "engine/program/parse.hpp"
#include "engine/search/pool.hpp"

namespace megabatch::search {
namespace {

program::Program named(const std::string& name) {
  auto r = program::parse_source("def " + name + "(I):\n    x1 = rot90(I)\n    return x1\n", "t.py", cpu::dsl_vocabularies());
  EXPECT_TRUE(r.errors.empty());
  return r.programs.at(0);
}

std::vector<std::string> names(const ParentPool& pool) {
  std::vector<std::string> out;
  for (const auto& e : pool.entries()) out.push_back(e.program.name + ":" + std::to_string(e.weight));
  return out;
}

TEST(ParentPool, KeepsTheBestPerTaskAndAlwaysTheSeeds) {
  ParentPool pool(2);
  pool.add(named("solve_seed"), true);
  for (const char* n : {"solve_z", "solve_a", "solve_m", "solve_b"}) pool.add(named(n), false);
  pool.offer("t1", "solve_z", 1000);
  pool.offer("t1", "solve_a", 3000);
  pool.offer("t1", "solve_m", 2000);   // evicts solve_z (lowest)
  pool.offer("t1", "solve_b", 2000);   // no better than all kept: refused
  pool.offer("t2", "solve_b", 500);
  pool.offer("t2", "nobody", 9000);    // not in the pool: ignored
  pool.prune();
  // insertion order, not name order; the seed stays with no score (weight 1)
  EXPECT_EQ(names(pool), (std::vector<std::string>{"solve_seed:1", "solve_a:3000", "solve_m:2000", "solve_b:2000"}));

  // A later, better program of t2 pushes nothing out while there is room; t1's worst goes for a better one.
  pool.add(named("solve_n"), false);
  pool.offer("t1", "solve_n", 4000);
  pool.prune();
  EXPECT_EQ(names(pool), (std::vector<std::string>{"solve_seed:1", "solve_a:3000", "solve_b:2000", "solve_n:4000"}));
  EXPECT_EQ(pool.size(), 4u);
}

TEST(ParentPool, ProgramsNoTaskKeepsLeave) {
  ParentPool pool(1);
  pool.add(named("solve_x"), false);
  pool.add(named("solve_y"), false);
  pool.offer("t", "solve_x", 1000);
  pool.prune();
  EXPECT_EQ(names(pool), (std::vector<std::string>{"solve_x:1000"}));
}

}  // namespace
}  // namespace megabatch::search
