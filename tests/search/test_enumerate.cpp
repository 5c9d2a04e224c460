// Enumeration (icecuber's search): every composition up to a depth of the operations the hints allow,
// shallow ones first, each a program that parses, the same options giving the same text.
#include <gtest/gtest.h>

#include <set>

#include "cpu/dsl/vocabulary.hpp"
#include "engine/program/parse.hpp"
#include "engine/search/enumerate.hpp"

namespace megabatch::search {
namespace {

TypeInfo small_types() {
  TypeInfo t;
  t.primitives["rot90"] = {{"Grid"}, "Grid"};
  t.primitives["vmirror"] = {{"Piece"}, "Piece"};
  t.primitives["hconcat"] = {{"Grid", "Grid"}, "Grid"};
  t.primitives["upscale"] = {{"Element", "Integer"}, "Element"};
  t.primitives["mostcolor"] = {{"Element"}, "Integer"};     // a feature of I
  t.primitives["size"] = {{"Container"}, "Integer"};        // not grid-like: unused
  t.primitives["add"] = {{"Numerical", "Numerical"}, "Numerical"};  // unused
  t.colours = {"ZERO", "ONE"};
  return t;
}

EnumerationOptions opts(int depth, std::vector<std::string> primitives = {}, std::vector<std::string> integers = {},
                        std::size_t max_programs = 100'000, bool tokpidjin = false) {
  EnumerationOptions o;
  o.depth = depth;
  o.primitives = std::move(primitives);
  o.integers = std::move(integers);
  o.max_programs = max_programs;
  o.tokpidjin = tokpidjin;
  return o;
}

TEST(Enumerate, DepthOneIsEveryOperationWithEveryArgument) {
  const Enumeration e = enumerate_programs(small_types(), opts(1));
  EXPECT_EQ(e.operations, (std::vector<std::string>{"hconcat", "rot90", "upscale", "vmirror"}));
  EXPECT_EQ(e.features, (std::vector<std::string>{"mostcolor"}));
  // hconcat(I, I), rot90(I), upscale(I, ZERO|ONE|mostcolor(I)), vmirror(I)
  EXPECT_EQ(e.programs, 6u);
  EXPECT_NE(e.source.find("def solve_e1_0(I):\n    x1 = hconcat(I, I)\n    return x1\n"), std::string::npos) << e.source;
  EXPECT_NE(e.source.find("    x1 = mostcolor(I)\n    x2 = upscale(I, x1)\n    return x2\n"), std::string::npos) << e.source;
  auto parsed = program::parse_source(e.source, "e.py", cpu::dsl_vocabularies());
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.at(0).to_string();
  EXPECT_EQ(parsed.programs.size(), 6u);
}

TEST(Enumerate, DeeperProgramsChainTheirStepsAndComeAfterShallowOnes) {
  const Enumeration e = enumerate_programs(small_types(), opts(2));
  auto parsed = program::parse_source(e.source, "e.py", cpu::dsl_vocabularies());
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.at(0).to_string();
  ASSERT_EQ(parsed.programs.size(), e.programs);
  // second step: hconcat takes (x1, x1), (x1, I) or (I, x1); the others take x1: 3 + 1 + 3 + 1 = 8 per first step
  EXPECT_EQ(e.programs, 6u + 6u * 8u);
  std::set<std::string> names;
  for (std::size_t k = 0; k < parsed.programs.size(); ++k) {
    const auto& p = parsed.programs[k];
    EXPECT_TRUE(names.insert(p.name).second);
    EXPECT_EQ(p.name.rfind(k < 6 ? "solve_e1_" : "solve_e2_", 0), 0u) << p.name;
  }
  // a step-2 call that ignores step 1 is never made (it would be a depth-1 program again)
  EXPECT_EQ(e.source.find("x2 = hconcat(I, I)"), std::string::npos);
  EXPECT_NE(e.source.find("x2 = hconcat(I, x1)"), std::string::npos);
  EXPECT_EQ(enumerate_programs(small_types(), opts(2)).source, e.source);
}

TEST(Enumerate, OptionsBoundAndChooseWhatIsEnumerated) {
  EXPECT_EQ(enumerate_programs(small_types(), opts(3, {}, {}, 10)).programs, 10u);
  const Enumeration only = enumerate_programs(small_types(), opts(2, {"rot90", "vmirror"}));
  EXPECT_EQ(only.programs, 2u + 4u);
  const Enumeration ints = enumerate_programs(small_types(), opts(1, {"upscale"}, {"TWO", "THREE"}));
  EXPECT_NE(ints.source.find("upscale(I, THREE)"), std::string::npos);
  EXPECT_EQ(ints.source.find("ZERO"), std::string::npos);
  const Enumeration tok = enumerate_programs(small_types(), opts(1, {"rot90"}, {}, 100'000, true));
  EXPECT_EQ(tok.source, "def solve_e1_0(S, I, C):\n    x1 = rot90(I)\n    return x1\n\n");
  EXPECT_THROW(enumerate_programs(small_types(), opts(1, {"nosuch"})), std::invalid_argument);
  EXPECT_THROW(enumerate_programs(small_types(), opts(0)), std::invalid_argument);
  EXPECT_THROW(enumerate_programs(small_types(), opts(1, {"add"})), std::invalid_argument);
}

}  // namespace
}  // namespace megabatch::search
