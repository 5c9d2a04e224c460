// Parser for solver files: arc-dsl's solvers.py, tokpidjin's solvers_pre.py, inlined or expanded
// programs. Reads one file or every .py file under a folder (sorted), keeps each well-formed function
// as a Program and reports each bad one (file, line, function, message) while loading the rest.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/program/program.hpp"
#include "engine/program/vocabulary.hpp"

namespace megabatch::program {

struct ParseError {
  std::string file;
  int line = 0;
  std::string function;  // empty for problems outside any function
  std::string message;

  // "solvers.py:123: solve_abc: unknown name 'foo'" (the function part left out when empty).
  std::string to_string() const;
};

struct ParseResult {
  std::vector<Program> programs;  // in file order, files in sorted path order
  std::vector<ParseError> errors;
};

// Parses Python source text; `file` is only used to label programs and errors.
ParseResult parse_source(std::string_view source, const std::string& file, const Vocabulary& vocabulary);

// Parses a .py file, or every .py file below a folder in sorted path order. A function name seen
// twice keeps its first definition and reports the second. Throws std::runtime_error (naming the path)
// when the path does not exist or a file cannot be read.
ParseResult parse_path(const std::filesystem::path& path, const Vocabulary& vocabulary);

}  // namespace megabatch::program
