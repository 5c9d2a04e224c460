// The real arc-dsl vocabulary for the program parser: the registered primitives and constants.
#pragma once

#include "engine/program/vocabulary.hpp"

namespace megabatch::cpu {

struct DslVocabulary final : program::Vocabulary {
  std::optional<int> primitive_arity(std::string_view name) const override;
  bool is_constant(std::string_view name) const override;
};

}  // namespace megabatch::cpu
