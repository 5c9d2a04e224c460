// The real vocabularies for the program parser: each dialect's registered primitives and constants.
#pragma once

#include "engine/program/vocabulary.hpp"

namespace megabatch::cpu {

struct DslVocabulary final : program::Vocabulary {
  explicit DslVocabulary(Dialect dialect = Dialect::ArcDsl) : dialect_(dialect) {}
  std::optional<int> primitive_arity(std::string_view name) const override;
  bool is_constant(std::string_view name) const override;
  std::optional<std::pair<int, int>> call_arity(std::string_view name) const override;

 private:
  Dialect dialect_;
};

// Both dialects' vocabularies (static; valid for the whole process).
const program::Vocabularies& dsl_vocabularies();

}  // namespace megabatch::cpu
