-- The staff role: the counter and the kitchen (orders board, counter orders, kitchen actions).
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('customer', 'delivery', 'admin', 'staff'));
