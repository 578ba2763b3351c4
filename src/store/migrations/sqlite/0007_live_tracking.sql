-- Live tracking (spec §7): when a partner's location was last reported, and the chat between a
-- customer and the partner delivering their order, kept with the order.
ALTER TABLE users ADD COLUMN location_updated_at INTEGER;

CREATE TABLE order_messages (
  id          TEXT PRIMARY KEY,
  order_id    TEXT NOT NULL REFERENCES orders (id),
  sender_id   TEXT NOT NULL REFERENCES users (id),
  sender_role TEXT NOT NULL CHECK (sender_role IN ('customer', 'delivery')),
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX order_messages_order ON order_messages (order_id, created_at);
