-- Counter orders (issue 21): walk-ins have no account, so an order's customer may be absent; a
-- caller known only by name and phone is a guest record; the counter takes cash and UPI.
-- Dropping a NOT NULL and widening a CHECK change nothing stored: the table's definition text is
-- edited (see 0014), as the LAST statement: until the runner moves schema_version on, this
-- connection still holds the old text, and an ALTER TABLE after the edit would fail.

CREATE TABLE guests (
  id         TEXT PRIMARY KEY CHECK (length(id) = 24),
  phone      TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
ALTER TABLE orders ADD COLUMN guest_id TEXT REFERENCES guests (id);
-- The staff member or admin who took a counter order (NULL: the customer placed it).
ALTER TABLE orders ADD COLUMN placed_by TEXT REFERENCES users (id);
CREATE INDEX orders_guest ON orders (guest_id) WHERE guest_id IS NOT NULL;

-- Every money-affecting staff action, append-only: who, when, what, before and after.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  actor_id     TEXT NOT NULL REFERENCES users (id),
  actor_role   TEXT NOT NULL,
  action       TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id   TEXT NOT NULL,
  before_json  TEXT,
  after_json   TEXT,
  note         TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Last (see above).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
         'customer_id          TEXT NOT NULL REFERENCES users (id)',
         'customer_id          TEXT REFERENCES users (id)'),
         'CHECK (payment_method IN (''COD'', ''ONLINE'', ''CARD''))',
         'CHECK (payment_method IN (''COD'', ''ONLINE'', ''CARD'', ''CASH'', ''UPI''))')
 WHERE type = 'table' AND name = 'orders';
PRAGMA writable_schema = OFF;
-- Both edits must have found their text (see 0014); otherwise this fails and rolls back.
CREATE TEMP TABLE schema_edit_check (migration_0015_found_orders_text INTEGER NOT NULL
  CHECK (migration_0015_found_orders_text = 1));
INSERT INTO schema_edit_check
  SELECT sql LIKE '%customer_id          TEXT REFERENCES users (id)%' AND sql LIKE '%''CASH'', ''UPI''))%'
    FROM sqlite_schema WHERE type = 'table' AND name = 'orders';
DROP TABLE schema_edit_check;
