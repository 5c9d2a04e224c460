// The shard queue: a Redis Stream of a run's shards, pulled by `megabatch worker`s through one
// consumer group. A worker acknowledges a shard once its outputs are written; while it runs one it
// claims it again every few seconds (its heartbeat), so a shard whose worker died goes idle and is
// claimed by another (XAUTOCLAIM past `claim_after_ms`), which resumes it from its run folder.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cache/redis_connection.hpp"

namespace megabatch::cache {

// One shard of a run: `megabatch run ARGS... --shard INDEX/COUNT --out OUT --resume`.
struct ShardJob {
  std::size_t index = 0, count = 1;
  std::string out;
  std::vector<std::string> args;  // the run's arguments, without --shard and --out
};

class ShardQueue {
 public:
  // `url` is redis://HOST[:PORT]/NAME: the stream's name.
  ShardQueue(const std::string& url, int timeout_ms = 5000);

  const std::string& name() const { return name_; }
  // Adds the jobs (and the consumer group, once).
  void submit(const std::vector<ShardJob>& jobs);

  struct Message {
    std::string id;
    ShardJob job;
    std::uint64_t deliveries = 1;  // 1: never given to another worker before
  };
  // A shard never delivered, else one idle for `claim_after_ms` (its worker died), else nothing.
  std::optional<Message> next(const std::string& consumer, std::int64_t claim_after_ms);
  // Keeps a running shard this consumer's: resets its idle time.
  void heartbeat(const std::string& consumer, const std::string& id);
  void ack(const std::string& id);
  // Gives a shard up for good: acknowledged, and recorded in the stream NAME:failed with `why`.
  void fail(const Message& m, const std::string& why);
  // Shards delivered and not yet acknowledged.
  std::uint64_t pending();

 private:
  using Reply = RedisConnection::Reply;
  std::optional<Message> parse_entry(const redisReply* entry);
  std::uint64_t deliveries(const std::string& id);

  std::string url_, name_;
  RedisConnection conn_;
};

}  // namespace megabatch::cache
