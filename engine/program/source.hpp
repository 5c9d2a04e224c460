// A parsed program written back as Python: `def name(params):`, one assignment a line, `return`.
// Parsing the text again gives the same program (names, calls, integers; no docstring).
#pragma once
#include <string>

#include "engine/program/program.hpp"

namespace megabatch::program {

std::string expr_source(const Expr& e);
std::string to_source(const Program& p);

}  // namespace megabatch::program
