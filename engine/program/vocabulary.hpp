// Vocabulary: the names a program may use besides its own variables and parameters. The parser asks
// it whether a name is a primitive (and with how many arguments) or a constant. The real arc-dsl
// vocabulary comes from the cpu layer; PermissiveVocabulary serves text-only work such as inlining
// another DSL's solvers, whose primitives megabatch does not implement.
#pragma once
#include <optional>
#include <string_view>

namespace megabatch::program {

struct Vocabulary {
  virtual ~Vocabulary();
  // Number of arguments of primitive `name`; nullopt when it is not a primitive or its arity is unknown.
  virtual std::optional<int> primitive_arity(std::string_view name) const = 0;
  virtual bool is_constant(std::string_view name) const = 0;
  // Whether `name` is a primitive. Defaults to "has an arity"; override when arities can be unknown.
  virtual bool is_primitive(std::string_view name) const { return primitive_arity(name).has_value(); }
};

// Accepts every name. Upper-case identifiers (ZERO, T, R7, DOWN_LEFT) count as constants, all other
// names as primitives of unknown arity, so no arity is ever checked.
struct PermissiveVocabulary final : Vocabulary {
  std::optional<int> primitive_arity(std::string_view name) const override;
  bool is_constant(std::string_view name) const override;
  bool is_primitive(std::string_view name) const override;
};

}  // namespace megabatch::program
