#include "store/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <list>
#include <unordered_map>

#include "store/group_commit.hpp"
#include "store/pool.hpp"

namespace tiptop::store {
namespace {

// Type OIDs from pg_type.h (stable since PostgreSQL 7).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

bool is_connection_state(const char* sqlstate) {
  if (!sqlstate) return false;
  // 08xxx connection exceptions; 57P01-03 server shutting down or restarting.
  return std::strncmp(sqlstate, "08", 2) == 0 || std::strncmp(sqlstate, "57P0", 4) == 0;
}

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& url, int statement_timeout_ms) {
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {url.c_str(), "5", "tiptop", nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw ConnectionLost("cannot connect to PostgreSQL: " + first_line(msg));
    }
    ResultPtr r(PQexec(conn_, "SET client_min_messages TO warning"), &PQclear);
    // A runaway statement must not hold a pooled connection (and its locks) for ever.
    if (statement_timeout_ms > 0)
      ResultPtr(PQexec(conn_, ("SET statement_timeout = " + std::to_string(statement_timeout_ms)).c_str()), &PQclear);
  }
  ~PgConnection() override {
    if (conn_) PQfinish(conn_);
  }

  Engine engine() const override { return Engine::postgres; }

  void execute_script(std::string_view sql) override {
    ResultPtr r(PQexec(conn_, std::string(sql).c_str()), &PQclear);
    check(r.get());
  }

