#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/pool.hpp"

namespace tiptop::store {
namespace {

// Checkpoints the WAL on a thread of its own (issue 24). SQLite's automatic checkpoint runs on the
// connection that just committed: the group-commit writer, which then copied pages into the
// database file and synced it while every order behind it waited (6 % of its time under load).
// Connections report the WAL's size after each commit; past kWalPages this thread runs a PASSIVE
// checkpoint, which never blocks readers or the writer. 4,000 pages (16 MB of WAL), four times
// SQLite's default: every batch rewrites the same hot pages (index leaves, the tables' last pages)
// and a checkpoint copies each page once however often it changed, so checkpointing a quarter as
// often copies far fewer pages (the checkpoint was 16 % of the server's CPU under order load;
// alternating runs of bench/orders.sh: 3,498 -> 3,810 orders/s on average).
class Checkpointer {
 public:
  static constexpr int kWalPages = 4000;

  Checkpointer(std::string path, std::string synchronous)
      : path_(std::move(path)), synchronous_(std::move(synchronous)), thread_([this] { loop(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // sqlite3_wal_hook's callback: runs on the committing thread, after the commit, outside its locks.
  static int on_commit(void* self, sqlite3*, const char*, int wal_pages) {
    if (wal_pages >= kWalPages) static_cast<Checkpointer*>(self)->request();
    return SQLITE_OK;
  }

 private:
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_ = true;
    }
    wake_.notify_one();
  }

  void loop() {
    sqlite3* db = nullptr;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || requested_; });
        if (stopping_) break;
        requested_ = false;
      }
      if (!db && sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK)
        sqlite3_exec(db, ("PRAGMA synchronous=" + synchronous_).c_str(), nullptr, nullptr, nullptr);
      // A failure (no file yet, busy) is left for the next request: the WAL only grows meanwhile.
      if (db) sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    sqlite3_close_v2(db);
  }

