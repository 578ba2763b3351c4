-- Menu items (spec §2 Menu Items). Money in integer paise, times in epoch milliseconds UTC,
-- arrays and small objects as JSON text.
CREATE TABLE menu_items (
  id                   TEXT PRIMARY KEY CHECK (length(id) = 24),
  name                 TEXT NOT NULL,
  slug                 TEXT NOT NULL UNIQUE,
  description          TEXT NOT NULL DEFAULT '',
  image                TEXT,
  images               TEXT NOT NULL DEFAULT '[]',
  price_paise          INTEGER NOT NULL CHECK (price_paise >= 0),
  original_price_paise INTEGER CHECK (original_price_paise >= 0),
  category_main        TEXT NOT NULL,
  category_sub         TEXT NOT NULL DEFAULT '[]',
  plate_quantity       TEXT,
  ingredients          TEXT NOT NULL DEFAULT '[]',
  allergens            TEXT NOT NULL DEFAULT '[]',
  nutrition_info       TEXT,
  is_available         INTEGER NOT NULL DEFAULT 1,
  is_vegetarian        INTEGER NOT NULL DEFAULT 0,
  is_vegan             INTEGER NOT NULL DEFAULT 0,
  is_gluten_free       INTEGER NOT NULL DEFAULT 0,
  spice_level          INTEGER NOT NULL DEFAULT 0 CHECK (spice_level BETWEEN 0 AND 5),
  prep_time            INTEGER NOT NULL DEFAULT 0,
  serving_size         TEXT,
  rating               REAL NOT NULL DEFAULT 0,
  review_count         INTEGER NOT NULL DEFAULT 0,
  total_orders         INTEGER NOT NULL DEFAULT 0,
  revenue_paise        INTEGER NOT NULL DEFAULT 0,
  tags                 TEXT NOT NULL DEFAULT '[]',
  customizations       TEXT NOT NULL DEFAULT '[]',
  is_active            INTEGER NOT NULL DEFAULT 1,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX menu_items_category ON menu_items (category_main, is_available);
CREATE INDEX menu_items_rating ON menu_items (is_available, rating DESC);
CREATE INDEX menu_items_popular ON menu_items (total_orders DESC);
CREATE INDEX menu_items_created ON menu_items (created_at DESC);
