-- An admin closes a payment's flag once it is handled (refunded in the gateway's dashboard, the
-- customer called): it leaves the flagged list, and the text stays as the record of what happened.
-- A new flag on the same payment opens it again.
ALTER TABLE payments ADD COLUMN flag_resolution TEXT;
ALTER TABLE payments ADD COLUMN flag_resolved_by TEXT;
ALTER TABLE payments ADD COLUMN flag_resolved_at INTEGER;
