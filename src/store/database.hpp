#pragma once
// The storage interface domain code sees. SQL uses '?' placeholders on both engines (the PostgreSQL
// driver numbers them); work runs on the database's worker pool and is co_awaited.
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/blocking.hpp"
#include "core/errors.hpp"
#include "store/fifo_mutex.hpp"
#include "store/value.hpp"

namespace tiptop::store {

enum class Engine { sqlite, postgres };

// A unique index refused a row; `column` names the field (email, phone, slug…) when known.
struct UniqueViolation : ConflictError {
  explicit UniqueViolation(std::string col)
      : ConflictError((col.empty() ? std::string("value") : col) + " already exists", "DUPLICATE_ENTRY",
                      {{col, (col.empty() ? std::string("value") : col) + " already exists"}}),
        column(std::move(col)) {}
  std::string column;
};

// Two transactions got in each other's way (PostgreSQL deadlock or serialization failure, SQLite
// busy): nothing of this statement's transaction part was kept; the same work may be tried again.
struct Contention : DatabaseError {
  Contention() : DatabaseError("Database is busy, try again", 503) {}
};

// The server is gone (restart, network). Reads are retried once on a fresh connection.
struct ConnectionLost : DatabaseError {
  explicit ConnectionLost(std::string message) : DatabaseError(std::move(message), 503) {}
};

class Connection;
// " FOR UPDATE" on PostgreSQL, nothing on SQLite (whose write transaction already holds the
// database): append to a SELECT whose row is read, changed and written in the same transaction.
std::string_view row_lock(const Connection& c);

class Connection {
 public:
  virtual ~Connection() = default;
  virtual ResultSet query(std::string_view sql, const Params& params = {}) = 0;
  std::int64_t execute(std::string_view sql, const Params& params = {}) { return query(sql, params).affected; }
  virtual void execute_script(std::string_view sql) = 0;  // several statements, no parameters
  virtual Engine engine() const = 0;
};

class Database {
 public:
  virtual ~Database();
  virtual Engine engine() const = 0;

  // Runs f(Connection&) on a worker without an explicit transaction; for reads.
  // f is taken by reference (see core/blocking.hpp); it lives until the co_await completes.
  template <class F>
  asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Connection&>> read(F&& f) {
    co_return co_await run_blocking(workers_, [this, &f]() { return read_sync(f); });
  }

  // Runs f(Connection&) inside a write transaction; rolls back if f throws.
  template <class F>
  asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Connection&>> transaction(F&& f) {
    co_return co_await run_blocking(workers_, [this, &f]() { return transaction_sync(f); });
  }

  // Like read(), but on the read replica when one is attached: for reports, exports and admin
  // statistics, which may be a moment behind. A replica that cannot serve (down, 503) falls back
  // to this database, and is left alone for a few seconds so that reports do not each wait out
  // its connect timeout first; an error in f itself does not fall back.
  template <class F>
  asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Connection&>> read_may_lag(F&& f) {
    if (replica_ && replica_usable()) {
      try {
        co_return co_await replica_->read(f);
      } catch (const DatabaseError& e) {
        if (e.status() != 503) throw;
        replica_unavailable();  // then on to the primary below
      }
    }
    co_return co_await read(f);
  }
  // DATABASE_REPLICA_URL: a hot standby of this database (PostgreSQL), read-only.
  void attach_replica(std::unique_ptr<Database> replica) { replica_ = std::move(replica); }

  // The same, on the calling thread: for the CLI, migrations and code already on a worker.
  template <class F>
  auto read_sync(F& f) {
    return invoke_collect(f, [this](const std::function<void(Connection&)>& g) { with_connection(g); });
  }
  template <class F>
  auto transaction_sync(F& f) {
    return invoke_collect(f, [this](const std::function<void(Connection&)>& g) { with_transaction(g); });
  }

  // Waits for queued database work to finish (at shutdown, before the I/O threads stop, so no
  // result is posted to a context that is gone). No new work may be queued afterwards.
  void drain() {
    if (replica_) replica_->drain();
    workers_.join();
  }

  // Connections in use now, and the pool's size.
  virtual std::pair<std::size_t, std::size_t> pool_usage() = 0;

  // True when a trivial query succeeds now; never throws.
  asio::awaitable<bool> ping();

 protected:
  explicit Database(std::size_t workers);

  using Lease = std::unique_ptr<Connection, std::function<void(Connection*)>>;
  // Hands out a pooled connection; waits up to a few seconds, then throws DatabaseError(503).
  virtual Lease acquire() = 0;
  // Marks the leased connection broken so the pool drops it instead of reusing it.
  virtual void discard(Connection& c) = 0;
  virtual std::string_view begin_statement() const = 0;
  // Held around every write transaction when the engine admits one writer at a time (SQLite), so
  // writers queue in order rather than poll; nullptr when the server arbitrates (PostgreSQL).
  virtual FifoMutex* writer_queue() { return nullptr; }

  void stop_workers();

 private:
  void with_connection(const std::function<void(Connection&)>& f);
  bool replica_usable() const;
  void replica_unavailable();  // logs; the replica rests for kReplicaRest
  void with_transaction(const std::function<void(Connection&)>& f);

  template <class F, class Runner>
  static auto invoke_collect(F& f, Runner run) {
    using R = std::invoke_result_t<F&, Connection&>;
    if constexpr (std::is_void_v<R>) {
      run([&](Connection& c) { f(c); });
    } else {
      std::optional<R> out;
      run([&](Connection& c) { out.emplace(f(c)); });
      return std::move(*out);
    }
  }

  asio::thread_pool workers_;
  std::unique_ptr<Database> replica_;
  std::atomic<std::int64_t> replica_rests_until_{0};  // steady-clock milliseconds
};

// Opens by URL: sqlite://path or postgres://… ; pool_size 0 picks the engine's default.
// statement_timeout_ms (PostgreSQL; 0 = none): longer statements are cancelled with a 503.
std::unique_ptr<Database> open_database(const std::string& url, int pool_size, const std::string& sqlite_synchronous,
                                        int statement_timeout_ms = 0);

}  // namespace tiptop::store
