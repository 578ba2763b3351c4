-- Orders waiting too long (issue 22): one row per escalation, keyed by the wait it is about (the
-- order, what it waited for, and when it entered that status), so nothing escalates twice for the
-- same wait on any node.
CREATE TABLE order_escalations (
  order_id     TEXT NOT NULL REFERENCES orders (id),
  kind         TEXT NOT NULL CHECK (kind IN ('pending', 'ready-offer', 'ready')),
  status_at    BIGINT NOT NULL,
  escalated_at BIGINT NOT NULL,
  PRIMARY KEY (order_id, kind, status_at)
);
