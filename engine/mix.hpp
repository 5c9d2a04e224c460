// splitmix64's finaliser: a bijection of 64-bit integers whose output bits each depend on every input
// bit. Seeds of synth's streams and the state hashes of graph/states.cpp are made with it.
#pragma once
#include <cstdint>

namespace megabatch {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace megabatch
