#pragma once
#include <memory>
#include <string>

#include "store/database.hpp"

namespace tiptop::store {

// url: postgres://user:pass@host:port/db?… — a pool of libpq connections made on demand; a
// connection that fails with a connection error is dropped and the next one reconnects.
// statement_timeout_ms > 0: a statement running longer is cancelled (503 DATABASE_ERROR).
std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size, int statement_timeout_ms = 0);

// "SELECT ? , '?'" -> "SELECT $1 , '?'": numbers the placeholders outside literals and comments.
std::string number_placeholders(std::string_view sql);

}  // namespace tiptop::store
