#pragma once
// Numbered SQL migrations, one list per engine, embedded at build time from migrations/<engine>/.
#include <limits>
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
// up_to: stop after that version (tests of a migration on the data of the schema before it).
int migrate(Database& db, int up_to = std::numeric_limits<int>::max());

// What is wrong with the database, for `tiptop check-db` (empty: nothing). SQLite: its own
// integrity and foreign-key checks; both engines: every embedded migration applied, none unknown.
std::vector<std::string> integrity_problems(Database& db);

}  // namespace tiptop::store
