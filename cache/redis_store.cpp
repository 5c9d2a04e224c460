// The shared store: a Redis server that several instances and machines use at once. Entries are
// `megabatch:r:<hex key>` strings that expire after 30 days; the bound is the server's (maxmemory with
// volatile-lru, which leaves a shard queue on the same server alone), lifetime counters are
// `megabatch:stat:*`. One connection per store,
// used under a lock: a hiredis context is not thread-safe.
#include <hiredis/hiredis.h>

#include <charconv>
#include <mutex>

#include "cache/redis_connection.hpp"
#include "cache/store.hpp"

namespace megabatch::cache {
namespace {

constexpr std::string_view kEntryPrefix = "megabatch:r:";
// Entries expire after 30 days: with maxmemory-policy volatile-lru the server evicts cache entries
// only, never a shard queue's stream sharing it (whose keys have no expiry).
constexpr const char* kEntrySeconds = "2592000";

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += digits[c >> 4], out += digits[c & 15];
  return out;
}

std::string unhex(std::string_view text) {
  std::string out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t k = 0; k + 1 < text.size(); k += 2)
    out += static_cast<char>(nibble(text[k]) << 4 | nibble(text[k + 1]));
  return out;
}

class RedisStore final : public Store {
 public:
  RedisStore(const std::string& url, const StoreOptions& options) : where_(url) {
    const RedisAddress a = parse_redis_url(url);
    int db = 0;
    if (!a.path.empty()) {
      auto [p, ec] = std::from_chars(a.path.data(), a.path.data() + a.path.size(), db);
      if (ec != std::errc() || p != a.path.data() + a.path.size() || db < 0)
        throw CacheError("cache " + url + ": not a redis://HOST[:PORT][/DB] address");
    }
    conn_ = std::make_unique<RedisConnection>(a, options.timeout_ms, url);
    if (db != 0) command({"SELECT", std::to_string(db)});
    else command({"PING"});
  }

  const std::string& where() const override { return where_; }

  std::vector<std::optional<std::string>> get(std::span<const std::string> keys) override {
    std::vector<std::optional<std::string>> out(keys.size());
    constexpr std::size_t kChunk = 512;
    std::lock_guard lock(mutex_);
    for (std::size_t at = 0; at < keys.size(); at += kChunk) {
      std::vector<std::string> argv{"MGET"};
      for (std::size_t k = at; k < keys.size() && k < at + kChunk; ++k) argv.push_back(entry(keys[k]));
      Reply r = command_locked(argv);
      if (r->type != REDIS_REPLY_ARRAY || r->elements != argv.size() - 1) fail("MGET: unexpected reply");
      for (std::size_t k = 0; k < r->elements; ++k)
        if (r->element[k]->type == REDIS_REPLY_STRING) out[at + k] = std::string(r->element[k]->str, r->element[k]->len);
    }
    return out;
  }

  void put(std::span<const std::pair<std::string, std::string>> entries) override {
    std::lock_guard lock(mutex_);
    // Pipelined: every SET is sent, then every reply read.
    for (const auto& [k, v] : entries) append({"SET", entry(k), v, "EX", kEntrySeconds});
    for (std::size_t k = 0; k < entries.size(); ++k) read_reply();
  }

  void erase(std::span<const std::string> keys) override {
    if (keys.empty()) return;
    std::vector<std::string> argv{"DEL"};
    for (const auto& k : keys) argv.push_back(entry(k));
    command(argv);
  }

  void count(std::uint64_t hits, std::uint64_t misses) override {
    command({"INCRBY", "megabatch:stat:hits", std::to_string(hits)});
    command({"INCRBY", "megabatch:stat:misses", std::to_string(misses)});
  }

  StoreStats stats() override {
    StoreStats s;
    scan([&](const std::vector<std::string>& keys) { s.entries += keys.size(); });
    Reply info = command({"INFO", "memory"});
    if (info->type == REDIS_REPLY_STRING || info->type == REDIS_REPLY_STATUS) {
      std::string_view text(info->str, info->len);
      if (auto at = text.find("used_memory:"); at != std::string_view::npos) {
        text.remove_prefix(at + 12);
        std::from_chars(text.data(), text.data() + text.size(), s.bytes);
      }
    }
    s.hits = number("megabatch:stat:hits");
    s.misses = number("megabatch:stat:misses");
    return s;
  }

  void clear() override {
    scan([&](const std::vector<std::string>& keys) {
      std::vector<std::string> argv{"DEL"};
      argv.insert(argv.end(), keys.begin(), keys.end());
      command(argv);
    });
    command({"DEL", "megabatch:stat:hits", "megabatch:stat:misses"});
  }

  void for_each(const std::function<void(std::string_view, std::string_view)>& visit) override {
    scan([&](const std::vector<std::string>& keys) {
      std::vector<std::string> argv{"MGET"};
      argv.insert(argv.end(), keys.begin(), keys.end());
      Reply r = command(argv);
      if (r->type != REDIS_REPLY_ARRAY) fail("MGET: unexpected reply");
      for (std::size_t k = 0; k < r->elements && k < keys.size(); ++k)
        if (r->element[k]->type == REDIS_REPLY_STRING)
          visit(unhex(std::string_view(keys[k]).substr(kEntryPrefix.size())),
                std::string_view(r->element[k]->str, r->element[k]->len));
    });
  }

 private:
  using Reply = RedisConnection::Reply;

  [[noreturn]] void fail(const std::string& what) const { conn_->fail(what); }
  static std::string entry(std::string_view key) { return std::string(kEntryPrefix) + hex(key); }

  void append(const std::vector<std::string>& argv) { conn_->append(argv); }
  Reply read_reply() { return conn_->read_reply(); }
  Reply command_locked(const std::vector<std::string>& argv) { return conn_->command(argv); }
  Reply command(const std::vector<std::string>& argv) {
    std::lock_guard lock(mutex_);
    return command_locked(argv);
  }
  std::uint64_t number(const std::string& key) {
    Reply r = command({"GET", key});
    std::uint64_t v = 0;
    if (r->type == REDIS_REPLY_STRING) std::from_chars(r->str, r->str + r->len, v);
    return v;
  }
  // Every entry key, in batches (SCAN: never blocks the server as KEYS would).
  void scan(const std::function<void(const std::vector<std::string>&)>& batch) {
    std::string cursor = "0";
    do {
      Reply r = command({"SCAN", cursor, "MATCH", std::string(kEntryPrefix) + "*", "COUNT", "1000"});
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) fail("SCAN: unexpected reply");
      cursor.assign(r->element[0]->str, r->element[0]->len);
      std::vector<std::string> keys;
      for (std::size_t k = 0; k < r->element[1]->elements; ++k)
        keys.emplace_back(r->element[1]->element[k]->str, r->element[1]->element[k]->len);
      if (!keys.empty()) batch(keys);
    } while (cursor != "0");
  }

  std::string where_;
  std::unique_ptr<RedisConnection> conn_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<Store> open_redis_store(const std::string& url, const StoreOptions& options) {
  return std::make_unique<RedisStore>(url, options);
}

std::unique_ptr<Store> open_store(const std::string& spec, const std::filesystem::path& dir, const StoreOptions& options) {
  if (spec.starts_with("redis://")) return open_redis_store(spec, options);
  if (spec == "on") return open_lmdb_store(dir, options);
  throw CacheError("cache: '" + spec + "' is neither on, off nor a redis:// address");
}

}  // namespace megabatch::cache
