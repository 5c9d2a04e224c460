// The embedded store: one LMDB environment in cache_dir. LMDB because it is safe for many processes
// at once with no server (readers never block, one writer at a time through its lock file), a
// killed process cannot leave it half-written (copy-on-write pages, no recovery step), a hit is read
// straight from the memory map, and Debian ships it as one small library. SQLite would do the same
// job with a SQL layer we do not need; RocksDB allows one writing process only.
//
// Bounded: the map is `max_bytes`; before a batch would take entries past 1/2 of it, the oldest (by
// insertion) are evicted down to 1/4. The other half is LMDB's room to copy pages on write and
// to keep pages freed by recent commits. Three tables: results (key -> 8-byte sequence + value), order (sequence,
// big-endian -> key: insertion order for eviction) and meta (counters).
#include <lmdb.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <mutex>

#include "cache/store.hpp"

namespace megabatch::cache {
namespace {

std::array<char, 8> big_endian(std::uint64_t v) {
  std::array<char, 8> b{};
  for (int k = 7; k >= 0; --k, v >>= 8) b[k] = static_cast<char>(v & 0xff);
  return b;
}

std::uint64_t read_u64(const void* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, 8);  // little-endian hosts only write these (x86-64, arm64)
  return v;
}

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

class LmdbStore final : public Store {
 public:
  LmdbStore(const std::filesystem::path& dir, const StoreOptions& options)
      : where_("lmdb:" + dir.string()), max_bytes_(options.max_bytes) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail("cannot create the folder: " + ec.message());
    MDB_env* env = nullptr;
    check(mdb_env_create(&env), "mdb_env_create");
    env_.reset(env);
    check(mdb_env_set_maxdbs(env_.get(), 3), "mdb_env_set_maxdbs");
    check(mdb_env_set_maxreaders(env_.get(), 1024), "mdb_env_set_maxreaders");  // 8 instances x 64 tasks looking up
    check(mdb_env_set_mapsize(env_.get(), max_bytes_), "mdb_env_set_mapsize");
    // NOTLS: read transactions are not tied to threads (the batcher and the writer differ);
    // NOMETASYNC: a system crash may lose the last commit, never consistency.
    check(mdb_env_open(env_.get(), dir.c_str(), MDB_NOTLS | MDB_NOMETASYNC, 0644), "cannot open");
    int dead = 0;
    mdb_reader_check(env_.get(), &dead);  // slots of readers that died (SIGKILL) are freed
    Txn txn(*this, false);
    check(mdb_dbi_open(txn.t, "results", MDB_CREATE, &results_), "results table");
    check(mdb_dbi_open(txn.t, "order", MDB_CREATE, &order_), "order table");
    check(mdb_dbi_open(txn.t, "meta", MDB_CREATE, &meta_), "meta table");
    // The bound is the cache's, set by whoever made it: a process asking for another must neither
    // evict down to its own smaller bound nor grow the map under the others.
    if (const std::uint64_t bound = counter(txn.t, "bound"); bound != 0 && bound != max_bytes_) {
      txn.commit();
      spdlog::info("cache {}: bound {} MB, set when it was made (this run asks for {} MB; remove the folder to change it)",
                   where_, bound >> 20, max_bytes_ >> 20);
      max_bytes_ = bound;
      check(mdb_env_set_mapsize(env_.get(), max_bytes_), "mdb_env_set_mapsize");
      return;
    }
    check(set_counter(txn.t, "bound", max_bytes_), "write");
    txn.commit();
  }
  LmdbStore(const LmdbStore&) = delete;
  LmdbStore& operator=(const LmdbStore&) = delete;

  const std::string& where() const override { return where_; }

  std::vector<std::optional<std::string>> get(std::span<const std::string> keys) override {
    std::vector<std::optional<std::string>> out(keys.size());
    Txn txn(*this, true);
    for (std::size_t k = 0; k < keys.size(); ++k) {
      MDB_val key = val(keys[k]), data;
      const int rc = mdb_get(txn.t, results_, &key, &data);
      if (rc == MDB_NOTFOUND) continue;
      check(rc, "read");
      // An entry shorter than its header is answered as empty: the caller finds it malformed, a miss.
      out[k] = data.mv_size < 8 ? std::string() : std::string(view(data).substr(8));
    }
    return out;
  }

