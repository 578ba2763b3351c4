-- The staff role: the counter and the kitchen (orders board, counter orders, kitchen actions).
-- SQLite cannot alter a CHECK constraint; widening one changes nothing stored, so the table's
-- definition text is edited in place (https://sqlite.org/lang_altertable.html, "schema changes
-- that do not affect on-disk content"). The runner bumps schema_version after a migration that
-- does this, so every open connection reloads the schema; until then this connection holds the old
-- text, so such an edit must be a migration's last statement.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (role IN (''customer'', ''delivery'', ''admin''))',
                          'CHECK (role IN (''customer'', ''delivery'', ''admin'', ''staff''))')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;
-- The edit must have found its text (a file not made by these migrations would keep the old CHECK):
-- otherwise this fails, naming itself, and the migration rolls back.
CREATE TEMP TABLE schema_edit_check (migration_0014_found_users_role_check INTEGER NOT NULL
  CHECK (migration_0014_found_users_role_check = 1));
INSERT INTO schema_edit_check
  SELECT sql LIKE '%''admin'', ''staff''))%' FROM sqlite_schema WHERE type = 'table' AND name = 'users';
DROP TABLE schema_edit_check;
