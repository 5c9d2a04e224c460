// libFuzzer target: the solver front end on any text: parse (both dialects, detected per file), add
// every program to one shared DAG, inline and expand each as tokpidjin names and writes it. Any
// outcome but a crash, a hang or a sanitizer report is fine.
#include <cstdint>
#include <string_view>

#include "cpu/dsl/vocabulary.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/inline.hpp"
#include "engine/program/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace megabatch;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  program::ParseResult parsed = program::parse_source(text, "fuzz.py", cpu::dsl_vocabularies());
  for (const auto& e : parsed.errors) (void)e.to_string();
  program::Dag dag;
  for (const auto& p : parsed.programs) {
    try {
      dag.add(p);
    } catch (const std::exception&) {
    }
  }
  program::Inliner inliner(dag);
  program::InlineOptions options;
  options.max_chars = 100'000;
  for (std::size_t k = 0; k < dag.programs().size(); ++k) {
    program::InlineResult r = inliner.inline_program(k, options);
    if (r.status == program::InlineStatus::Ok) (void)program::expanded_file_text(dag, k);
  }
  return 0;
}