  void put(std::span<const std::pair<std::string, std::string>> entries) override {
    // Room is made before the batch goes in, for the batch too (twice its bytes: pages are not full).
    std::uint64_t batch = 0;
    for (const auto& [k, v] : entries) batch += 2 * (k.size() + v.size() + 16);
    const std::uint64_t high = max_bytes_ / 2, low = max_bytes_ / 4;
    for (int attempt = 0;; ++attempt) {
      {
        Txn txn(*this, false);
        int rc = evict(txn.t, high > batch ? high - batch : 0, low > batch ? low - batch : 0);
        if (rc == MDB_SUCCESS) rc = try_put(txn.t, entries);
        if (rc == MDB_SUCCESS) rc = txn.try_commit();
        if (rc == MDB_SUCCESS) return;
        if (rc != MDB_MAP_FULL) check(rc, "write");
      }
      if (attempt == 2) fail("full even after evicting most of it (an entry larger than the cache?)");
      make_room();
    }
  }

  void erase(std::span<const std::string> keys) override {
    Txn txn(*this, false);
    for (const auto& k : keys) check(remove(txn.t, k), "delete");
    txn.commit();
  }

  void count(std::uint64_t hits, std::uint64_t misses) override {
    Txn txn(*this, false);
    add_counter(txn.t, "hits", hits);
    add_counter(txn.t, "misses", misses);
    txn.commit();
  }

  StoreStats stats() override {
    Txn txn(*this, true);
    StoreStats s;
    MDB_stat st;
    check(mdb_stat(txn.t, results_, &st), "stat");
    s.entries = st.ms_entries;
    s.bytes = usage(txn.t);
    s.capacity = max_bytes_;
    s.hits = counter(txn.t, "hits");
    s.misses = counter(txn.t, "misses");
    s.evicted = counter(txn.t, "evicted");
    return s;
  }

  void clear() override {
    Txn txn(*this, false);
    check(mdb_drop(txn.t, results_, 0), "clear");
    check(mdb_drop(txn.t, order_, 0), "clear");
    check(mdb_drop(txn.t, meta_, 0), "clear");
    check(set_counter(txn.t, "bound", max_bytes_), "write");  // the bound stays the cache's
    txn.commit();
  }

