-- Menu items (spec §2 Menu Items). Money in integer paise, times in epoch milliseconds UTC.
CREATE TABLE menu_items (
  id                   CHAR(24) PRIMARY KEY,
  name                 TEXT NOT NULL,
  slug                 TEXT NOT NULL UNIQUE,
  description          TEXT NOT NULL DEFAULT '',
  image                TEXT,
  images               JSONB NOT NULL DEFAULT '[]',
  price_paise          BIGINT NOT NULL CHECK (price_paise >= 0),
  original_price_paise BIGINT CHECK (original_price_paise >= 0),
  category_main        TEXT NOT NULL,
  category_sub         JSONB NOT NULL DEFAULT '[]',
  plate_quantity       TEXT,
  ingredients          JSONB NOT NULL DEFAULT '[]',
  allergens            JSONB NOT NULL DEFAULT '[]',
  nutrition_info       JSONB,
  is_available         BOOLEAN NOT NULL DEFAULT TRUE,
  is_vegetarian        BOOLEAN NOT NULL DEFAULT FALSE,
  is_vegan             BOOLEAN NOT NULL DEFAULT FALSE,
  is_gluten_free       BOOLEAN NOT NULL DEFAULT FALSE,
  spice_level          INTEGER NOT NULL DEFAULT 0 CHECK (spice_level BETWEEN 0 AND 5),
  prep_time            INTEGER NOT NULL DEFAULT 0,
  serving_size         TEXT,
  rating               DOUBLE PRECISION NOT NULL DEFAULT 0,
  review_count         INTEGER NOT NULL DEFAULT 0,
  total_orders         BIGINT NOT NULL DEFAULT 0,
  revenue_paise        BIGINT NOT NULL DEFAULT 0,
  tags                 JSONB NOT NULL DEFAULT '[]',
  customizations       JSONB NOT NULL DEFAULT '[]',
  is_active            BOOLEAN NOT NULL DEFAULT TRUE,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);
CREATE INDEX menu_items_category ON menu_items (category_main, is_available);
CREATE INDEX menu_items_rating ON menu_items (is_available, rating DESC);
CREATE INDEX menu_items_popular ON menu_items (total_orders DESC);
CREATE INDEX menu_items_created ON menu_items (created_at DESC);
