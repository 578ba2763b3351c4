-- Categories as data (issue 22): the staff name them, order them, give them a picture and serving
-- hours, and switch them off. Today's strings (menu_items.category_main) become rows, one per name
-- whatever its case, in the order the menu was shown in; each item points at its row and keeps the
-- row's name as category.main, so every client of the spec's item shape sees the same JSON.
CREATE TABLE menu_categories (
  id            TEXT PRIMARY KEY CHECK (length(id) = 24),
  name          TEXT NOT NULL,
  slug          TEXT NOT NULL UNIQUE,
  sort_order    INTEGER NOT NULL DEFAULT 0,
  image         TEXT,
  is_active     INTEGER NOT NULL DEFAULT 1,
  serving_from  INTEGER CHECK (serving_from BETWEEN 0 AND 1439),   -- minutes after local midnight
  serving_until INTEGER CHECK (serving_until BETWEEN 0 AND 1439),  -- before serving_from: past midnight
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX menu_categories_name ON menu_categories (lower(name));

INSERT INTO menu_categories (id, name, slug, sort_order, created_at, updated_at)
SELECT lower(hex(randomblob(12))), name,
       lower(replace(replace(replace(trim(name), ' & ', '-'), ' ', '-'), '/', '-')),
       CASE lower(name) WHEN 'biryani' THEN 10 WHEN 'tandoori' THEN 20 WHEN 'chinese' THEN 30 WHEN 'curries' THEN 40
                        WHEN 'breads' THEN 50 WHEN 'starters' THEN 60 WHEN 'desserts' THEN 70 WHEN 'beverages' THEN 80
                        ELSE 1000 END,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM (SELECT MIN(trim(category_main)) AS name FROM menu_items GROUP BY lower(trim(category_main)));

ALTER TABLE menu_items ADD COLUMN category_id TEXT REFERENCES menu_categories (id);
UPDATE menu_items SET
  category_id   = (SELECT c.id FROM menu_categories c WHERE lower(c.name) = lower(trim(menu_items.category_main))),
  category_main = (SELECT c.name FROM menu_categories c WHERE lower(c.name) = lower(trim(menu_items.category_main)));
CREATE INDEX menu_items_category_id ON menu_items (category_id);
