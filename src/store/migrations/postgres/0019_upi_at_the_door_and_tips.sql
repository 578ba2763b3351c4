-- UPI at the door and tips (issue 21). An order's tip at checkout is on its bill (tip_paise, in
-- final_amount); a tip given at the door is recorded by the rider (door_tip_paise). A pay-at-door
-- order (COD or UPI) records how it was paid (cash or UPI, with the UPI reference); UPI orders
-- carry the upi:// link the rider's screen shows. A shift keeps UPI and tips apart from its cash.
ALTER TABLE orders ADD COLUMN tip_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN door_tip_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN upi_link TEXT;
ALTER TABLE orders ADD COLUMN paid_at_door_by TEXT;
ALTER TABLE orders ADD COLUMN upi_reference TEXT;
ALTER TABLE session_cash_orders ADD COLUMN method TEXT;
ALTER TABLE session_cash_orders ADD COLUMN upi_reference TEXT;
ALTER TABLE delivery_sessions ADD COLUMN total_upi_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE delivery_sessions ADD COLUMN total_tips_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cash_ledger DROP CONSTRAINT IF EXISTS cash_ledger_kind_check;
ALTER TABLE cash_ledger ADD CONSTRAINT cash_ledger_kind_check
  CHECK (kind IN ('float_issued', 'collected', 'handed_over', 'adjustment', 'upi_collected', 'tip'));
