#pragma once
// Numbered SQL migrations, one list per engine, embedded at build time from migrations/<engine>/.
#include <string>
#include <vector>

#include "store/database.hpp"

namespace tiptop::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& embedded_migrations(Engine engine);

// Applies every migration newer than the database's version, each in its own transaction, and
// returns how many ran. Concurrent callers (several nodes starting at once) apply each only once.
int migrate(Database& db);

// What is wrong with the database, for `tiptop check-db` (empty: nothing). SQLite: its own
// integrity and foreign-key checks; both engines: every embedded migration applied, none unknown.
std::vector<std::string> integrity_problems(Database& db);

}  // namespace tiptop::store
