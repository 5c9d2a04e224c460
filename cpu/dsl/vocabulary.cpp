#include "cpu/dsl/vocabulary.hpp"

#include "cpu/dsl/registry.hpp"

namespace megabatch::cpu {

std::optional<int> DslVocabulary::primitive_arity(std::string_view name) const {
  if (const PrimitiveInfo* p = find_primitive(name, dialect_)) return p->arity;
  return std::nullopt;
}

bool DslVocabulary::is_constant(std::string_view name) const { return find_constant(name, dialect_).has_value(); }

std::optional<std::pair<int, int>> DslVocabulary::call_arity(std::string_view name) const {
  const PrimitiveInfo* p = find_primitive(name, dialect_);
  if (!p || p->safe != SafeDefault::None) return std::nullopt;
  return std::make_pair(p->min_arity, p->arity);
}

const program::Vocabularies& dsl_vocabularies() {
  static const DslVocabulary arc(Dialect::ArcDsl), tok(Dialect::Tokpidjin);
  static const program::Vocabularies both{&arc, &tok};
  return both;
}

}  // namespace megabatch::cpu
