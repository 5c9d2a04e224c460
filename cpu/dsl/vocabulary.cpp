#include "cpu/dsl/vocabulary.hpp"

#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

std::optional<int> DslVocabulary::primitive_arity(std::string_view name) const {
  if (const PrimitiveInfo* p = find_primitive(name)) return p->arity;
  return std::nullopt;
}

bool DslVocabulary::is_constant(std::string_view name) const { return find_constant(name).has_value(); }

}  // namespace megabatch::cpu
