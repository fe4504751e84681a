-- Notifications of consents and subscriptions (issue 16, CONTRACTS §6), through the same outbox as
-- payments' (ordering, retries, signing): the database writes each event in the transaction that
-- changes the consent or subscription. An outbox row now belongs to a payment (and maybe a refund
-- of it), a consent, or a subscription; each one's events are delivered in order.
ALTER TABLE notification_outbox ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE notification_outbox ADD COLUMN consent_id text REFERENCES consents(id);
ALTER TABLE notification_outbox ADD COLUMN subscription_id text REFERENCES subscriptions(id);
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_owner
  CHECK (num_nonnulls(payment_id, consent_id, subscription_id) = 1);
CREATE INDEX notification_outbox_consent ON notification_outbox (consent_id, id) WHERE consent_id IS NOT NULL;
CREATE INDEX notification_outbox_subscription ON notification_outbox (subscription_id, id) WHERE subscription_id IS NOT NULL;

CREATE FUNCTION consents_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  kind := CASE NEW.status WHEN 'active' THEN 'consent-activated' WHEN 'revoked' THEN 'consent-revoked' END;
  IF kind IS NULL OR (kind = 'consent-revoked' AND OLD.status <> 'active') THEN
    RETURN NEW;
  END IF;
  INSERT INTO notification_outbox (consent_id, merchant_id, sink, event)
  VALUES (NEW.id, NEW.merchant_id, NEW.sink,
          outbox_event('/consents/v1', 'org.carrier-billing-gateway.consents.v1.' || kind,
                       jsonb_build_object('consentId', NEW.id, 'status', NEW.status)));
  RETURN NEW;
END $$;

CREATE TRIGGER consents_notify AFTER UPDATE OF status ON consents
  FOR EACH ROW WHEN (NEW.sink IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION consents_notify();

CREATE FUNCTION subscriptions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
  data jsonb;
BEGIN
  kind := CASE
    WHEN NEW.status = 'active' AND OLD.status = 'pending_validation' THEN 'subscription-activated'
    -- A period charged (the first one too, at confirmation or after a retry).
    WHEN NEW.next_period > OLD.next_period THEN 'subscription-renewed'
    WHEN NEW.status IN ('past_due', 'suspended') AND (OLD.status <> NEW.status OR NEW.next_try > OLD.next_try)
      THEN 'subscription-renewal-failed'
    WHEN NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN 'subscription-cancelled'
  END;
  IF kind IS NULL THEN
    RETURN NEW;
  END IF;
  data := jsonb_build_object('subscriptionId', NEW.id, 'status', NEW.status);
  IF kind = 'subscription-renewed' THEN
    data := data || jsonb_build_object('period', OLD.next_period);
  END IF;
  IF NEW.next_charge_at IS NOT NULL AND NEW.status IN ('active', 'past_due') THEN
    data := data || jsonb_build_object('nextChargeAt', to_char(NEW.next_charge_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
  END IF;
  INSERT INTO notification_outbox (subscription_id, merchant_id, sink, event)
  VALUES (NEW.id, NEW.merchant_id, NEW.sink,
          outbox_event('/subscriptions/v1', 'org.carrier-billing-gateway.subscriptions.v1.' || kind, data));
  RETURN NEW;
END $$;

CREATE TRIGGER subscriptions_notify AFTER UPDATE OF status, next_period, next_try ON subscriptions
  FOR EACH ROW WHEN (NEW.sink IS NOT NULL)
  EXECUTE FUNCTION subscriptions_notify();
