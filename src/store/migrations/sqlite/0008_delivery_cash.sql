-- Delivery partners' shifts and cash on delivery (spec §2 Delivery Sessions). Money in integer
-- paise, times in epoch ms. The ledger and settled shifts are guarded by triggers: the service
-- never rewrites them, and neither can anyone with a SQL prompt without dropping a trigger first.
ALTER TABLE orders ADD COLUMN delivery_session_id TEXT;
ALTER TABLE orders ADD COLUMN assigned_at INTEGER;
ALTER TABLE orders ADD COLUMN picked_up_at INTEGER;
CREATE INDEX orders_delivery_session ON orders (delivery_session_id);
CREATE INDEX orders_unclaimed ON orders (status, created_at) WHERE delivery_partner_id IS NULL;

CREATE TABLE delivery_sessions (
  id                   TEXT PRIMARY KEY CHECK (length(id) = 24),
  partner_id           TEXT NOT NULL REFERENCES users (id),
  day                  TEXT NOT NULL,              -- the restaurant's local date, YYYY-MM-DD
  start_time           INTEGER NOT NULL,
  end_time             INTEGER,
  change_fund_paise    INTEGER NOT NULL CHECK (change_fund_paise >= 0),
  total_expected_paise INTEGER NOT NULL DEFAULT 0,
  total_collected_paise INTEGER NOT NULL DEFAULT 0,
  declared_paise       INTEGER,                    -- what the partner says they handed over
  declared_at          INTEGER,
  declared_notes       TEXT,
  settled_at           INTEGER,
  settled_by           TEXT REFERENCES users (id),
  actual_paise         INTEGER,                    -- what the admin counted
  discrepancy_paise    INTEGER,
  settle_notes         TEXT,
  distance_m           INTEGER NOT NULL DEFAULT 0,
  last_lat             REAL,
  last_lng             REAL,
  last_located_at      INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
-- At most one open shift per partner, whatever the race.
CREATE UNIQUE INDEX delivery_sessions_one_open ON delivery_sessions (partner_id) WHERE end_time IS NULL;
CREATE INDEX delivery_sessions_partner ON delivery_sessions (partner_id, start_time DESC);
CREATE INDEX delivery_sessions_settled ON delivery_sessions (settled_at);
CREATE INDEX delivery_sessions_start ON delivery_sessions (start_time DESC);

CREATE TRIGGER delivery_sessions_settled_are_final BEFORE UPDATE ON delivery_sessions
WHEN OLD.settled_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a settled delivery session cannot change'); END;
CREATE TRIGGER delivery_sessions_are_kept BEFORE DELETE ON delivery_sessions
BEGIN SELECT RAISE(ABORT, 'delivery sessions are kept'); END;

-- One row per COD order carried in a shift: pending from pick-up, collected on delivery.
CREATE TABLE session_cash_orders (
  order_id        TEXT PRIMARY KEY REFERENCES orders (id),
  session_id      TEXT NOT NULL REFERENCES delivery_sessions (id),
  order_number    TEXT NOT NULL,
  expected_paise  INTEGER NOT NULL,
  collected_paise INTEGER,
  collected_at    INTEGER,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'collected')),
  created_at      INTEGER NOT NULL
);
CREATE INDEX session_cash_orders_session ON session_cash_orders (session_id, status);

-- A discrepancy found at settlement, closed by an admin (the settled session itself never changes).
CREATE TABLE cash_resolutions (
  session_id   TEXT PRIMARY KEY REFERENCES delivery_sessions (id),
  partner_id   TEXT NOT NULL REFERENCES users (id),
  amount_paise INTEGER NOT NULL,
  resolved_by  TEXT NOT NULL REFERENCES users (id),
  notes        TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);

-- Every movement of cash, append-only. Amounts are signed from the partner's point of view:
-- float issued and cash collected add to what they hold, a handover and most adjustments take away.
CREATE TABLE cash_ledger (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  session_id   TEXT NOT NULL REFERENCES delivery_sessions (id),
  partner_id   TEXT NOT NULL REFERENCES users (id),
  kind         TEXT NOT NULL CHECK (kind IN ('float_issued', 'collected', 'handed_over', 'adjustment')),
  amount_paise INTEGER NOT NULL,
  order_id     TEXT REFERENCES orders (id),
  order_number TEXT,
  actor_id     TEXT NOT NULL REFERENCES users (id),
  actor_role   TEXT NOT NULL,
  notes        TEXT,
  created_at   INTEGER NOT NULL
);
CREATE INDEX cash_ledger_session ON cash_ledger (session_id, seq);
CREATE INDEX cash_ledger_partner ON cash_ledger (partner_id, created_at);
CREATE INDEX cash_ledger_created ON cash_ledger (created_at);
CREATE TRIGGER cash_ledger_no_update BEFORE UPDATE ON cash_ledger
BEGIN SELECT RAISE(ABORT, 'the cash ledger is append-only'); END;
CREATE TRIGGER cash_ledger_no_delete BEFORE DELETE ON cash_ledger
BEGIN SELECT RAISE(ABORT, 'the cash ledger is append-only'); END;

CREATE INDEX users_role_available ON users (role, availability, is_active);
