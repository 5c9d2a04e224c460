// A program's identity for the result cache: what it computes, not what it is called or where the
// shared DAG put its nodes.
#pragma once
#include <cstddef>
#include <string>

#include "engine/program/dag.hpp"

namespace megabatch::program {

// The md5 (hex) of program `p`'s structure: its dialect, parameters, every node of its slice (dead
// lines included, since CPython runs them) numbered in a depth-first order from its statements, and
// its statements and output. Equal for the same function text under any name, in any file, loaded
// with any other programs; it differs where an inlined md5 would not (a dead line that can fail).
std::string program_fingerprint(const Dag& dag, std::size_t p);

}  // namespace megabatch::program
