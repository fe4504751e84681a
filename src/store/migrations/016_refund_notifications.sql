-- CAMARA Refund notifications (issue 15): when a refund with a `sink` succeeds or is denied, the
-- database writes its CloudEvent to the same outbox as the payment's events, in the transaction
-- that settles it, so refund events are ordered, retried and signed as payment events are (and
-- come after the payment's own). A refund's `sinkCredential` is its own, sealed to the refund.
ALTER TABLE refunds ADD COLUMN sink_credential_encrypted text;
ALTER TABLE notification_outbox ADD COLUMN refund_id text REFERENCES refunds(id);

-- A CloudEvent for the outbox, as CAMARA's APIs send them (005's payment trigger builds it inline).
CREATE FUNCTION outbox_event(source text, kind text, data jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'source', source,
    'type', kind,
    'specversion', '1.0',
    'datacontenttype', 'application/json',
    'time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', data)
$$;

CREATE FUNCTION refunds_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
  data jsonb;
BEGIN
  kind := CASE NEW.status WHEN 'succeeded' THEN 'refund-completed' WHEN 'denied' THEN 'refund-denied' END;
  IF kind IS NULL THEN
    RETURN NEW;
  END IF;
  data := jsonb_build_object(
    'paymentId', NEW.payment_id,
    'refundId', NEW.id,
    'status', CASE WHEN NEW.status = 'denied' THEN 'failed' ELSE 'succeeded' END,
    'description', CASE WHEN NEW.status = 'denied' THEN 'Refund denied.' ELSE 'Refund completed.' END);
  IF NEW.status = 'succeeded' THEN
    data := data || jsonb_build_object('refundDate', to_char(NEW.refund_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  ELSE
    data := data || jsonb_build_object('denialReason', COALESCE(NEW.denial_reason, 'denied'));
  END IF;
  INSERT INTO notification_outbox (payment_id, refund_id, merchant_id, sink, event)
  VALUES (NEW.payment_id, NEW.id, NEW.merchant_id, NEW.sink,
          outbox_event('/carrier-billing-refund/v0.3', 'org.camaraproject.carrier-billing-refund.v0.' || kind, data));
  RETURN NEW;
END $$;

CREATE TRIGGER refunds_notify AFTER UPDATE OF status ON refunds
  FOR EACH ROW WHEN (NEW.sink IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION refunds_notify();
