-- CAMARA's asynchronous behaviour for preparePayment too (issue 15): a payment whose merchant was
-- answered `processing` with its id before the carrier was asked. Such a payment is the
-- merchant's to see while it is still reserving, and a refused reservation ends it `denied`
-- (notified), not `rejected` (which means no id was ever given out).
ALTER TABLE payments ADD COLUMN completes_async boolean NOT NULL DEFAULT false;
