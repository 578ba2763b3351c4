-- Delivery partners' shifts and cash on delivery (spec §2 Delivery Sessions). Money in integer
-- paise, times in epoch ms. The ledger and settled shifts are guarded by triggers: the service
-- never rewrites them, and neither can anyone with a SQL prompt without dropping a trigger first.
ALTER TABLE orders ADD COLUMN delivery_session_id CHAR(24);
ALTER TABLE orders ADD COLUMN assigned_at BIGINT;
ALTER TABLE orders ADD COLUMN picked_up_at BIGINT;
CREATE INDEX orders_delivery_session ON orders (delivery_session_id);
CREATE INDEX orders_unclaimed ON orders (status, created_at) WHERE delivery_partner_id IS NULL;

CREATE TABLE delivery_sessions (
  id                   CHAR(24) PRIMARY KEY,
  partner_id           CHAR(24) NOT NULL REFERENCES users (id),
  day                  TEXT NOT NULL,              -- the restaurant's local date, YYYY-MM-DD
  start_time           BIGINT NOT NULL,
  end_time             BIGINT,
  change_fund_paise    BIGINT NOT NULL CHECK (change_fund_paise >= 0),
  total_expected_paise BIGINT NOT NULL DEFAULT 0,
  total_collected_paise BIGINT NOT NULL DEFAULT 0,
  declared_paise       BIGINT,                     -- what the partner says they handed over
  declared_at          BIGINT,
  declared_notes       TEXT,
  settled_at           BIGINT,
  settled_by           CHAR(24) REFERENCES users (id),
  actual_paise         BIGINT,                     -- what the admin counted
  discrepancy_paise    BIGINT,
  settle_notes         TEXT,
  distance_m           BIGINT NOT NULL DEFAULT 0,
  last_lat             DOUBLE PRECISION,
  last_lng             DOUBLE PRECISION,
  last_located_at      BIGINT,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);
-- At most one open shift per partner, whatever the race.
CREATE UNIQUE INDEX delivery_sessions_one_open ON delivery_sessions (partner_id) WHERE end_time IS NULL;
CREATE INDEX delivery_sessions_partner ON delivery_sessions (partner_id, start_time DESC);
CREATE INDEX delivery_sessions_settled ON delivery_sessions (settled_at);
CREATE INDEX delivery_sessions_start ON delivery_sessions (start_time DESC);

CREATE FUNCTION delivery_sessions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'delivery sessions are kept'; END IF;
  IF OLD.settled_at IS NOT NULL THEN RAISE EXCEPTION 'a settled delivery session cannot change'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER delivery_sessions_guard BEFORE UPDATE OR DELETE ON delivery_sessions
FOR EACH ROW EXECUTE FUNCTION delivery_sessions_guard();

-- One row per COD order carried in a shift: pending from pick-up, collected on delivery.
CREATE TABLE session_cash_orders (
  order_id        CHAR(24) PRIMARY KEY REFERENCES orders (id),
  session_id      CHAR(24) NOT NULL REFERENCES delivery_sessions (id),
  order_number    TEXT NOT NULL,
  expected_paise  BIGINT NOT NULL,
  collected_paise BIGINT,
  collected_at    BIGINT,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'collected')),
  created_at      BIGINT NOT NULL
);
CREATE INDEX session_cash_orders_session ON session_cash_orders (session_id, status);

-- A discrepancy found at settlement, closed by an admin (the settled session itself never changes).
CREATE TABLE cash_resolutions (
  session_id   CHAR(24) PRIMARY KEY REFERENCES delivery_sessions (id),
  partner_id   CHAR(24) NOT NULL REFERENCES users (id),
  amount_paise BIGINT NOT NULL,
  resolved_by  CHAR(24) NOT NULL REFERENCES users (id),
  notes        TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);

-- Every movement of cash, append-only. Amounts are signed from the partner's point of view:
-- float issued and cash collected add to what they hold, a handover and most adjustments take away.
CREATE TABLE cash_ledger (
  seq          BIGSERIAL PRIMARY KEY,
  id           CHAR(24) NOT NULL UNIQUE,
  session_id   CHAR(24) NOT NULL REFERENCES delivery_sessions (id),
  partner_id   CHAR(24) NOT NULL REFERENCES users (id),
  kind         TEXT NOT NULL CHECK (kind IN ('float_issued', 'collected', 'handed_over', 'adjustment')),
  amount_paise BIGINT NOT NULL,
  order_id     CHAR(24) REFERENCES orders (id),
  order_number TEXT,
  actor_id     CHAR(24) NOT NULL REFERENCES users (id),
  actor_role   TEXT NOT NULL,
  notes        TEXT,
  created_at   BIGINT NOT NULL
);
CREATE INDEX cash_ledger_session ON cash_ledger (session_id, seq);
CREATE INDEX cash_ledger_partner ON cash_ledger (partner_id, created_at);
CREATE INDEX cash_ledger_created ON cash_ledger (created_at);
CREATE FUNCTION cash_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the cash ledger is append-only';
END $$;
CREATE TRIGGER cash_ledger_append_only BEFORE UPDATE OR DELETE ON cash_ledger
FOR EACH ROW EXECUTE FUNCTION cash_ledger_append_only();

CREATE INDEX users_role_available ON users (role, availability, is_active);
