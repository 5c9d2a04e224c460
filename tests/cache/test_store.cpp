// The result cache's stores: LMDB (bounded, evicting the oldest, safe for several processes at once,
// a damaged file reported by path) and Redis (a server started on 127.0.0.1 for the test, and one that
// is not there).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "cache/store.hpp"
#include "../test_support.hpp"
#include "redis_server.hpp"

namespace megabatch::cache {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

std::string value_of(int k, std::size_t size = 40) {
  std::string v = "value " + std::to_string(k) + " ";
  v.resize(size, static_cast<char>('a' + k % 26));
  return v;
}

void expect_basic_behaviour(Store& s) {
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"k1", "one"}, {"k2", std::string("t\0wo", 4)}, {std::string(32, '\xff'), value_of(3, 5000)}};
  s.put(entries);
  const std::vector<std::string> keys = {"k1", "missing", "k2", std::string(32, '\xff')};
  auto got = s.get(keys);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "one");
  EXPECT_FALSE(got[1]);
  EXPECT_EQ(got[2], std::string("t\0wo", 4));
  EXPECT_EQ(got[3], value_of(3, 5000));
  // replacing keeps one entry
  const std::vector<std::pair<std::string, std::string>> again = {{"k1", "uno"}};
  s.put(again);
  EXPECT_EQ(s.get(std::vector<std::string>{"k1"})[0], "uno");
  EXPECT_EQ(s.stats().entries, 3u);
  std::set<std::string> seen;
  s.for_each([&](std::string_view k, std::string_view) { seen.emplace(k); });
  EXPECT_EQ(seen, (std::set<std::string>{"k1", "k2", std::string(32, '\xff')}));
  s.erase(std::vector<std::string>{"k2"});
  EXPECT_FALSE(s.get(std::vector<std::string>{"k2"})[0]);
  s.count(5, 7);
  s.count(1, 0);
  EXPECT_EQ(s.stats().hits, 6u);
  EXPECT_EQ(s.stats().misses, 7u);
  s.clear();
  EXPECT_EQ(s.stats().entries, 0u);
  EXPECT_FALSE(s.get(std::vector<std::string>{"k1"})[0]);
}

TEST(LmdbStore, StoresReplacesErasesCountsAndClears) {
  TempDir dir;
  auto s = open_lmdb_store(dir / "cache", {});
  EXPECT_EQ(s->where(), "lmdb:" + (dir / "cache").string());
  expect_basic_behaviour(*s);
}

TEST(LmdbStore, EntriesOutliveTheProcessThatWroteThem) {
  TempDir dir;
  {
    auto s = open_lmdb_store(dir / "c", {});
    s->put(std::vector<std::pair<std::string, std::string>>{{"key", "kept"}});
  }
  auto s = open_lmdb_store(dir / "c", {});
  EXPECT_EQ(s->get(std::vector<std::string>{"key"})[0], "kept");
}

TEST(LmdbStore, StaysWithinItsBoundByEvictingTheOldestEntries) {
  TempDir dir;
  StoreOptions o;
  o.max_bytes = 1 << 20;  // 1 MiB: room for about 600 entries of 1 KB below the 3/4 mark
  auto s = open_lmdb_store(dir / "c", o);
  constexpr int kEntries = 5000;  // 5 MB written in all
  for (int batch = 0; batch < kEntries / 100; ++batch) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int k = batch * 100; k < (batch + 1) * 100; ++k) entries.emplace_back("key" + std::to_string(k), value_of(k, 1000));
    ASSERT_NO_THROW(s->put(entries));
  }
  const StoreStats st = s->stats();
  EXPECT_LE(st.bytes, o.max_bytes * 6 / 10);  // entries kept near half the bound, the rest LMDB's room
  EXPECT_GT(st.evicted, 0u);
  EXPECT_LT(st.entries, static_cast<std::uint64_t>(kEntries));
  EXPECT_EQ(st.entries + st.evicted, static_cast<std::uint64_t>(kEntries));
  // the newest are there, the oldest gone
  auto got = s->get(std::vector<std::string>{"key0", "key" + std::to_string(kEntries - 1)});
  EXPECT_FALSE(got[0]);
  EXPECT_EQ(got[1], value_of(kEntries - 1, 1000));
}

