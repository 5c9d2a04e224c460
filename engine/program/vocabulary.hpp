// Vocabulary: the names a program may use besides its own variables and parameters. The parser asks
// it whether a name is a primitive (and how many arguments a call may pass) or a constant. The real
// vocabularies of arc-dsl and tokpidjin come from the cpu layer; PermissiveVocabulary serves
// text-only work such as inlining solvers of a DSL megabatch does not implement.
#pragma once
#include <optional>
#include <string_view>
#include <utility>

#include "engine/program/dialect.hpp"

namespace megabatch::program {

struct Vocabulary {
  virtual ~Vocabulary();
  // Number of arguments of primitive `name`; nullopt when it is not a primitive or its arity is unknown.
  virtual std::optional<int> primitive_arity(std::string_view name) const = 0;
  virtual bool is_constant(std::string_view name) const = 0;
  // Whether `name` is a primitive. Defaults to "has an arity"; override when arities can be unknown.
  virtual bool is_primitive(std::string_view name) const { return primitive_arity(name).has_value(); }
  // The argument counts a direct call may pass (parameters with defaults may be left out), or
  // nullopt when any count runs: tokpidjin's primitives return their default for a wrong one.
  virtual std::optional<std::pair<int, int>> call_arity(std::string_view name) const {
    const auto a = primitive_arity(name);
    if (!a) return std::nullopt;
    return std::make_pair(*a, *a);
  }
};

// Accepts every name. Upper-case identifiers (ZERO, T, R7, DOWN_LEFT) count as constants, all other
// names as primitives of unknown arity, so no arity is ever checked.
struct PermissiveVocabulary final : Vocabulary {
  std::optional<int> primitive_arity(std::string_view name) const override;
  bool is_constant(std::string_view name) const override;
  bool is_primitive(std::string_view name) const override;
};

// One vocabulary per dialect, for files whose dialect the parser detects.
struct Vocabularies {
  const Vocabulary* arc_dsl = nullptr;
  const Vocabulary* tokpidjin = nullptr;
  const Vocabulary& of(Dialect d) const { return d == Dialect::Tokpidjin && tokpidjin ? *tokpidjin : *arc_dsl; }
};

}  // namespace megabatch::program
