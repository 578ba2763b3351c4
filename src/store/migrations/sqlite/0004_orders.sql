-- Orders (spec §2 Orders). Amounts in paise, times in epoch ms; snapshots (items, address,
-- customer, partner) as JSON so an order keeps what was true when it was placed.
CREATE TABLE orders (
  id                   TEXT PRIMARY KEY CHECK (length(id) = 24),
  order_number         TEXT NOT NULL UNIQUE,
  customer_id          TEXT NOT NULL REFERENCES users (id),
  customer             TEXT NOT NULL,
  items                TEXT NOT NULL,
  items_total_paise    INTEGER NOT NULL,
  delivery_fee_paise   INTEGER NOT NULL,
  tax_paise            INTEGER NOT NULL,
  discount_paise       INTEGER NOT NULL DEFAULT 0,
  promo_code           TEXT,
  final_amount_paise   INTEGER NOT NULL CHECK (final_amount_paise >= 0),
  delivery_address     TEXT NOT NULL,
  delivery_partner_id  TEXT REFERENCES users (id),
  delivery_partner     TEXT,
  status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'preparing', 'ready', 'out-for-delivery', 'delivered', 'cancelled')),
  payment_method       TEXT NOT NULL CHECK (payment_method IN ('COD', 'ONLINE', 'CARD')),
  payment_status       TEXT NOT NULL CHECK (payment_status IN ('pending', 'paid', 'failed', 'refunded')),
  payment_details      TEXT,
  cash_expected_paise  INTEGER,
  cash_collected_paise INTEGER,
  cash_collected_at    INTEGER,
  cash_settled         INTEGER NOT NULL DEFAULT 0,
  estimated_delivery_at INTEGER,
  actual_delivery_at   INTEGER,
  rating               TEXT,
  cancellation         TEXT,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, created_at DESC);
CREATE INDEX orders_partner ON orders (delivery_partner_id, status);
CREATE INDEX orders_status ON orders (status, created_at DESC);
CREATE INDEX orders_payment ON orders (payment_method, payment_status);
CREATE INDEX orders_created ON orders (created_at DESC);

CREATE TABLE order_status_history (
  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  status     TEXT NOT NULL,
  at         INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  notes      TEXT,
  PRIMARY KEY (order_id, seq)
);

-- ORD_<year>_<sequence>: one counter row per year, bumped atomically inside the placing transaction.
CREATE TABLE order_counters (
  year  INTEGER PRIMARY KEY,
  value INTEGER NOT NULL
);

-- Idempotency-Key: per customer; the stored response is replayed for 24 h.
CREATE TABLE idempotency_keys (
  customer_id  TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  status_code  INTEGER,
  response     TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (customer_id, key)
);
