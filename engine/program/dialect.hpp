// The DSL a program is written in: Michael Hodel's arc-dsl, or its fork tokpidjin (cells (i, j, c),
// primitives that return a default instead of raising, the parameters S, I and C). Chosen per
// program file: detected by the parser (engine/program/parse.hpp) or given with --dialect.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace megabatch {

enum class Dialect : std::uint8_t { ArcDsl, Tokpidjin };
inline constexpr int kDialectCount = 2;

constexpr const char* dialect_name(Dialect d) { return d == Dialect::ArcDsl ? "arc-dsl" : "tokpidjin"; }

constexpr std::optional<Dialect> dialect_from_name(std::string_view name) {
  if (name == "arc-dsl") return Dialect::ArcDsl;
  if (name == "tokpidjin") return Dialect::Tokpidjin;
  return std::nullopt;
}

}  // namespace megabatch
