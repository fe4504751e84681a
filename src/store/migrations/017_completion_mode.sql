-- CAMARA's asynchronous behaviour as a merchant setting (issue 15): `async` merchants get
-- createPayment and createRefund answered `processing` at once, the outcome by notification.
ALTER TABLE merchants ADD COLUMN completion_mode text NOT NULL DEFAULT 'sync' CHECK (completion_mode IN ('sync', 'async'));
