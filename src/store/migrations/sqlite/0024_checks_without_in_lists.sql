-- CHECKs without IN lists (issue 24). SQLite builds a throwaway b-tree for every `x IN (...)` a
-- CHECK holds, each time a row is written: an order placement wrote nine of them (orders,
-- notifications, idempotency_keys), and opening and closing them was a tenth of the single
-- writer's time (perf, bench/README.md). The same rules as comparisons joined by OR allow and refuse
-- exactly the same values (NULL included: NULL = 'x' is NULL, which a CHECK lets through, as before)
-- and cost nothing to set up. Nothing stored changes, so the definitions are edited in place as in
-- 0014 (which explains why this must be the migration's last statement). A later migration that
-- widens one of these CHECKs replaces the OR text below. PostgreSQL checks an IN list without
-- building anything: its definitions stay as they are.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''customer'', ''delivery'', ''admin'', ''staff''))',
                                  'CHECK (role = ''customer'' OR role = ''delivery'' OR role = ''admin'' OR role = ''staff'')')
 WHERE type = 'table' AND name = 'users';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (type IN (''home'', ''work'', ''other''))',
                                  'CHECK (type = ''home'' OR type = ''work'' OR type = ''other'')')
 WHERE type = 'table' AND name = 'addresses';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''pending'', ''confirmed'', ''preparing'', ''ready'', ''out-for-delivery'', ''delivered'', ''cancelled''))',
                                  'CHECK (status = ''pending'' OR status = ''confirmed'' OR status = ''preparing'' OR status = ''ready'' OR status = ''out-for-delivery'' OR status = ''delivered'' OR status = ''cancelled'')')
 WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (payment_method IN (''COD'', ''ONLINE'', ''CARD'', ''CASH'', ''UPI''))',
                                  'CHECK (payment_method = ''COD'' OR payment_method = ''ONLINE'' OR payment_method = ''CARD'' OR payment_method = ''CASH'' OR payment_method = ''UPI'')')
 WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (payment_status IN (''pending'', ''paid'', ''failed'', ''refunded''))',
                                  'CHECK (payment_status = ''pending'' OR payment_status = ''paid'' OR payment_status = ''failed'' OR payment_status = ''refunded'')')
 WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (order_type IN (''delivery'', ''takeaway''))',
                                  'CHECK (order_type = ''delivery'' OR order_type = ''takeaway'')')
 WHERE type = 'table' AND name = 'orders';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''in_flight'', ''done''))',
                                  'CHECK (state = ''in_flight'' OR state = ''done'')')
 WHERE type = 'table' AND name = 'idempotency_keys';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''percent'', ''flat''))',
                                  'CHECK (kind = ''percent'' OR kind = ''flat'')')
 WHERE type = 'table' AND name = 'promo_codes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (sender_role IN (''customer'', ''delivery''))',
                                  'CHECK (sender_role = ''customer'' OR sender_role = ''delivery'')')
 WHERE type = 'table' AND name = 'order_messages';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (status IN (''pending'', ''collected''))',
                                  'CHECK (status = ''pending'' OR status = ''collected'')')
 WHERE type = 'table' AND name = 'session_cash_orders';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''float_issued'', ''collected'', ''handed_over'', ''adjustment'', ''upi_collected'', ''tip''))',
                                  'CHECK (kind = ''float_issued'' OR kind = ''collected'' OR kind = ''handed_over'' OR kind = ''adjustment'' OR kind = ''upi_collected'' OR kind = ''tip'')')
 WHERE type = 'table' AND name = 'cash_ledger';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (priority IN (''low'', ''medium'', ''high'', ''urgent''))',
                                  'CHECK (priority = ''low'' OR priority = ''medium'' OR priority = ''high'' OR priority = ''urgent'')')
 WHERE type = 'table' AND name = 'notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (push_status IN (''pending'', ''sent'', ''failed''))',
                                  'CHECK (push_status = ''pending'' OR push_status = ''sent'' OR push_status = ''failed'')')
 WHERE type = 'table' AND name = 'notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (sms_status IN (''pending'', ''sent'', ''failed''))',
                                  'CHECK (sms_status = ''pending'' OR sms_status = ''sent'' OR sms_status = ''failed'')')
 WHERE type = 'table' AND name = 'notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (email_status IN (''pending'', ''sent'', ''failed''))',
                                  'CHECK (email_status = ''pending'' OR email_status = ''sent'' OR email_status = ''failed'')')
 WHERE type = 'table' AND name = 'notifications';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (channel IN (''push'', ''sms'', ''email''))',
                                  'CHECK (channel = ''push'' OR channel = ''sms'' OR channel = ''email'')')
 WHERE type = 'table' AND name = 'notification_outbox';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''pending'', ''sending'', ''sent'', ''failed''))',
                                  'CHECK (state = ''pending'' OR state = ''sending'' OR state = ''sent'' OR state = ''failed'')')
 WHERE type = 'table' AND name = 'notification_outbox';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (platform IN (''android'', ''ios'', ''web''))',
                                  'CHECK (platform = ''android'' OR platform = ''ios'' OR platform = ''web'')')
 WHERE type = 'table' AND name = 'device_tokens';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''created'', ''failed'', ''authorized'', ''captured''))',
                                  'CHECK (state = ''created'' OR state = ''failed'' OR state = ''authorized'' OR state = ''captured'')')
 WHERE type = 'table' AND name = 'payments';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''requested'', ''pending'', ''processed'', ''failed''))',
                                  'CHECK (state = ''requested'' OR state = ''pending'' OR state = ''processed'' OR state = ''failed'')')
 WHERE type = 'table' AND name = 'refunds';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (purpose IN (''verify-phone'', ''verify-email'', ''guest-checkout''))',
                                  'CHECK (purpose = ''verify-phone'' OR purpose = ''verify-email'' OR purpose = ''guest-checkout'')')
 WHERE type = 'table' AND name = 'otp_codes';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (paper_width IN (58, 80))',
                                  'CHECK (paper_width = 58 OR paper_width = 80)')
 WHERE type = 'table' AND name = 'printers';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''kitchen'', ''bill''))',
                                  'CHECK (kind = ''kitchen'' OR kind = ''bill'')')
 WHERE type = 'table' AND name = 'print_jobs';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state IN (''queued'', ''claimed'', ''printing'', ''printed''))',
                                  'CHECK (state = ''queued'' OR state = ''claimed'' OR state = ''printing'' OR state = ''printed'')')
 WHERE type = 'table' AND name = 'print_jobs';
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (kind IN (''pending'', ''ready-offer'', ''ready''))',
                                  'CHECK (kind = ''pending'' OR kind = ''ready-offer'' OR kind = ''ready'')')
 WHERE type = 'table' AND name = 'order_escalations';
PRAGMA writable_schema = OFF;
-- Every edit must have found its text (a file not made by these migrations would keep an IN list):
-- otherwise this fails, naming itself, and the migration rolls back.
CREATE TEMP TABLE schema_edit_check (migration_0024_found_every_in_list_check INTEGER NOT NULL
  CHECK (migration_0024_found_every_in_list_check = 1));
INSERT INTO schema_edit_check
  SELECT COUNT(*) = 0 FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%';
DROP TABLE schema_edit_check;
