-- Analytics rollups (spec §2 Analytics): per restaurant-local day and hour, and per dish per day.
-- Written only by the rollup job, which replaces a whole day at a time (idempotent); today is
-- computed live from the orders instead.
CREATE TABLE analytics_hourly (
  day                  TEXT NOT NULL,       -- YYYY-MM-DD in RESTAURANT_TIMEZONE
  hour                 INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  orders               INTEGER NOT NULL,
  completed            INTEGER NOT NULL,
  cancelled            INTEGER NOT NULL,
  revenue_online_paise INTEGER NOT NULL,
  revenue_cod_paise    INTEGER NOT NULL,
  discount_paise       INTEGER NOT NULL,
  PRIMARY KEY (day, hour)
);

CREATE TABLE analytics_items (
  day           TEXT NOT NULL,
  item_id       TEXT NOT NULL,
  name          TEXT NOT NULL,
  quantity      INTEGER NOT NULL,
  orders        INTEGER NOT NULL,
  revenue_paise INTEGER NOT NULL,
  PRIMARY KEY (day, item_id)
);

-- Which days are rolled up, and when: the job's memory across restarts.
CREATE TABLE analytics_days (
  day         TEXT PRIMARY KEY,
  computed_at INTEGER NOT NULL
);

-- The job's watermark: when the last run that rolled every due day began.
CREATE TABLE analytics_state (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

-- Orders changed since the last run tell the job which past days to roll up again.
CREATE INDEX orders_updated ON orders (updated_at);
