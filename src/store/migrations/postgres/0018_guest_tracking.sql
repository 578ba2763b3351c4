-- Guest checkout (issue 21): the unguessable token of a guest's tracking link.
ALTER TABLE orders ADD COLUMN tracking_token TEXT;
CREATE UNIQUE INDEX orders_tracking_token ON orders (tracking_token) WHERE tracking_token IS NOT NULL;
