// Candidate generation: a child differs from its parent where the types allow and nowhere else, the
// same generator state gives the same child, and a generation never repeats a structure it has seen.
#include <gtest/gtest.h>

#include "cpu/dsl/vocabulary.hpp"
#include "engine/program/parse.hpp"
#include "engine/program/source.hpp"
#include "engine/search/generation.hpp"

namespace megabatch::search {
namespace {

program::Program parse_one(const std::string& text) {
  auto r = program::parse_source(text, "t.py", cpu::dsl_vocabularies());
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  return r.programs.at(0);
}

TypeInfo tiny_types() {
  TypeInfo t;
  t.primitives["rot90"] = {{"Grid"}, "Grid"};
  t.primitives["rot180"] = {{"Grid"}, "Grid"};
  t.primitives["vmirror"] = {{"Piece"}, "Piece"};  // alone in its group: never swapped
  t.primitives["get_nth_f"] = {{"FrozenSet", "FL"}, "Any"};
  t.params["I"] = "Grid";
  t.ranks_first = {"F0", "F1", "F2"};
  t.colours = {"ZERO", "ONE", "TWO"};
  return t;
}

TEST(Mutate, AChildChangesOnlyWhatItsTypesAllow) {
  const auto parent = parse_one("def solve_p(I):\n    x1 = rot90(I)\n    x2 = vmirror(x1)\n    return x2\n");
  const TypeInfo types = tiny_types();
  std::set<std::string> seen;
  for (std::uint64_t s = 0; s < 200; ++s) {
    std::mt19937_64 rng(s);
    auto child = mutate(parent, types, rng, "solve_c");
    ASSERT_TRUE(child);
    const std::string text = program::to_source(*child);
    seen.insert(text);
    EXPECT_NE(text.find("vmirror("), std::string::npos) << text;  // vmirror has no peer
    EXPECT_EQ(child->body.size(), parent.body.size());
  }
  // the places that can change: rot90 <-> rot180, and x1 (Grid) <-> I in vmirror's argument
  EXPECT_EQ(seen, (std::set<std::string>{
                      "def solve_c(I):\n    x1 = rot180(I)\n    x2 = vmirror(x1)\n    return x2\n",
                      "def solve_c(I):\n    x1 = rot90(I)\n    x2 = vmirror(I)\n    return x2\n",
                      "def solve_c(I):\n    x1 = rot180(I)\n    x2 = vmirror(I)\n    return x2\n",
                  }));
}

TEST(Mutate, RanksStepByOneAndColoursChange) {
  const auto parent = parse_one("def solve_p(S, I, C):\n    x1 = get_nth_f(I, F0)\n    x2 = rot90(ZERO)\n    return x2\n");
  const TypeInfo types = tiny_types();
  std::set<std::string> ranks, colours;
  for (std::uint64_t s = 0; s < 300; ++s) {
    std::mt19937_64 rng(s);
    auto child = mutate(parent, types, rng, "solve_c");
    ASSERT_TRUE(child);
    ranks.insert(child->body[0].value.children[2].text);
    colours.insert(child->body[1].value.children[1].text);
  }
  EXPECT_EQ(ranks, (std::set<std::string>{"F0", "F1"}));  // F0 steps to F1 only
  EXPECT_EQ(colours, (std::set<std::string>{"ZERO", "ONE", "TWO"}));
}

TEST(Mutate, TheSameStateGivesTheSameChildAndNothingToChangeGivesNone) {
  const auto parent = parse_one("def solve_p(I):\n    x1 = rot90(I)\n    x2 = rot180(x1)\n    return x2\n");
  std::mt19937_64 a(42), b(42);
  EXPECT_EQ(program::to_source(*mutate(parent, tiny_types(), a, "c")), program::to_source(*mutate(parent, tiny_types(), b, "c")));
  const auto fixed = parse_one("def solve_p(I):\n    x1 = vmirror(I)\n    return x1\n");
  std::mt19937_64 c(1);
  EXPECT_FALSE(mutate(fixed, tiny_types(), c, "c"));
}

TEST(Generation, NoStructureTwiceAndTheSameSeedGivesTheSameGeneration) {
  const auto parent = parse_one("def solve_p(I):\n    x1 = rot90(I)\n    x2 = rot180(x1)\n    x3 = rot90(x2)\n    return x3\n");
  std::map<Dialect, TypeInfo> types{{Dialect::ArcDsl, tiny_types()}};
  std::vector<PoolEntry> pool{{parent, 1}};
  std::set<std::string> seen1{fingerprint(parent)}, seen2 = seen1;
  auto g1 = make_generation(pool, types, 9, 1, 5, seen1);
  auto g2 = make_generation(pool, types, 9, 1, 5, seen2);
  ASSERT_EQ(g1.children.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_EQ(program::to_source(g1.children[k]), program::to_source(g2.children[k]));
  std::set<std::string> fps;
  for (const auto& c : g1.children) fps.insert(fingerprint(c));
  EXPECT_EQ(fps.size(), 5u);
  EXPECT_FALSE(fps.count(fingerprint(parent)));
  // the space is small (I, x1, x2 and rot90/rot180 in three places): it runs out, and says so by
  // making fewer than asked
  auto g3 = make_generation(pool, types, 9, 2, 1000, seen1);
  EXPECT_LT(g3.children.size(), 1000u);
  EXPECT_GT(g3.duplicates, 0u);
}

TEST(Source, ParsingTheWrittenTextGivesTheSameProgram) {
  const auto p = parse_one("def solve_p(S, I, C):\n    x1 = rbind(get_nth_f, F0)\n    x2 = x1(I)\n    x3 = add(x2, -1)\n    return x3\n");
  const std::string text = program::to_source(p);
  EXPECT_EQ(program::to_source(parse_one(text)), text);
  EXPECT_EQ(fingerprint(parse_one(text)), fingerprint(p));
}

}  // namespace
}  // namespace megabatch::search
