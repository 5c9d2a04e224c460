// Parser for solver files: arc-dsl's solvers.py, tokpidjin's solvers_pre.py, its solver_md5/ and
// solver_dir/ libraries, inlined or expanded programs. Reads one file or every .py file under a folder
// (sorted, symlinks followed, each target file once), keeps each well-formed function as a Program and
// reports each bad one (file, line, function, message) while loading the rest.
//
// Each file has one dialect: given (ParseOptions::dialect, the CLI's --dialect) or detected from the
// file, tokpidjin when a function has the (S, I, C) signature or a name only tokpidjin has, arc-dsl
// otherwise. A file using names only arc-dsl has beside tokpidjin's is rejected as mixing the two.
// A function named `solve` (tokpidjin's library files all define `def solve(S, I, C):`) is named
// after its file in the run.
#pragma once
#include <filesystem>
#include <optional>
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

struct ParseOptions {
  std::optional<Dialect> dialect;  // every file in this dialect; none: detected per file
};

// The dialect a file was read in, and why (for the log).
struct FileDialect {
  std::string file;
  Dialect dialect = Dialect::ArcDsl;
  std::string reason;  // "--dialect", "the (S, I, C) signature at line 4", "'o_g' at line 5, a tokpidjin name", ...
};

struct ParseResult {
  std::vector<Program> programs;  // in file order, files in sorted path order
  std::vector<ParseError> errors;
  std::vector<FileDialect> files;  // every file read, in order
};

// Parses Python source text; `file` is only used to label programs and errors.
ParseResult parse_source(std::string_view source, const std::string& file, const Vocabularies& vocabularies,
                         const ParseOptions& options = {});
// The same with one vocabulary for both dialects (the dialect then follows the signature alone).
ParseResult parse_source(std::string_view source, const std::string& file, const Vocabulary& vocabulary);

// Parses .py files and folders of them (every .py file below, in sorted path order; a symlink is read
// at its target, and a target reached twice is read once). A program name seen twice keeps its first
// definition and reports the second. Throws std::runtime_error (naming the path) when a path does not
// exist or a file cannot be read.
ParseResult parse_paths(const std::vector<std::filesystem::path>& paths, const Vocabularies& vocabularies,
                        const ParseOptions& options = {});
ParseResult parse_path(const std::filesystem::path& path, const Vocabulary& vocabulary);

}  // namespace megabatch::program
