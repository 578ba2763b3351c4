#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <list>
#include <unordered_map>

#include "store/pool.hpp"

namespace tiptop::store {
namespace {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const std::string& synchronous) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError("cannot open SQLite database '" + path + "': " + msg, 503);
    }
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_extended_result_codes(db_, 1);
    try {
      execute_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=" + synchronous + ";");
    } catch (...) {
      sqlite3_close_v2(db_);  // a malformed file fails here: the destructor will not run for it
      throw;
    }
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
      : Database(size),
        pool_(size + 2, [path, synchronous] { return std::make_unique<SqliteConnection>(path, synchronous); }) {}
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
