// Config loading (toml++), command-line overrides and the one-line description, all driven by one key table.
#include "engine/config.hpp"

#include "engine/input_files.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <limits>
#include <sstream>
#include <variant>

namespace megabatch {
namespace {

using Ref = std::variant<int*, std::int64_t*, std::string*>;

// One row per key, so the file reader, --set and describe() can never disagree on names or ranges.
struct Field {
  std::string_view key;
  Ref (*ref)(Config&);
  std::int64_t min;  // smallest accepted value (integers only)
  // Strings only: the accepted values, '|'-separated (a trailing * is a prefix; # is a number from 0 to
  // 2^31-1, which a file may also write as a TOML integer); empty = any.
  std::string_view choices = {};
};

const Field kFields[] = {
    {"threads", [](Config& c) -> Ref { return &c.threads; }, 0},
    {"batch.max_batch", [](Config& c) -> Ref { return &c.batch.max_batch; }, 1},
    {"batch.min_gpu_batch", [](Config& c) -> Ref { return &c.batch.min_gpu_batch; }, 0, "auto|#"},
    {"batch.max_wait_ms", [](Config& c) -> Ref { return &c.batch.max_wait_ms; }, 0},
    {"batch.inflight_batches", [](Config& c) -> Ref { return &c.batch.inflight_batches; }, 1},
    {"batch.wave_order", [](Config& c) -> Ref { return &c.batch.wave_order; }, 0, "given|smallest_first"},
    {"batch.prune", [](Config& c) -> Ref { return &c.batch.prune; }, 0, "on|off"},
    {"budget.max_primitive_calls", [](Config& c) -> Ref { return &c.budget.max_primitive_calls; }, 1},
    {"budget.max_cells", [](Config& c) -> Ref { return &c.budget.max_cells; }, 1},
    {"budget.wall_ms", [](Config& c) -> Ref { return &c.budget.wall_ms; }, 1},
    {"max_inline_chars", [](Config& c) -> Ref { return &c.max_inline_chars; }, 1},
    {"cache", [](Config& c) -> Ref { return &c.cache; }, 0, "on|off|redis://*"},
    {"cache_dir", [](Config& c) -> Ref { return &c.cache_dir; }, 0},
    {"cache_max_mb", [](Config& c) -> Ref { return &c.cache_max_mb; }, 8},
};

const Field* find_field(std::string_view key) {
  for (const auto& f : kFields)
    if (f.key == key) return &f;
  return nullptr;
}

bool is_table_name(std::string_view name) {
  for (const auto& f : kFields)
    if (f.key.size() > name.size() && f.key.starts_with(name) && f.key[name.size()] == '.') return true;
  return false;
}

std::string known_keys() {
  std::string out;
  for (const auto& f : kFields) out += (out.empty() ? "" : ", ") + std::string(f.key);
  return out;
}

// Range-checks `value` for the integer field `target` points at; returns the problem or "".
template <class Int>
std::string store_int(Int* target, std::int64_t value, std::int64_t min) {
  if (value < min || value > std::numeric_limits<Int>::max())
    return "must be between " + std::to_string(min) + " and " + std::to_string(std::numeric_limits<Int>::max()) +
           ", got " + std::to_string(value);
  *target = static_cast<Int>(value);
  return {};
}

// Stores a string field's value when `choices` admits it; returns the problem or "".
std::string store_string(std::string* target, std::string_view value, std::string_view choices) {
  if (!choices.empty()) {
    bool ok = false;
    for (std::string_view rest = choices; !ok;) {
      auto bar = rest.find('|');
      const std::string_view choice = rest.substr(0, bar);
      // "redis://*": any value with that prefix (and something after it); "#": a number.
      if (choice == "#") {
        std::int32_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        ok = !value.empty() && ec == std::errc() && end == value.data() + value.size() && n >= 0;
      } else {
        ok = choice.ends_with('*') ? value.size() > choice.size() - 1 && value.starts_with(choice.substr(0, choice.size() - 1))
                                   : choice == value;
      }
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    if (!ok) {
      std::string list(choices);
      for (char& ch : list)
        if (ch == '|') ch = ',';
      if (const auto hash = list.find('#'); hash != std::string::npos) list.replace(hash, 1, "a number from 0 to 2147483647");
      return "must be one of " + list + ", got '" + std::string(value) + "'";
    }
  }
  *target = std::string(value);
  return {};
}

std::string type_name(const toml::node& node) {
  std::ostringstream out;
  out << node.type();
  return out.str();
}

std::string at(const std::string& file, const toml::node& node) {
  const auto& where = node.source().begin;
  return file + ":" + std::to_string(where.line) + ": ";
}

void merge_table(Config& config, const toml::table& table, const std::string& prefix, const std::string& file) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix + std::string(name.str());
    if (const auto* sub = node.as_table()) {
      if (!is_table_name(key))
        throw ConfigError(at(file, node) + "unknown table [" + key + "] (known keys: " + known_keys() + ")");
      merge_table(config, *sub, key + ".", file);
      continue;
    }
    const Field* field = find_field(key);
    if (!field) {
      if (is_table_name(key)) throw ConfigError(at(file, node) + key + ": expected a table [" + key + "]");
      throw ConfigError(at(file, node) + "unknown key '" + key + "' (known keys: " + known_keys() + ")");
    }
    const toml::node& value = node;  // clang 14 cannot capture a structured binding
    std::string problem = std::visit(
        [&](auto* target) -> std::string {
          using T = std::remove_pointer_t<decltype(target)>;
          if constexpr (std::is_same_v<T, std::string>) {
            const bool numbers = field->choices.find('#') != std::string_view::npos;
            if (value.is_integer() && numbers)
              return store_string(target, std::to_string(value.as_integer()->get()), field->choices);
            if (!value.is_string()) return std::string(numbers ? "expected an integer or a string" : "expected a string") + ", got " + type_name(value);
            return store_string(target, value.as_string()->get(), field->choices);
          } else {
            if (!value.is_integer()) return "expected an integer, got " + type_name(value);
            return store_int(target, value.as_integer()->get(), field->min);
          }
        },
        field->ref(config));
    if (!problem.empty()) throw ConfigError(at(file, node) + key + ": " + problem);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::int64_t> fixed_gpu_batch(const BatchConfig& batch) {
  if (batch.min_gpu_batch == "auto") return std::nullopt;
  std::int64_t n = 0;
  const char* end = batch.min_gpu_batch.data() + batch.min_gpu_batch.size();
  auto [at, ec] = std::from_chars(batch.min_gpu_batch.data(), end, n);
  // Loaded configs are checked (store_string); one built in code may not be.
  if (batch.min_gpu_batch.empty() || ec != std::errc() || at != end || n < 0)
    throw ConfigError("batch.min_gpu_batch: must be auto or a number from 0, got '" + batch.min_gpu_batch + "'");
  return n;
}

std::vector<std::string_view> config_keys() {
  std::vector<std::string_view> keys;
  for (const auto& f : kFields) keys.push_back(f.key);
  return keys;
}

void merge_config_file(Config& config, const std::filesystem::path& file) {
  const std::string name = file.string();
  toml::table table;
  std::string text;
  try {
    text = read_input_file(file, 1 << 20);  // a config is a page of settings, never a FIFO
  } catch (const InputFileError& e) {
    throw ConfigError(name + ": " + e.what());
  }
  try {
    table = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                      std::string(e.description()));
  }
  // Apply to a copy so a bad file leaves `config` as it was.
  Config merged = config;
  merge_table(merged, table, {}, name);
  config = std::move(merged);
}

Config load_config(const std::filesystem::path& file) {
  Config config;
  merge_config_file(config, file);
  return config;
}

void apply_override(Config& config, std::string_view assignment) {
  const std::string source = "--set " + std::string(assignment);
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) throw ConfigError(source + ": expected key=value");
  std::string_view key = trim(assignment.substr(0, eq));
  std::string_view value = trim(assignment.substr(eq + 1));
  const Field* field = find_field(key);
  if (!field) throw ConfigError(source + ": unknown key '" + std::string(key) + "' (known keys: " + known_keys() + ")");
  std::string problem = std::visit(
      [&](auto* target) -> std::string {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, std::string>) {
          // Accept TOML-style quotes so a value can be pasted from a config file.
          if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
          return store_string(target, value, field->choices);
        } else {
          std::int64_t parsed = 0;
          auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
          if (value.empty() || ec != std::errc() || end != value.data() + value.size())
            return "expected an integer, got '" + std::string(value) + "'";
          return store_int(target, parsed, field->min);
        }
      },
      field->ref(config));
  if (!problem.empty()) throw ConfigError(source + ": " + problem);
}