  std::string path_;
  std::string synchronous_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts in the constructor and uses everything above
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const std::string& synchronous, Checkpointer& checkpointer) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError("cannot open SQLite database '" + path + "': " + msg, 503);
    }
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_extended_result_codes(db_, 1);
    try {
      // temp_store=MEMORY keeps the statement and savepoint journals in memory: the group commit ran
      // each job in a savepoint (now only after a failure), and past 64 KB SQLite spilled that
      // journal to a temporary file, one pwrite per
      // page a job touched, on the writer (17 % of its time under load; issue 24).
      execute_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA synchronous=" +
                     synchronous + ";");
    } catch (...) {
      sqlite3_close_v2(db_);  // a malformed file fails here: the destructor will not run for it
      throw;
    }
    sqlite3_wal_hook(db_, &Checkpointer::on_commit, &checkpointer);  // replaces the automatic checkpoint
  }
  ~SqliteConnection() override {
    for (auto& c : statements_) sqlite3_finalize(c.stmt);
    sqlite3_close_v2(db_);
  }

  Engine engine() const override { return Engine::sqlite; }

  void execute_script(std::string_view sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw DatabaseError("SQLite: " + msg);
    }
  }

  ResultSet query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* raw = prepared(sql);
    // Whatever happens below, the statement goes back to the cache reset and unbound.
    struct Rewind {
      sqlite3_stmt* s;
      ~Rewind() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } rewind{raw};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(raw))
      throw DatabaseError("SQLite: statement expects " + std::to_string(sqlite3_bind_parameter_count(raw)) +
                          " parameters, got " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) bind(raw, static_cast<int>(i + 1), params[i]);

    ResultSet rs;
    const int ncols = sqlite3_column_count(raw);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncols; ++c) columns->emplace_back(sqlite3_column_name(raw, c));
    rs.columns = columns;
    for (;;) {
      const int rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc);
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cells.push_back(column(raw, c));
      rs.rows.emplace_back(rs.columns, std::move(cells));
    }
    rs.affected = sqlite3_changes64(db_);
    return rs;
  }

 private:
  // Prepared statements by their SQL text, reused (issue 24: parsing SQL was a visible share of an
  // order's cost). Bounded: the least recently used is finalized past kMaxStatements. SQLite
  // prepares a cached statement again by itself when the schema changes (a migration).
  struct Cached {
    std::string sql;
    sqlite3_stmt* stmt;
  };
  static constexpr std::size_t kMaxStatements = 128;
  std::list<Cached> statements_;  // most recently used first; nodes never move, so keys stay valid
  std::unordered_map<std::string_view, std::list<Cached>::iterator> by_sql_;

  sqlite3_stmt* prepared(std::string_view sql) {
    if (auto it = by_sql_.find(sql); it != by_sql_.end()) {
      statements_.splice(statements_.begin(), statements_, it->second);
      return it->second->stmt;
    }
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK)
      fail(sqlite3_extended_errcode(db_));
    if (!raw) throw DatabaseError("SQLite: empty statement");
    statements_.push_front({std::string(sql), raw});
    by_sql_.emplace(statements_.front().sql, statements_.begin());
    if (statements_.size() > kMaxStatements) {
      by_sql_.erase(statements_.back().sql);
      sqlite3_finalize(statements_.back().stmt);
      statements_.pop_back();
    }
    return raw;
  }

  static void bind(sqlite3_stmt* s, int i, const Value& v) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Null>)
            sqlite3_bind_null(s, i);
          else if constexpr (std::is_same_v<T, std::int64_t>)
            sqlite3_bind_int64(s, i, x);
          else if constexpr (std::is_same_v<T, double>)
            sqlite3_bind_double(s, i, x);
          else if constexpr (std::is_same_v<T, bool>)
            sqlite3_bind_int(s, i, x ? 1 : 0);
          else
            sqlite3_bind_text(s, i, x.data(), static_cast<int>(x.size()), SQLITE_TRANSIENT);
        },
        v);
  }

  static Value column(sqlite3_stmt* s, int c) {
    switch (sqlite3_column_type(s, c)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(s, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(s, c);
      case SQLITE_NULL:
        return Null{};
      default: {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
      }
    }
  }

  [[noreturn]] void fail(int rc) {
    std::string msg = sqlite3_errmsg(db_);
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      // "UNIQUE constraint failed: users.email" -> "email"
      auto dot = msg.rfind('.');
      throw UniqueViolation(dot == std::string::npos ? std::string{} : msg.substr(dot + 1));
    }
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) throw Contention();
    throw DatabaseError("SQLite: " + msg);
  }

  sqlite3* db_ = nullptr;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::size_t size, std::string synchronous)
      // Two connections more than workers: the group-commit writer and the notification outbox
      // worker each hold one of their own.
      : Database(size), checkpointer_(path, synchronous), pool_(size + 2, [this, path, synchronous] {
          return std::make_unique<SqliteConnection>(path, synchronous, checkpointer_);
        }) {}
  ~SqliteDatabase() override { stop_workers(); }

  std::pair<std::size_t, std::size_t> pool_usage() override { return pool_.usage(); }
  Engine engine() const override { return Engine::sqlite; }

 protected:
  Lease acquire() override { return pool_.acquire(); }
  void discard(Connection& c) override { pool_.mark_broken(c); }
  std::string_view begin_statement() const override { return "BEGIN IMMEDIATE"; }
  FifoMutex* writer_queue() override { return &writers_; }

 private:
  FifoMutex writers_;
  Checkpointer checkpointer_;  // before the pool: every connection reports to it until closed
  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size, const std::string& synchronous) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  // Readers run in parallel under WAL; writers queue on the file lock, so a few connections suffice.
  const std::size_t size = pool_size > 0 ? static_cast<std::size_t>(pool_size) : 4;
  auto db = std::make_unique<SqliteDatabase>(path, size, synchronous);
  // Open one connection now so a bad path fails at start-up, not on the first request.
  auto open_one = [](Connection&) {};
  db->read_sync(open_one);
  return db;
}

}  // namespace tiptop::store
