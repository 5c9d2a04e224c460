// Key-value stores behind the result cache (graph/result_cache.hpp): an embedded LMDB environment
// in cache_dir, or a shared Redis server. Keys and values are opaque bytes here; what they mean is
// the graph layer's. Every failure is a CacheError naming the store: the caller reports it in one
// line and runs on without the cache.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace megabatch::cache {

class CacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StoreStats {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;     // keys and values held (LMDB: pages in use)
  std::uint64_t capacity = 0;  // the bound eviction keeps under; 0: the server's own (Redis)
  // Lifetime counters kept in the store, summed over every run that used it.
  std::uint64_t hits = 0, misses = 0, evicted = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // "lmdb:PATH" or "redis://HOST:PORT/DB", for messages.
  virtual const std::string& where() const = 0;
  // One answer per key, in order: the value, or nothing for a miss.
  virtual std::vector<std::optional<std::string>> get(std::span<const std::string> keys) = 0;
  // Inserts or replaces; may evict the oldest entries to stay within the bound.
  virtual void put(std::span<const std::pair<std::string, std::string>> entries) = 0;
  virtual void erase(std::span<const std::string> keys) = 0;
  // Adds a run's hits and misses to the lifetime counters.
  virtual void count(std::uint64_t hits, std::uint64_t misses) = 0;
  virtual StoreStats stats() = 0;
  virtual void clear() = 0;
  // Visits every entry (for `megabatch cache verify`).
  virtual void for_each(const std::function<void(std::string_view key, std::string_view value)>& visit) = 0;
};

struct StoreOptions {
  std::uint64_t max_bytes = 2ull << 30;  // LMDB: the map size; eviction keeps entries under half of it
  int timeout_ms = 2000;                 // Redis: connect and command timeout
};

// `spec` is "on" (LMDB in `dir`, created when missing) or "redis://HOST[:PORT][/DB]".
std::unique_ptr<Store> open_store(const std::string& spec, const std::filesystem::path& dir, const StoreOptions& options);

// The LMDB store in `dir` and the Redis store at `url`, for tests and tools that want one directly.
std::unique_ptr<Store> open_lmdb_store(const std::filesystem::path& dir, const StoreOptions& options);
std::unique_ptr<Store> open_redis_store(const std::string& url, const StoreOptions& options);

}  // namespace megabatch::cache
