// Test helper: DSL programs parsed from source, shared in one DAG and compiled for the CPU executor,
// with their ids by name.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "cpu/dsl/vocabulary.hpp"
#include "cpu/executor.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/parse.hpp"

namespace megabatch::test {

struct ProgramFixture {
  program::ParseResult parsed;
  program::Dag dag;
  std::unique_ptr<cpu::CompiledDag> compiled;

  ProgramFixture(const std::string& source, const std::string& file) {
    // Either dialect, detected per file as the CLI does.
    parsed = program::parse_source(source, file, cpu::dsl_vocabularies());
    EXPECT_TRUE(parsed.errors.empty()) << (parsed.errors.empty() ? "" : parsed.errors[0].message);
    for (const auto& p : parsed.programs) dag.add(p);
    compiled = std::make_unique<cpu::CompiledDag>(dag);
  }
  // The id of solve_<name>.
  std::uint32_t id(const std::string& name) const {
    for (std::uint32_t k = 0; k < dag.programs().size(); ++k)
      if (dag.programs()[k].name == "solve_" + name) return k;
    ADD_FAILURE() << "no program " << name;
    return 0;
  }
};

}  // namespace megabatch::test
