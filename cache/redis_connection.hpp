// One hiredis connection: connect with a timeout, commands as argument vectors, replies owned. Used
// by the Redis result store and the shard queue. Not thread-safe (a hiredis context is not): each
// user holds its own or a lock. Failures are CacheError naming `where`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cache/store.hpp"

struct redisContext;
struct redisReply;

namespace megabatch::cache {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string path;  // after the port's '/': a database number, or a stream's name
};

// "redis://HOST[:PORT][/PATH]"; throws CacheError on anything else.
RedisAddress parse_redis_url(const std::string& url);

class RedisConnection {
 public:
  struct ReplyFree {
    void operator()(redisReply* r) const;
  };
  using Reply = std::unique_ptr<redisReply, ReplyFree>;

  RedisConnection(const RedisAddress& address, int timeout_ms, std::string where);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends a command and reads its reply; an error reply is a CacheError.
  Reply command(const std::vector<std::string>& argv);
  // Pipelining: queue commands, then read their replies in order.
  void append(const std::vector<std::string>& argv);
  Reply read_reply();
  const std::string& where() const { return where_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  struct ContextFree {
    void operator()(redisContext* c) const;
  };
  std::string where_;
  std::unique_ptr<redisContext, ContextFree> ctx_;
};

}  // namespace megabatch::cache
