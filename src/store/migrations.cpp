#include "store/migrations.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"

namespace tiptop::store {

int migrate(Database& db) {
  auto create = [](Connection& c) {
    c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)");
  };
  db.read_sync(create);
  int applied = 0;
  for (const auto& m : embedded_migrations(db.engine())) {
    auto apply = [&](Connection& c) {
      // PostgreSQL: serialise migrators across nodes; SQLite's BEGIN IMMEDIATE already does.
      if (c.engine() == Engine::postgres) c.query("SELECT pg_advisory_xact_lock(7267746)");
      if (!c.query("SELECT version FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}}).empty())
        return false;
      c.execute_script(m.sql);
      c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, std::string(m.name), clock::now_ms()});
      return true;
    };
    if (db.transaction_sync(apply)) {
      ++applied;
      log::info("migration applied", {{"version", m.version}, {"name", m.name}});
    }
  }
  return applied;
}

}  // namespace tiptop::store
