-- CAMARA notifications: an outbox filled by the database itself, in the transaction that changes a
-- payment's state, so no code path can change a state and forget to tell the merchant.
ALTER TABLE payments ADD COLUMN sink_credential_encrypted text;
ALTER TABLE merchants ADD COLUMN notification_secret_encrypted text;

CREATE TABLE notification_outbox (
  id           bigserial PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  payment_id   text NOT NULL REFERENCES payments(id),
  merchant_id  text NOT NULL,
  sink         text NOT NULL,
  event        jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  next_at      timestamptz NOT NULL DEFAULT now(),
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_at) WHERE status = 'pending';
CREATE INDEX notification_outbox_payment ON notification_outbox (payment_id, id);

CREATE FUNCTION payments_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
  data jsonb;
BEGIN
  kind := CASE NEW.status
    WHEN 'pending_validation' THEN 'payment-pending-validation'
    WHEN 'reserved' THEN 'payment-reserved'
    WHEN 'succeeded' THEN 'payment-completed'
    WHEN 'cancelled' THEN 'payment-cancelled'
    WHEN 'denied' THEN 'payment-denied'
  END;
  IF kind IS NULL THEN
    RETURN NEW;
  END IF;
  data := jsonb_build_object(
    'paymentId', NEW.id,
    'status', CASE WHEN NEW.status = 'denied' THEN 'failed' ELSE 'succeeded' END,
    'description', CASE NEW.status
      WHEN 'pending_validation' THEN 'Payment reserved; waiting for the phone user''s code.'
      WHEN 'reserved' THEN 'Payment validated and reserved.'
      WHEN 'succeeded' THEN 'Payment completed.'
      WHEN 'cancelled' THEN 'Payment cancelled.'
      ELSE 'Payment denied.' END);
  IF NEW.status = 'succeeded' THEN
    data := data || jsonb_build_object('paymentDate', to_char(NEW.payment_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  ELSIF NEW.status = 'denied' THEN
    data := data || jsonb_build_object('denialReason', COALESCE(NEW.denial_reason, 'denied'));
  END IF;
  INSERT INTO notification_outbox (payment_id, merchant_id, sink, event)
  VALUES (NEW.id, NEW.merchant_id, NEW.sink, jsonb_build_object(
    'source', '/carrier-billing/v0.5',
    'type', 'org.camaraproject.carrier-billing.v0.' || kind,
    'specversion', '1.0',
    'datacontenttype', 'application/json',
    'time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', data));
  RETURN NEW;
END $$;

CREATE TRIGGER payments_notify AFTER UPDATE OF status ON payments
  FOR EACH ROW WHEN (NEW.sink IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION payments_notify();