std::string describe(const Config& config) {
  Config copy = config;  // the key table hands out mutable references
  std::string out;
  for (const auto& f : kFields) {
    out += out.empty() ? "" : " ";
    out += std::string(f.key) + "=";
    std::visit(
        [&](auto* v) {
          if constexpr (std::is_same_v<std::remove_pointer_t<decltype(v)>, std::string>)
            out += *v;
          else
            out += std::to_string(*v);
        },
        f.ref(copy));
  }
  return out;
}

std::string to_toml(const Config& config) {
  Config copy = config;
  toml::table root;
  for (const auto& f : kFields) {
    auto dot = f.key.find('.');
    toml::table* table = &root;
    std::string_view name = f.key;
    if (dot != std::string_view::npos) {
      auto [it, fresh] = root.insert(f.key.substr(0, dot), toml::table{});
      table = it->second.as_table();
      name = f.key.substr(dot + 1);
    }
    std::visit(
        [&](auto* v) {
          if constexpr (std::is_same_v<std::remove_pointer_t<decltype(v)>, std::string>) {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
            if (f.choices.find('#') != std::string_view::npos && !v->empty() && ec == std::errc() &&
                end == v->data() + v->size())
              table->insert(name, n);  // a number stays a TOML integer
            else
              table->insert(name, *v);
          }
          else
            table->insert(name, static_cast<std::int64_t>(*v));
        },
        f.ref(copy));
  }
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

}  // namespace megabatch
