-- Revenue by every way of paying (counter cash and UPI joined COD and online, issue 21) and the
-- takeaway orders among an hour's orders. Days rolled up before have none of either: 0 is right.
ALTER TABLE analytics_hourly ADD COLUMN revenue_cash_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN revenue_upi_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE analytics_hourly ADD COLUMN takeaway_orders BIGINT NOT NULL DEFAULT 0;
