-- Restaurant settings: one row, a validated JSON document (issue "Orders" point 3).
CREATE TABLE restaurant_settings (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  document   JSONB NOT NULL,
  updated_by TEXT,
  updated_at BIGINT NOT NULL
);
