-- Counter orders (issue 21): walk-ins have no account, so an order's customer may be absent; a
-- caller known only by name and phone is a guest record; the counter takes cash and UPI.
ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_payment_method_check;
ALTER TABLE orders ADD CONSTRAINT orders_payment_method_check
  CHECK (payment_method IN ('COD', 'ONLINE', 'CARD', 'CASH', 'UPI'));

CREATE TABLE guests (
  id         CHAR(24) PRIMARY KEY,
  phone      TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
ALTER TABLE orders ADD COLUMN guest_id CHAR(24) REFERENCES guests (id);
-- The staff member or admin who took a counter order (NULL: the customer placed it).
ALTER TABLE orders ADD COLUMN placed_by CHAR(24) REFERENCES users (id);
CREATE INDEX orders_guest ON orders (guest_id) WHERE guest_id IS NOT NULL;

-- Every money-affecting staff action, append-only: who, when, what, before and after.
CREATE TABLE audit_log (
  seq          BIGSERIAL PRIMARY KEY,
  at           BIGINT NOT NULL,
  actor_id     CHAR(24) NOT NULL REFERENCES users (id),
  actor_role   TEXT NOT NULL,
  action       TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id   TEXT NOT NULL,
  before_json  TEXT,
  after_json   TEXT,
  note         TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