// The bound is the cache's, set when it is made: a process asking for a smaller one neither evicts
// down to it nor shrinks the map under the others.
TEST(LmdbStore, TheBoundIsTheCachesNotEachProcesss) {
  TempDir dir;
  StoreOptions big, small;
  big.max_bytes = 64 << 20;
  small.max_bytes = 8 << 20;
  std::vector<std::pair<std::string, std::string>> entries;
  for (int k = 0; k < 6000; ++k) entries.emplace_back("key" + std::to_string(k), value_of(k, 1000));  // ~12 MB held
  open_lmdb_store(dir / "c", big)->put(entries);
  auto s = open_lmdb_store(dir / "c", small);
  EXPECT_EQ(s->stats().capacity, big.max_bytes);
  s->put(std::vector<std::pair<std::string, std::string>>{{"one more", "x"}});
  EXPECT_EQ(s->stats().entries, 6001u);
  EXPECT_EQ(s->stats().evicted, 0u);
  s->clear();
  EXPECT_EQ(open_lmdb_store(dir / "c", small)->stats().capacity, big.max_bytes);
}

TEST(LmdbStore, ADamagedFileIsACacheErrorNamingItsFolder) {
  TempDir dir;
  fs::create_directories(dir / "c");
  test::write_file(dir / "c/data.mdb", std::string(16384, 'x'));
  try {
    open_lmdb_store(dir / "c", {});
    FAIL() << "a damaged data.mdb opened";
  } catch (const CacheError& e) {
    EXPECT_NE(std::string(e.what()).find("cache lmdb:" + (dir / "c").string() + ": "), std::string::npos) << e.what();
  }
}

TEST(LmdbStore, AFolderThatCannotBeCreatedIsACacheError) {
  TempDir dir;
  test::write_file(dir / "file", "not a folder");
  EXPECT_THROW(open_lmdb_store(dir / "file/c", {}), CacheError);
}

// Four processes write into one cache at once (400 keys of their own each, 100 keys they all write);
// afterwards every key is there with a value one of them wrote.
TEST(LmdbStore, SeveralProcessesWriteAtOnce) {
  TempDir dir;
  const fs::path where = dir / "c";
  open_lmdb_store(where, {});  // created before the children start
  std::vector<pid_t> children;
  for (int p = 0; p < 4; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        auto s = open_lmdb_store(where, {});  // never an environment opened before fork
        for (int batch = 0; batch < 20; ++batch) {
          std::vector<std::pair<std::string, std::string>> entries;
          for (int k = 0; k < 20; ++k) entries.emplace_back("own" + std::to_string(p) + "-" + std::to_string(batch * 20 + k), value_of(p));
          for (int k = 0; k < 5; ++k) entries.emplace_back("shared" + std::to_string(batch * 5 + k), value_of(100 + p));
          s->put(entries);
          s->count(1, 1);
        }
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto s = open_lmdb_store(where, {});
  EXPECT_EQ(s->stats().entries, 4u * 400 + 100);
  EXPECT_EQ(s->stats().hits, 80u);
  for (int p = 0; p < 4; ++p)
    EXPECT_EQ(s->get(std::vector<std::string>{"own" + std::to_string(p) + "-399"})[0], value_of(p));
  auto shared = s->get(std::vector<std::string>{"shared0", "shared99"});
  for (const auto& v : shared) {
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->starts_with("value 10")) << *v;
  }
}

// ---- Redis -------------------------------------------------------------------------------------------

using test::free_port;
using test::have_redis_server;
using test::RedisServer;

TEST(RedisStore, StoresReplacesErasesCountsAndClears) {
  if (!have_redis_server()) GTEST_SKIP() << test::kNoRedisServer;
  RedisServer server;
  auto s = open_redis_store(server.url(3), {});
  EXPECT_EQ(s->where(), server.url(3));
  expect_basic_behaviour(*s);
  // a second client sees what the first wrote: the store is shared
  s->put(std::vector<std::pair<std::string, std::string>>{{"shared", "yes"}});
  EXPECT_EQ(open_redis_store(server.url(3), {})->get(std::vector<std::string>{"shared"})[0], "yes");
  EXPECT_FALSE(open_redis_store(server.url(4), {})->get(std::vector<std::string>{"shared"})[0]);  // another db
}

TEST(RedisStore, AServerThatIsNotThereIsACacheErrorNamingIt) {
  const std::string url = "redis://127.0.0.1:" + std::to_string(free_port()) + "/0";
  try {
    open_redis_store(url, {});
    FAIL() << "connected to nothing";
  } catch (const CacheError& e) {
    EXPECT_NE(std::string(e.what()).find("cache " + url + ": cannot connect"), std::string::npos) << e.what();
  }
}

TEST(RedisStore, AMalformedAddressIsACacheError) {
  for (const char* url : {"redis://host:port/0", "redis://127.0.0.1:99999", "redis://127.0.0.1:6379/x", "http://x"})
    EXPECT_THROW(open_redis_store(url, {}), CacheError) << url;
  EXPECT_THROW(open_store("maybe", "/tmp", {}), CacheError);
}

}  // namespace
}  // namespace megabatch::cache
