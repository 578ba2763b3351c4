-- How an order leaves the kitchen: 'delivery' (every order so far) or 'takeaway' (collected at the
-- counter: no address, no delivery fee, no rider).
ALTER TABLE orders ADD COLUMN order_type TEXT NOT NULL DEFAULT 'delivery' CHECK (order_type IN ('delivery', 'takeaway'));