  ResultSet query(std::string_view sql, const Params& params) override {
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) values[i] = to_text(params[i], storage[i]);
    for (int attempt = 1;; ++attempt) {
      const auto statement = prepared(sql, static_cast<int>(params.size()));
      ResultPtr r(PQexecPrepared(conn_, statement->name.c_str(), static_cast<int>(params.size()), values.data(),
                                 nullptr, nullptr, 0),
                  &PQclear);
      // A statement the server no longer has, or whose result's shape a schema change altered
      // (another node migrated), is prepared afresh: at once outside a transaction, else on the
      // next call (the failed statement has aborted the transaction; its caller sees the error).
      if (const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
          state && (std::strcmp(state, "0A000") == 0 || std::strcmp(state, "26000") == 0)) {
        forget(statement);
        if (attempt == 1 && PQtransactionStatus(conn_) == PQTRANS_IDLE) continue;
      }
      check(r.get());
      return to_result(r.get());
    }
  }

 private:
  // Named prepared statements by SQL text (issue 24): each is parsed and planned by the server
  // once per connection instead of on every call. Bounded like SQLite's: past kMaxStatements the
  // least recently used is deallocated.
  struct Cached {
    std::string sql;
    std::string name;
  };
  using Statements = std::list<Cached>;
  static constexpr std::size_t kMaxStatements = 128;
  Statements statements_;  // most recently used first; nodes never move, so keys stay valid
  std::unordered_map<std::string_view, Statements::iterator> by_sql_;
  std::uint64_t prepared_count_ = 0;

  Statements::iterator prepared(std::string_view sql, int params) {
    if (auto it = by_sql_.find(sql); it != by_sql_.end()) {
      statements_.splice(statements_.begin(), statements_, it->second);
      return it->second;
    }
    std::string name = "tiptop_" + std::to_string(++prepared_count_);
    ResultPtr r(PQprepare(conn_, name.c_str(), number_placeholders(sql).c_str(), params, nullptr), &PQclear);
    check(r.get());
    statements_.push_front({std::string(sql), std::move(name)});
    by_sql_.emplace(statements_.front().sql, statements_.begin());
    if (statements_.size() > kMaxStatements) forget(std::prev(statements_.end()));
    return statements_.begin();
  }

  void forget(Statements::iterator it) {
    // Inside a failed transaction DEALLOCATE fails too; the name then stays taken on the server
    // until the connection closes, which is harmless (names are never reused).
    ResultPtr(PQexec(conn_, ("DEALLOCATE " + it->name).c_str()), &PQclear);
    by_sql_.erase(it->sql);
    statements_.erase(it);
  }

  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  static const char* to_text(const Value& v, std::string& buf) {
    return std::visit(
        [&](const auto& x) -> const char* {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Null>)
            return nullptr;
          else if constexpr (std::is_same_v<T, std::string>)
            return x.c_str();
          else if constexpr (std::is_same_v<T, bool>)
            return x ? "true" : "false";
          else {
            char tmp[64];
            auto [p, ec] = std::to_chars(tmp, tmp + sizeof tmp, x);
            buf.assign(tmp, p);
            return buf.c_str();
          }
        },
        v);
  }

  void check(PGresult* r) {
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string msg = first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    if (PQstatus(conn_) == CONNECTION_BAD || is_connection_state(state)) throw ConnectionLost("PostgreSQL: " + msg);
    if (state && std::strcmp(state, "23505") == 0) {
      // DETAIL: Key (email)=(a@b.c) already exists.
      std::string detail =
          PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : "";
      auto open = detail.find("Key (");
      auto close = detail.find(")=");
      throw UniqueViolation(open != std::string::npos && close != std::string::npos && close > open + 5
                                ? detail.substr(open + 5, close - open - 5)
                                : std::string{});
    }
    if (state && std::strcmp(state, "57014") == 0)  // query_canceled: statement_timeout
      throw DatabaseError("The database took too long to answer, please try again", 503);
    if (state && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0)) throw Contention();
    throw DatabaseError("PostgreSQL: " + msg);
  }

  static Value cell(PGresult* r, int row, int col) {
    if (PQgetisnull(r, row, col)) return Null{};
    const char* v = PQgetvalue(r, row, col);
    const int len = PQgetlength(r, row, col);
    switch (PQftype(r, col)) {
      case kBool:
        return v[0] == 't';
      case kInt2:
      case kInt4:
      case kInt8:
      case kOid: {
        std::int64_t n = 0;
        std::from_chars(v, v + len, n);
        return n;
      }
      case kNumeric: {  // SUM(bigint) is numeric: keep integers exact
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(v, v + len, n);
        if (ec == std::errc{} && p == v + len) return n;
        return std::strtod(v, nullptr);
      }
      case kFloat4:
      case kFloat8:
        return std::strtod(v, nullptr);
      default:
        return std::string(v, static_cast<std::size_t>(len));
    }
  }

  static ResultSet to_result(PGresult* r) {
    ResultSet rs;
    const int ncols = PQnfields(r), nrows = PQntuples(r);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncols; ++c) columns->emplace_back(PQfname(r, c));
    rs.columns = columns;
    rs.rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cells.push_back(cell(r, i, c));
      rs.rows.emplace_back(rs.columns, std::move(cells));
    }
    const char* affected = PQcmdTuples(r);
    if (affected && *affected) std::from_chars(affected, affected + std::strlen(affected), rs.affected);
    return rs;
  }

  PGconn* conn_ = nullptr;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, std::size_t size, int statement_timeout_ms)
      // More connections than workers: the group-commit writers and the notification outbox
      // worker each hold one of their own.
      : Database(size), pool_(size + kPostgresWriters + 1, [url, statement_timeout_ms] {
          return std::make_unique<PgConnection>(url, statement_timeout_ms);
        }) {}
  ~PgDatabase() override { stop_workers(); }

  std::pair<std::size_t, std::size_t> pool_usage() override { return pool_.usage(); }
  Engine engine() const override { return Engine::postgres; }

 protected:
  Lease acquire() override { return pool_.acquire(); }
  void discard(Connection& c) override { pool_.mark_broken(c); }
  std::string_view begin_statement() const override { return "BEGIN"; }

 private:
  ConnectionPool pool_;
};

}  // namespace

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted literal or identifier whole ('' escapes stay inside)
      const auto end = sql.find(c, i + 1);
      const auto stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const auto end = sql.find('\n', i);
      const auto stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size, int statement_timeout_ms) {
  const std::size_t size = pool_size > 0 ? static_cast<std::size_t>(pool_size) : 8;
  return std::make_unique<PgDatabase>(url, size, statement_timeout_ms);
}

}  // namespace tiptop::store
