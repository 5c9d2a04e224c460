#include "cache/redis_connection.hpp"

#include <hiredis/hiredis.h>

#include <charconv>
#include <csignal>

namespace megabatch::cache {

RedisAddress parse_redis_url(const std::string& url) {
  const std::string bad = "cache " + url + ": not a redis://HOST[:PORT][/PATH] address";
  if (!url.starts_with("redis://")) throw CacheError(bad);
  std::string_view rest = std::string_view(url).substr(8);
  RedisAddress a;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    a.path = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
    if (ec != std::errc() || p != port.data() + port.size() || a.port <= 0 || a.port > 65535) throw CacheError(bad);
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) a.host = rest;
  return a;
}

void RedisConnection::ReplyFree::operator()(redisReply* r) const { freeReplyObject(r); }
void RedisConnection::ContextFree::operator()(redisContext* c) const { redisFree(c); }

RedisConnection::RedisConnection(const RedisAddress& address, int timeout_ms, std::string where)
    : where_(std::move(where)) {
  // hiredis writes with write(2): a server that reset the connection must be an error, not SIGPIPE.
  static const bool ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignored;
  const timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ctx_.reset(redisConnectWithTimeout(address.host.c_str(), address.port, timeout));
  if (!ctx_) fail("cannot allocate a connection");
  if (ctx_->err) fail(std::string("cannot connect: ") + ctx_->errstr);
  redisSetTimeout(ctx_.get(), timeout);
}

RedisConnection::~RedisConnection() = default;

void RedisConnection::fail(const std::string& what) const { throw CacheError("cache " + where_ + ": " + what); }

void RedisConnection::append(const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  for (const auto& a : argv) ptrs.push_back(a.data()), lens.push_back(a.size());
  if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), ptrs.data(), lens.data()) != REDIS_OK)
    fail(std::string("cannot send: ") + ctx_->errstr);
}

RedisConnection::Reply RedisConnection::read_reply() {
  void* raw = nullptr;
  if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || !raw)
    fail(std::string("connection lost: ") + (ctx_->err ? ctx_->errstr : "no reply"));
  Reply r(static_cast<redisReply*>(raw));
  if (r->type == REDIS_REPLY_ERROR) fail(std::string("server error: ") + std::string(r->str, r->len));
  return r;
}

RedisConnection::Reply RedisConnection::command(const std::vector<std::string>& argv) {
  append(argv);
  return read_reply();
}

}  // namespace megabatch::cache
