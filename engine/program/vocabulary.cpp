// PermissiveVocabulary and the out-of-line Vocabulary destructor (anchors the vtable here).
#include "engine/program/vocabulary.hpp"

namespace megabatch::program {

Vocabulary::~Vocabulary() = default;

std::optional<int> PermissiveVocabulary::primitive_arity(std::string_view) const { return std::nullopt; }

bool PermissiveVocabulary::is_constant(std::string_view name) const {
  // arc-dsl and tokpidjin spell constants in capitals; at least one letter rules out "_1".
  bool has_letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') has_letter = true;
  }
  return has_letter;
}

bool PermissiveVocabulary::is_primitive(std::string_view name) const { return !is_constant(name); }

}  // namespace megabatch::program
