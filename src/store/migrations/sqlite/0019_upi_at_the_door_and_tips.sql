-- UPI at the door and tips (issue 21). An order's tip at checkout is on its bill (tip_paise, in
-- final_amount); a tip given at the door is recorded by the rider (door_tip_paise). A pay-at-door
-- order (COD or UPI) records how it was paid (cash or UPI, with the UPI reference); UPI orders
-- carry the upi:// link the rider's screen shows. A shift keeps UPI and tips apart from its cash.
ALTER TABLE orders ADD COLUMN tip_paise INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN door_tip_paise INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN upi_link TEXT;
ALTER TABLE orders ADD COLUMN paid_at_door_by TEXT;
ALTER TABLE orders ADD COLUMN upi_reference TEXT;
ALTER TABLE session_cash_orders ADD COLUMN method TEXT;
ALTER TABLE session_cash_orders ADD COLUMN upi_reference TEXT;
ALTER TABLE delivery_sessions ADD COLUMN total_upi_paise INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_sessions ADD COLUMN total_tips_paise INTEGER NOT NULL DEFAULT 0;
-- Ledger kinds for UPI received at the door (recorded, never in the rider's hand) and tips
-- credited to the rider. A CHECK cannot be altered in SQLite: the text is widened in place, as
-- 0014 explains; it must be this migration's last statement.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''float_issued'', ''collected'', ''handed_over'', ''adjustment''))',
                          'CHECK (kind IN (''float_issued'', ''collected'', ''handed_over'', ''adjustment'', ''upi_collected'', ''tip''))')
 WHERE type = 'table' AND name = 'cash_ledger';
PRAGMA writable_schema = OFF;
CREATE TEMP TABLE schema_edit_check (migration_0019_found_cash_ledger_kind_check INTEGER NOT NULL
  CHECK (migration_0019_found_cash_ledger_kind_check = 1));
INSERT INTO schema_edit_check
  SELECT sql LIKE '%''upi_collected'', ''tip''))%' FROM sqlite_schema WHERE type = 'table' AND name = 'cash_ledger';
DROP TABLE schema_edit_check;
