#include "cache/shard_queue.hpp"

#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace megabatch::cache {
namespace {

constexpr const char* kGroup = "megabatch";

std::string text(const redisReply* r) { return r && r->str ? std::string(r->str, r->len) : std::string(); }

RedisAddress queue_address(const std::string& url) {
  RedisAddress a = parse_redis_url(url);
  if (a.path.empty() || a.path.find('/') != std::string::npos)
    throw CacheError("queue " + url + ": expected redis://HOST[:PORT]/NAME, the stream's name after the port");
  return a;
}

}  // namespace

ShardQueue::ShardQueue(const std::string& url, int timeout_ms)
    : url_(url), name_(queue_address(url).path), conn_(queue_address(url), timeout_ms, url) {}

void ShardQueue::submit(const std::vector<ShardJob>& jobs) {
  try {
    conn_.command({"XGROUP", "CREATE", name_, kGroup, "0", "MKSTREAM"});
  } catch (const CacheError& e) {
    if (std::string(e.what()).find("BUSYGROUP") == std::string::npos) throw;  // the group is there already
  }
  for (const ShardJob& j : jobs) {
    nlohmann::json args = j.args;
    conn_.command({"XADD", name_, "*", "index", std::to_string(j.index), "count", std::to_string(j.count), "out", j.out,
                   "args", args.dump()});
  }
}

std::optional<ShardQueue::Message> ShardQueue::parse_entry(const redisReply* entry) {
  // [id, [field, value, ...]]; a deleted entry's fields are nil.
  if (!entry || entry->type != REDIS_REPLY_ARRAY || entry->elements != 2) return std::nullopt;
  Message m;
  m.id = text(entry->element[0]);
  const redisReply* fields = entry->element[1];
  if (!fields || fields->type != REDIS_REPLY_ARRAY) return std::nullopt;
  std::map<std::string, std::string> f;
  for (std::size_t k = 0; k + 1 < fields->elements; k += 2) f[text(fields->element[k])] = text(fields->element[k + 1]);
  try {
    m.job.index = std::stoul(f.at("index"));
    m.job.count = std::stoul(f.at("count"));
    m.job.out = f.at("out");
    m.job.args = nlohmann::json::parse(f.at("args")).get<std::vector<std::string>>();
  } catch (const std::exception&) {
    conn_.fail("entry " + m.id + " of " + name_ + " is not a shard job");
  }
  return m;
}

std::optional<ShardQueue::Message> ShardQueue::next(const std::string& consumer, std::int64_t claim_after_ms) {
  // New shards first: a dead worker's shard waits until it has been idle long enough.
  Reply r = conn_.command({"XREADGROUP", "GROUP", kGroup, consumer, "COUNT", "1", "STREAMS", name_, ">"});
  if (r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
    const redisReply* stream = r->element[0];
    if (stream->type == REDIS_REPLY_ARRAY && stream->elements == 2 && stream->element[1]->elements > 0)
      if (auto m = parse_entry(stream->element[1]->element[0])) return m;
  }
  Reply c = conn_.command({"XAUTOCLAIM", name_, kGroup, consumer, std::to_string(claim_after_ms), "0-0", "COUNT", "1"});
  if (c->type == REDIS_REPLY_ARRAY && c->elements >= 2 && c->element[1]->type == REDIS_REPLY_ARRAY &&
      c->element[1]->elements > 0)
    if (auto m = parse_entry(c->element[1]->element[0])) {
      m->deliveries = deliveries(m->id);
      return m;
    }
  return std::nullopt;
}

std::uint64_t ShardQueue::deliveries(const std::string& id) {
  Reply r = conn_.command({"XPENDING", name_, kGroup, id, id, "1"});
  if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 && r->element[0]->elements == 4)
    return static_cast<std::uint64_t>(r->element[0]->element[3]->integer);
  return 1;
}

void ShardQueue::heartbeat(const std::string& consumer, const std::string& id) {
  conn_.command({"XCLAIM", name_, kGroup, consumer, "0", id, "JUSTID"});
}

void ShardQueue::ack(const std::string& id) { conn_.command({"XACK", name_, kGroup, id}); }

void ShardQueue::fail(const Message& m, const std::string& why) {
  conn_.command({"XADD", name_ + ":failed", "*", "index", std::to_string(m.job.index), "count",
                 std::to_string(m.job.count), "out", m.job.out, "why", why});
  ack(m.id);
}

std::uint64_t ShardQueue::pending() {
  Reply r = conn_.command({"XPENDING", name_, kGroup});
  if (r->type == REDIS_REPLY_ARRAY && r->elements >= 1 && r->element[0]->type == REDIS_REPLY_INTEGER)
    return static_cast<std::uint64_t>(r->element[0]->integer);
  return 0;
}

}  // namespace megabatch::cache
