#include "store/database.hpp"

#include <atomic>
#include <chrono>

#include "core/log.hpp"

namespace tiptop::store {

std::string_view row_lock(const Connection& c) { return c.engine() == Engine::postgres ? " FOR UPDATE" : ""; }

Database::Database(std::size_t workers) : workers_(workers) {}

Database::~Database() { stop_workers(); }

void Database::stop_workers() {
  workers_.stop();
  workers_.join();
}

void Database::with_connection(const std::function<void(Connection&)>& f) {
  // A pooled connection may have died with a server restart; reads are safe to run again once.
  for (int attempt = 0;; ++attempt) {
    auto lease = acquire();
    try {
      f(*lease);
      return;
    } catch (const ConnectionLost& e) {
      discard(*lease);
      if (attempt > 0) throw;
      log::warn("database connection lost, retrying on a new one", {{"error", e.what()}});
    }
  }
}

void Database::with_transaction(const std::function<void(Connection&)>& f) {
  // A write transaction opened inside another on the same thread would wait for itself for ever.
  thread_local const Database* writing = nullptr;
  if (writing == this) throw std::logic_error("nested write transaction");
  std::unique_lock<FifoMutex> turn;
  if (auto* queue = writer_queue()) turn = std::unique_lock<FifoMutex>(*queue);
  writing = this;
  struct Done {
    const Database*& w;
    ~Done() { w = nullptr; }
  } done{writing};
  for (int attempt = 0;; ++attempt) {
    auto lease = acquire();
    try {
      lease->execute(begin_statement());
    } catch (const ConnectionLost& e) {
      // Nothing ran yet, so a fresh connection can start the transaction again.
      discard(*lease);
      if (attempt > 0) throw;
      log::warn("database connection lost before BEGIN, retrying", {{"error", e.what()}});
      continue;
    }
    try {
      f(*lease);
      lease->execute("COMMIT");
      return;
    } catch (const ConnectionLost&) {
      discard(*lease);  // the server rolls back an unfinished transaction when the session dies
      throw;
    } catch (...) {
      try {
        lease->execute("ROLLBACK");
      } catch (...) {
        discard(*lease);
      }
      throw;
    }
  }
}

namespace {

std::int64_t steady_ms() { return std::chrono::steady_clock::now().time_since_epoch() / std::chrono::milliseconds(1); }
constexpr std::int64_t kReplicaRestMs = 10'000;

}  // namespace

bool Database::replica_usable() const { return steady_ms() >= replica_rests_until_.load(); }

void Database::replica_unavailable() {
  replica_rests_until_ = steady_ms() + kReplicaRestMs;
  log::warn("read replica unavailable; reading from the primary for a while", {{"seconds", kReplicaRestMs / 1000}});
}

asio::awaitable<bool> Database::ping() {
  try {
    co_await read([](Connection& c) { c.query("SELECT 1"); });
    co_return true;
  } catch (...) {
    co_return false;
  }
}

}  // namespace tiptop::store