  void for_each(const std::function<void(std::string_view, std::string_view)>& visit) override {
    Txn txn(*this, true);
    MDB_cursor* cursor = nullptr;
    check(mdb_cursor_open(txn.t, results_, &cursor), "cursor");
    MDB_val key, data;
    int rc = mdb_cursor_get(cursor, &key, &data, MDB_FIRST);
    for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(cursor, &key, &data, MDB_NEXT))
      visit(view(key), data.mv_size >= 8 ? view(data).substr(8) : std::string_view());
    mdb_cursor_close(cursor);
    if (rc != MDB_NOTFOUND) check(rc, "read");
  }

 private:
  // A transaction that aborts unless committed. A map grown by another process is adopted.
  struct Txn {
    LmdbStore& s;
    MDB_txn* t = nullptr;
    Txn(LmdbStore& store, bool read_only) : s(store) {
      // MDB_MAP_RESIZED (another process grew the map) is an error here: adopting the new size
      // would unmap the file under this process's other transactions. The bound is the cache's
      // (see the constructor), so only a cache cleared and remade with another bound meets it.
      s.check(mdb_txn_begin(s.env_.get(), nullptr, read_only ? MDB_RDONLY : 0, &t), "begin a transaction");
    }
    ~Txn() { abort(); }
    Txn(const Txn&) = delete;
    Txn& operator=(const Txn&) = delete;
    int try_commit() {
      const int rc = mdb_txn_commit(t);
      t = nullptr;  // committed or not, the handle is freed
      return rc;
    }
    void commit() { s.check(try_commit(), "commit"); }
    void abort() {
      if (t) mdb_txn_abort(t);
      t = nullptr;
    }
  };

  [[noreturn]] void fail(const std::string& what) const { throw CacheError("cache " + where_ + ": " + what); }
  void check(int rc, const char* what) const {
    if (rc != MDB_SUCCESS) fail(std::string(what) + ": " + mdb_strerror(rc));
  }

  int try_put(MDB_txn* t, std::span<const std::pair<std::string, std::string>> entries) {
    std::uint64_t seq = counter(t, "seq");
    for (const auto& [k, v] : entries) {
      if (int rc = remove(t, k); rc != MDB_SUCCESS) return rc;
      std::string data(8, '\0');
      std::memcpy(data.data(), &seq, 8);
      data += v;
      MDB_val key = val(k), value = val(data);
      if (int rc = mdb_put(t, results_, &key, &value, 0); rc != MDB_SUCCESS) return rc;
      const auto order_key = big_endian(seq);
      MDB_val okey{8, const_cast<char*>(order_key.data())}, ovalue = val(k);
      if (int rc = mdb_put(t, order_, &okey, &ovalue, 0); rc != MDB_SUCCESS) return rc;
      ++seq;
    }
    return set_counter(t, "seq", seq);
  }

  // Deletes `key` and its place in the insertion order; MDB_MAP_FULL is returned (a deletion needs
  // free pages too) for put's eviction to retry.
  int remove(MDB_txn* t, std::string_view k) {
    MDB_val key = val(k), data;
    int rc = mdb_get(t, results_, &key, &data);
    if (rc == MDB_NOTFOUND) return MDB_SUCCESS;
    if (rc != MDB_SUCCESS) return rc;
    if (data.mv_size >= 8) {
      const auto order_key = big_endian(read_u64(data.mv_data));
      MDB_val okey{8, const_cast<char*>(order_key.data())};
      rc = mdb_del(t, order_, &okey, nullptr);
      if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) return rc;
    }
    return mdb_del(t, results_, &key, nullptr);
  }

  std::uint64_t usage(MDB_txn* t) const {
    std::uint64_t bytes = 0;
    for (MDB_dbi d : {results_, order_, meta_}) {
      MDB_stat st;
      check(mdb_stat(t, d, &st), "stat");
      bytes += (st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) * std::uint64_t{st.ms_psize};
    }
    return bytes;
  }

  // Oldest first, while more than `above` is in use, down to `target`; at most `limit` entries.
  // Returns MDB_MAP_FULL when the deletions themselves found no free page (the caller aborts).
  int evict(MDB_txn* t, std::uint64_t above, std::uint64_t target, std::uint64_t limit = UINT64_MAX) {
    if (usage(t) <= above) return MDB_SUCCESS;
    MDB_cursor* cursor = nullptr;
    check(mdb_cursor_open(t, order_, &cursor), "cursor");
    std::uint64_t evicted = 0;
    int rc = MDB_SUCCESS;
    MDB_val okey, ovalue;
    while (evicted < limit && mdb_cursor_get(cursor, &okey, &ovalue, MDB_FIRST) == MDB_SUCCESS) {
      MDB_val key = ovalue;
      rc = mdb_del(t, results_, &key, nullptr);
      if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) break;
      if ((rc = mdb_cursor_del(cursor, 0)) != MDB_SUCCESS) break;
      if (++evicted % 64 == 0 && usage(t) <= target) break;
    }
    mdb_cursor_close(cursor);
    if (rc != MDB_SUCCESS) return rc;
    return bump_counter(t, "evicted", evicted);
  }

  // After a full map: evict half of what is held, a few entries a transaction (a deletion needs free
  // pages too), then one more commit, since the pages a commit frees are reused only after the next.
  void make_room() {
    std::uint64_t target = 0;
    {
      Txn txn(*this, true);
      target = usage(txn.t) / 2;
    }
    for (int round = 0; round < 4096; ++round) {
      Txn txn(*this, false);
      if (usage(txn.t) <= target) break;
      const int rc = evict(txn.t, 0, target, 128);
      if (rc == MDB_MAP_FULL) fail("full, and no room left even to evict");
      check(rc, "evict");
      txn.commit();
    }
    Txn step(*this, false);
    check(set_counter(step.t, "seq", counter(step.t, "seq")), "write");
    step.commit();
  }

  std::uint64_t counter(MDB_txn* t, std::string_view name) const {
    MDB_val key = val(name), data;
    const int rc = mdb_get(t, meta_, &key, &data);
    if (rc == MDB_NOTFOUND) return 0;
    check(rc, "read");
    return data.mv_size == 8 ? read_u64(data.mv_data) : 0;
  }
  int set_counter(MDB_txn* t, std::string_view name, std::uint64_t v) {
    MDB_val key = val(name), data{8, &v};
    return mdb_put(t, meta_, &key, &data, 0);
  }
  int bump_counter(MDB_txn* t, std::string_view name, std::uint64_t n) {
    return n ? set_counter(t, name, counter(t, name) + n) : MDB_SUCCESS;
  }
  void add_counter(MDB_txn* t, std::string_view name, std::uint64_t n) { check(bump_counter(t, name, n), "write"); }

  std::string where_;
  std::uint64_t max_bytes_;
  struct EnvClose {
    void operator()(MDB_env* e) const { mdb_env_close(e); }
  };
  std::unique_ptr<MDB_env, EnvClose> env_;  // closed last: every transaction is gone by then
  MDB_dbi results_ = 0, order_ = 0, meta_ = 0;
};

}  // namespace

std::unique_ptr<Store> open_lmdb_store(const std::filesystem::path& dir, const StoreOptions& options) {
  return std::make_unique<LmdbStore>(dir, options);
}

}  // namespace megabatch::cache
