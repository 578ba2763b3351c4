-- Online payments through a gateway (Razorpay). An online order gets its payments row in the
-- placement's transaction; the gateway's own order id is added once the gateway answers. state
-- only moves forward: created < failed < authorized < captured (a failed attempt may be followed
-- by a successful one; nothing comes after captured). Money is in paise, as the gateway counts it.
CREATE TABLE payments (
  order_id         CHAR(24) PRIMARY KEY REFERENCES orders (id),
  gateway          TEXT NOT NULL,
  gateway_order_id TEXT UNIQUE,            -- NULL until the gateway answered the checkout
  amount_paise     BIGINT NOT NULL,
  currency         TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('created', 'failed', 'authorized', 'captured')),
  payment_id       TEXT,                   -- the gateway's payment that brought the state
  paid_at          BIGINT,
  flag             TEXT,                   -- why an admin must look (an amount mismatch…); NULL: nothing
  expires_at       BIGINT NOT NULL,          -- still unpaid then: the order is cancelled
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX payments_unpaid ON payments (expires_at) WHERE state <> 'captured';
CREATE INDEX payments_flagged ON payments (updated_at) WHERE flag IS NOT NULL;

-- Webhook deliveries already applied, by the gateway's event id: a replay changes nothing.
CREATE TABLE payment_events (
  event_id    TEXT PRIMARY KEY,
  event       TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX payment_events_age ON payment_events (received_at);

-- At most one refund per order (UNIQUE): a refund is never issued twice. Its id is also the
-- gateway's idempotency key, so a retry after a lost answer cannot issue a second one either.
-- state: requested (not yet accepted by the gateway; sent again at next_attempt_at), pending
-- (accepted, not yet final), processed, failed.
CREATE TABLE refunds (
  id                CHAR(24) PRIMARY KEY,
  order_id          CHAR(24) NOT NULL UNIQUE REFERENCES orders (id),
  payment_id        TEXT NOT NULL,
  amount_paise      BIGINT NOT NULL CHECK (amount_paise > 0),
  state             TEXT NOT NULL CHECK (state IN ('requested', 'pending', 'processed', 'failed')),
  gateway_refund_id TEXT UNIQUE,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   BIGINT NOT NULL,
  last_error        TEXT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE state IN ('requested', 'pending');
