// `megabatch cache stats|clear|verify`: the result cache that the config names (cache, cache_dir),
// looked at and looked after without a run.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/cache_setup.hpp"
#include "app/commands.hpp"
#include "app/config_options.hpp"

namespace megabatch::app {
namespace {

struct CacheOptions {
  ConfigOptions config;
  bool delete_bad = false;
};

int cache_command(const CacheOptions& o, const std::string& action) {
  const Config config = effective_config(o.config);
  std::unique_ptr<cache::Store> store;
  try {
    store = open_configured_store(config);
  } catch (const cache::CacheError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailure;
  }
  if (!store) {
    std::printf("the cache is off (cache = \"off\"): nothing to %s\n", action.c_str());
    return kExitOk;
  }
  try {
    if (action == "stats") {
      const cache::StoreStats s = store->stats();
      const std::uint64_t looked = s.hits + s.misses;
      std::printf("cache %s\n", store->where().c_str());
      std::printf("entries %llu\n", static_cast<unsigned long long>(s.entries));
      if (s.capacity)
        std::printf("bytes %.1f MB in use, bound %.0f MB (the oldest entries go past half of it)\n", s.bytes / 1e6,
                    s.capacity / 1048576.0);
      else
        std::printf("bytes %.1f MB used by the server (its maxmemory policy bounds it)\n", s.bytes / 1e6);
      std::printf("lifetime: %llu hits, %llu misses (%.1f%%), %llu evicted\n", static_cast<unsigned long long>(s.hits),
                  static_cast<unsigned long long>(s.misses), looked ? 100.0 * s.hits / looked : 0.0,
                  static_cast<unsigned long long>(s.evicted));
      return kExitOk;
    }
    if (action == "clear") {
      const std::uint64_t before = store->stats().entries;
      store->clear();
      std::printf("cache %s: cleared %llu entries\n", store->where().c_str(), static_cast<unsigned long long>(before));
      return kExitOk;
    }
    // verify: every entry's record is checked (layout and checksum).
    std::uint64_t entries = 0;
    std::vector<std::string> bad;
    store->for_each([&](std::string_view key, std::string_view value) {
      ++entries;
      if (key.size() != 32 || !graph::well_formed_pair(value)) bad.emplace_back(key);
    });
    std::printf("cache %s: %llu entries, %zu malformed\n", store->where().c_str(),
                static_cast<unsigned long long>(entries), bad.size());
    if (bad.empty()) return kExitOk;
    if (!o.delete_bad) {
      std::printf("rerun with --delete-bad to remove them (a run also replaces each one it meets)\n");
      return kExitFailure;
    }
    store->erase(bad);
    std::printf("removed %zu malformed entries\n", bad.size());
    return kExitOk;
  } catch (const cache::CacheError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailure;
  }
}

const Registrar registrar{"cache", 85, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto o = std::make_shared<CacheOptions>();
  auto* cmd = app.add_subcommand("cache", "Look after the result cache: stats, clear or verify");
  cmd->require_subcommand(1);
  auto* stats = cmd->add_subcommand("stats", "Entries, bytes and lifetime hit rate");
  auto* clear = cmd->add_subcommand("clear", "Remove every entry");
  auto* verify = cmd->add_subcommand("verify", "Check every entry's layout and checksum");
  verify->add_flag("--delete-bad", o->delete_bad, "remove the malformed entries found");
  for (auto* sub : {stats, clear, verify}) add_config_options(*sub, o->config);
  return [o, stats, clear] {
    return cache_command(*o, stats->parsed() ? "stats" : clear->parsed() ? "clear" : "verify");
  };
}};

}  // namespace
}  // namespace megabatch::app
