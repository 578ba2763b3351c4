-- Promo codes and who used them (issue "Orders" point 4). Percent values in basis points.
CREATE TABLE promo_codes (
  code               TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('percent', 'flat')),
  value              INTEGER NOT NULL CHECK (value > 0),
  min_order_paise    INTEGER NOT NULL DEFAULT 0,
  max_discount_paise INTEGER,
  valid_from         INTEGER,
  valid_until        INTEGER,
  usage_limit        INTEGER,
  per_customer_limit INTEGER,
  used_count         INTEGER NOT NULL DEFAULT 0,
  is_active          INTEGER NOT NULL DEFAULT 1,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE TABLE promo_redemptions (
  code        TEXT NOT NULL REFERENCES promo_codes (code),
  customer_id TEXT NOT NULL,
  order_id    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (code, order_id)
);
CREATE INDEX promo_redemptions_customer ON promo_redemptions (code, customer_id);
