#include "store/migrations.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"

namespace tiptop::store {

int migrate(Database& db, int up_to) {
  auto create = [](Connection& c) {
    c.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL)");
  };
  db.read_sync(create);
  int applied = 0;
  for (const auto& m : embedded_migrations(db.engine())) {
    if (m.version > up_to) break;
    auto apply = [&](Connection& c) {
      // PostgreSQL: serialise migrators across nodes; SQLite's BEGIN IMMEDIATE already does.
      if (c.engine() == Engine::postgres) c.query("SELECT pg_advisory_xact_lock(7267746)");
      if (!c.query("SELECT version FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}}).empty())
        return false;
      c.execute_script(m.sql);
      // SQLite: a migration that edited a table's definition text (writable_schema) moves the
      // schema version on, or connections that already read the schema would keep the old one.
      if (c.engine() == Engine::sqlite && std::string_view(m.sql).find("writable_schema") != std::string_view::npos) {
        const auto version = c.query("PRAGMA schema_version").rows.at(0).integer("schema_version");
        c.execute_script("PRAGMA schema_version = " + std::to_string(version + 1));
      }
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

std::vector<std::string> integrity_problems(Database& db) {
  auto check = [](Connection& c) {
    std::vector<std::string> problems;
    if (c.engine() == Engine::sqlite) {
      for (const auto& row : c.query("PRAGMA integrity_check").rows)
        if (const auto line = row.text("integrity_check"); line != "ok") problems.push_back("integrity: " + line);
      for (const auto& row : c.query("PRAGMA foreign_key_check").rows)
        problems.push_back("foreign key: a row of " + row.text("table") + " points to a missing " + row.text("parent"));
    }
    std::vector<std::int64_t> applied;
    for (const auto& row : c.query("SELECT version FROM schema_migrations ORDER BY version").rows)
      applied.push_back(row.integer("version"));
    std::vector<std::int64_t> known;
    for (const auto& m : embedded_migrations(c.engine())) known.push_back(m.version);
    if (applied != known)
      problems.push_back("migrations: " + std::to_string(applied.size()) + " applied, " + std::to_string(known.size()) +
                         " in this build (run `tiptop migrate`, or this binary is older than the database)");
    return problems;
  };
  return db.read_sync(check);
}

}  // namespace tiptop::store
