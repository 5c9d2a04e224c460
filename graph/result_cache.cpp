#include "graph/result_cache.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <shared_mutex>

#include "engine/md5.hpp"
#include "engine/program/fingerprint.hpp"

namespace megabatch::graph {
namespace {

constexpr std::string_view kMagic = "MBP1";
constexpr std::size_t kFlushEntries = 1024;  // a commit per this many pairs: few fsyncs, little lost to a crash

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

template <class T>
void put_raw(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

// Reads fixed-size fields off the front of a record; any overrun marks it bad.
struct Reader {
  std::string_view rest;
  bool bad = false;
  template <class T>
  T take() {
    T v{};
    if (rest.size() < sizeof(T)) {
      bad = true;
      return v;
    }
    std::memcpy(&v, rest.data(), sizeof(T));
    rest.remove_prefix(sizeof(T));
    return v;
  }
};

struct Decoded {
  std::vector<std::uint8_t> train, test;
  std::vector<std::optional<Grid>> predictions;
  std::int64_t cost = 0;
};

std::optional<Decoded> decode(std::string_view record) {
  if (record.size() < kMagic.size() + 8 || record.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const std::string_view body = record.substr(0, record.size() - 8);
  std::uint64_t checksum = 0;
  std::memcpy(&checksum, record.data() + body.size(), 8);
  if (fnv1a(body) != checksum) return std::nullopt;
  Reader r{body.substr(kMagic.size())};
  Decoded d;
  const auto ntrain = r.take<std::uint16_t>(), ntest = r.take<std::uint16_t>();
  for (std::uint16_t k = 0; k < ntrain; ++k) d.train.push_back(r.take<std::uint8_t>());
  for (std::uint16_t k = 0; k < ntest; ++k) d.test.push_back(r.take<std::uint8_t>());
  for (std::uint16_t k = 0; k < ntest; ++k) {
    if (r.take<std::uint8_t>() == 0) {
      d.predictions.emplace_back();
      continue;
    }
    const int h = r.take<std::uint8_t>(), w = r.take<std::uint8_t>();
    if (h < 1 || w < 1 || h > kMaxArcSide || w > kMaxArcSide) return std::nullopt;
    Grid g(h, w);
    for (Color& c : g.cells) {
      c = r.take<std::uint8_t>();
      if (c > kMaxArcColor) return std::nullopt;
    }
    d.predictions.push_back(std::move(g));
  }
  d.cost = r.take<std::int64_t>();
  if (r.bad || !r.rest.empty() || d.cost < 0) return std::nullopt;
  for (std::uint8_t s : d.train)
    if (s > static_cast<std::uint8_t>(SampleStatus::Budget)) return std::nullopt;
  for (std::uint8_t s : d.test)
    if (s > static_cast<std::uint8_t>(SampleStatus::Budget)) return std::nullopt;
  return d;
}

}  // namespace

std::string encode_pair(const PairResult& pair) {
  std::string out(kMagic);
  put_raw(out, static_cast<std::uint16_t>(pair.train.size()));
  put_raw(out, static_cast<std::uint16_t>(pair.test.size()));
  for (SampleStatus s : pair.train) put_raw(out, static_cast<std::uint8_t>(s));
  for (SampleStatus s : pair.test) put_raw(out, static_cast<std::uint8_t>(s));
  for (const auto& g : pair.predictions) {
    put_raw(out, static_cast<std::uint8_t>(g ? 1 : 0));
    if (!g) continue;
    put_raw(out, static_cast<std::uint8_t>(g->h));
    put_raw(out, static_cast<std::uint8_t>(g->w));
    for (Color c : g->cells) put_raw(out, static_cast<std::uint8_t>(c));
  }
  put_raw(out, pair.cost);
  put_raw(out, fnv1a(out));
  return out;
}

bool well_formed_pair(std::string_view record) { return decode(record).has_value(); }

std::optional<PairResult> decode_pair(std::string_view record, const Task& task, std::uint32_t program) {
  auto d = decode(record);
  if (!d || d->train.size() != task.train.size() || d->test.size() != task.test.size()) return std::nullopt;
  PairResult p;
  p.program = program;
  for (std::uint8_t s : d->train) p.train.push_back(static_cast<SampleStatus>(s));
  for (std::uint8_t s : d->test) p.test.push_back(static_cast<SampleStatus>(s));
  p.predictions = std::move(d->predictions);
  p.cost = d->cost;
  p.cached = true;
  return p;
}

namespace {

std::string raw_md5(std::string_view text) {
  Md5 h;
  h.update(text);
  const auto d = h.digest();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

ResultCache::ResultCache(std::unique_ptr<cache::Store> store, const program::Dag& dag, const std::vector<Task>& tasks,
                         std::string settings, int semantics)
    : store_(std::move(store)), tasks_(tasks), settings_(std::move(settings)) {
  metrics_.where = store_ ? store_->where() : "";
  // A key is the task's 16 bytes then the program's: no hashing per pair. The task's half carries
  // the semantics version and the settings.
  for (std::size_t p = 0; p < dag.programs().size(); ++p)
    program_keys_.push_back(raw_md5(program::program_fingerprint(dag, p)));
  for (const Task& t : tasks)
    task_keys_.push_back(raw_md5("pair/1 semantics " + std::to_string(semantics) + "\n" +
                                 task_fingerprint(t) + "\n" + settings_));
}

ResultCache::~ResultCache() {
  try {
    flush();
  } catch (...) {  // flush reports its own failures; a destructor never throws
  }
}

std::string ResultCache::key(std::uint32_t program, std::uint32_t task) const {
  // The task's half first: a task's pairs are neighbours in the store, so looking them up together
  // reads a few pages instead of one per pair.
  return task_keys_[task] + program_keys_[program];
}

bool ResultCache::active() const {
  std::shared_lock lock(store_mutex_);
  return store_ != nullptr;
}

void ResultCache::disable(const cache::Store* failed, const std::exception& e) {
  std::unique_lock lock(store_mutex_);
  if (store_.get() != failed) return;  // another thread has already said it
  spdlog::error("{}; the run goes on without the cache", e.what());
  store_.reset();
  std::lock_guard m(mutex_);
  metrics_.failed = e.what();
  pending_.clear();
}

std::vector<std::optional<PairResult>> ResultCache::find(std::uint32_t task, std::span<const std::uint32_t> programs) {
  std::vector<std::optional<PairResult>> out(programs.size());
  std::vector<std::string> keys;
  keys.reserve(programs.size());
  for (std::uint32_t p : programs) keys.push_back(key(p, task));
  std::vector<std::optional<std::string>> found;
  {
    // Shared: lookups of several tasks run at once (both stores take concurrent readers).
    std::shared_lock lock(store_mutex_);
    if (!store_) return out;
    const cache::Store* store = store_.get();
    try {
      found = store_->get(keys);
    } catch (const std::exception& e) {
      lock.unlock();
      disable(store, e);
      return out;
    }
  }
  CacheMetrics m;
  for (std::size_t k = 0; k < programs.size(); ++k) {
    if (!found[k]) {
      ++m.misses;
      continue;
    }
    m.bytes_read += found[k]->size();
    out[k] = decode_pair(*found[k], tasks_[task], programs[k]);
    if (!out[k]) {
      ++m.corrupt;  // a miss: recomputed, and the entry replaced
      ++m.misses;
      continue;
    }
    ++m.hits;
    for (SampleStatus s : out[k]->train) m.evaluations_saved += s != SampleStatus::Skipped;
    for (SampleStatus s : out[k]->test) m.evaluations_saved += s != SampleStatus::Skipped;
  }
  std::lock_guard lock(mutex_);
  metrics_.hits += m.hits;
  metrics_.misses += m.misses;
  metrics_.corrupt += m.corrupt;
  metrics_.bytes_read += m.bytes_read;
  metrics_.evaluations_saved += m.evaluations_saved;
  return out;
}

void ResultCache::add(std::uint32_t task, const PairResult& pair) {
  if (pair.cached || pair.timed_out) return;  // a timed-out pair depends on the machine's load
  bool full = false;
  {
    std::lock_guard lock(mutex_);
    if (!active_locked()) return;
    pending_.emplace_back(key(pair.program, task), encode_pair(pair));
    full = pending_.size() >= kFlushEntries;
  }
  if (full) flush();
}

void ResultCache::flush() {
  std::vector<std::pair<std::string, std::string>> batch;
  std::uint64_t hits = 0, misses = 0;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    hits = metrics_.hits - counted_hits_;
    misses = metrics_.misses - counted_misses_;
    counted_hits_ = metrics_.hits;
    counted_misses_ = metrics_.misses;
  }
  std::shared_lock lock(store_mutex_);
  if (!store_) return;
  const cache::Store* store = store_.get();
  try {
    if (!batch.empty()) store_->put(batch);
    if (hits || misses) store_->count(hits, misses);
  } catch (const std::exception& e) {
    lock.unlock();
    disable(store, e);
    return;
  }
  std::lock_guard m(mutex_);
  metrics_.stored += batch.size();
  for (const auto& [k, v] : batch) metrics_.bytes_written += k.size() + v.size();
}

CacheMetrics ResultCache::metrics() const {
  std::lock_guard lock(mutex_);
  return metrics_;
}

bool ResultCache::active_locked() const { return metrics_.failed.empty(); }

}  // namespace megabatch::graph
