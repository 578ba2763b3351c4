#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace tiptop::store {

std::unique_ptr<Database> open_database(const std::string& url, int pool_size, const std::string& sqlite_synchronous,
                                        int statement_timeout_ms) {
  if (url.rfind("sqlite://", 0) == 0) return open_sqlite(url.substr(9), pool_size, sqlite_synchronous);
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0)
    return open_postgres(url, pool_size, statement_timeout_ms);
  throw DatabaseError("unsupported DATABASE_URL scheme");
}

}  // namespace tiptop::store
