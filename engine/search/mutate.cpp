#include "engine/search/mutate.hpp"

#include <algorithm>

namespace megabatch::search {
namespace {

using program::Expr;
using program::ExprKind;
using program::NameKind;

enum class Site : std::uint8_t { Variable, Primitive, Rank, Colour };

struct Place {
  Expr* expr;
  Site site;
  std::size_t before;  // variables defined before it: params, then the first `before` assignments' targets
};

// Primitives grouped by their full signature: those in a group can replace each other.
std::map<std::string, std::vector<std::string>> signature_groups(const TypeInfo& types) {
  std::map<std::string, std::vector<std::string>> groups;
  for (const auto& [name, sig] : types.primitives) {
    if (sig.returns.empty()) continue;
    std::string key = sig.returns + "(";
    for (const auto& p : sig.params) key += p + ",";
    groups[key].push_back(name);
  }
  return groups;
}

std::string signature_key(const TypeInfo& types, const std::string& name) {
  auto it = types.primitives.find(name);
  if (it == types.primitives.end() || it->second.returns.empty()) return {};
  std::string key = it->second.returns + "(";
  for (const auto& p : it->second.params) key += p + ",";
  return key;
}

template <class T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

}  // namespace

std::optional<program::Program> mutate(const program::Program& parent, const TypeInfo& types, std::mt19937_64& rng,
                                       const std::string& name, const MutationOptions& options) {
  program::Program child = parent;
  child.name = name;
  child.function = name;
  child.docstring.reset();
  const auto groups = signature_groups(types);

  // Every variable's type, as far as the hints tell: a parameter's, or its defining call's return hint.
  std::vector<std::pair<std::string, std::string>> variables;  // (name, type) in definition order
  for (const auto& p : child.params) {
    auto it = types.params.find(p);
    variables.emplace_back(p, it == types.params.end() ? "" : it->second);
  }
  const std::size_t nparams = variables.size();
  for (const auto& a : child.body) {
    std::string type;
    if (a.value.kind == ExprKind::Call && a.value.callee().kind == ExprKind::Name &&
        a.value.callee().name_kind == NameKind::Primitive)
      if (auto it = types.primitives.find(a.value.callee().text); it != types.primitives.end()) type = it->second.returns;
    variables.emplace_back(a.target, type);
  }
  auto type_of = [&](const std::string& v, std::size_t before) -> std::string {
    for (std::size_t k = 0; k < nparams + before && k < variables.size(); ++k)
      if (variables[k].first == v) return variables[k].second;
    return {};
  };
  auto in_list = [](const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };

  // Every place a change can go.
  std::vector<Place> places;
  auto collect = [&](auto&& self, Expr& e, std::size_t before, bool callee) -> void {
    if (e.kind == ExprKind::Call) {
      for (std::size_t k = 0; k < e.children.size(); ++k) self(self, e.children[k], before, k == 0);
      return;
    }
    if (e.kind != ExprKind::Name) return;
    switch (e.name_kind) {
      case NameKind::Variable:
      case NameKind::Param:
        if (!callee && !type_of(e.text, before).empty()) places.push_back({&e, Site::Variable, before});
        break;
      case NameKind::Primitive:
        if (auto key = signature_key(types, e.text); !key.empty() && groups.at(key).size() > 1)
          places.push_back({&e, Site::Primitive, before});
        break;
      case NameKind::Constant:
        if (in_list(types.ranks_first, e.text) || in_list(types.ranks_last, e.text)) places.push_back({&e, Site::Rank, before});
        else if (in_list(types.colours, e.text)) places.push_back({&e, Site::Colour, before});
        break;
      default: break;
    }
  };
  for (std::size_t k = 0; k < child.body.size(); ++k) collect(collect, child.body[k].value, k, false);
  collect(collect, child.result, child.body.size(), false);
  if (places.empty()) return std::nullopt;

  // Each place changes at most once: two changes at one place could undo each other (rot90 to rot180
  // and back), and a child must differ from its parent.
  const int changes = std::uniform_int_distribution<int>(1, std::max(1, options.max_changes))(rng);
  std::vector<std::uint8_t> changed(places.size(), 0);
  int made = 0;
  for (int attempt = 0; made < changes && attempt < 8 * changes; ++attempt) {
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, places.size() - 1)(rng);
    if (changed[at]) continue;
    Place& p = places[at];
    Expr& e = *p.expr;
    std::vector<std::string> options_here;
    switch (p.site) {
      case Site::Variable: {
        const std::string type = type_of(e.text, p.before);
        for (std::size_t k = 0; k < nparams + p.before && k < variables.size(); ++k)
          if (variables[k].second == type && variables[k].first != e.text) options_here.push_back(variables[k].first);
        break;
      }
      case Site::Primitive:
        for (const auto& q : groups.at(signature_key(types, e.text)))
          if (q != e.text) options_here.push_back(q);
        break;
      case Site::Rank: {
        const auto& list = in_list(types.ranks_first, e.text) ? types.ranks_first : types.ranks_last;
        const auto at = static_cast<std::size_t>(std::find(list.begin(), list.end(), e.text) - list.begin());
        if (at > 0) options_here.push_back(list[at - 1]);
        if (at + 1 < list.size()) options_here.push_back(list[at + 1]);
        break;
      }
      case Site::Colour:
        for (const auto& c : types.colours)
          if (c != e.text) options_here.push_back(c);
        break;
    }
    if (options_here.empty()) continue;
    const std::string replacement = pick(options_here, rng);
    if (p.site == Site::Variable)
      e.name_kind = std::find_if(variables.begin(), variables.begin() + static_cast<std::ptrdiff_t>(nparams),
                                 [&](const auto& v) { return v.first == replacement; }) !=
                            variables.begin() + static_cast<std::ptrdiff_t>(nparams)
                        ? NameKind::Param
                        : NameKind::Variable;
    e.text = replacement;
    changed[at] = 1;
    ++made;
  }
  if (made == 0) return std::nullopt;
  return child;
}

}  // namespace megabatch::search
