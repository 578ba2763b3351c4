-- Live tracking (spec §7): when a partner's location was last reported, and the chat between a
-- customer and the partner delivering their order, kept with the order.
ALTER TABLE users ADD COLUMN location_updated_at BIGINT;

CREATE TABLE order_messages (
  id          CHAR(24) PRIMARY KEY,
  order_id    CHAR(24) NOT NULL REFERENCES orders (id),
  sender_id   CHAR(24) NOT NULL REFERENCES users (id),
  sender_role TEXT NOT NULL CHECK (sender_role IN ('customer', 'delivery')),
  body        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX order_messages_order ON order_messages (order_id, created_at);
