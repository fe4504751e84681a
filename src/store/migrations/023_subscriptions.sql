-- Subscriptions (issue 16, CONTRACTS §6): a fixed amount every month or week, confirmed once by
-- SMS code; the first charge at confirmation, then one per period by the renewal job. Period `n`
-- is charged by a payment whose reference names the subscription, `n` and the try, so a renewal
-- repeated after a crash finds its payment instead of charging again.
CREATE TABLE subscriptions (
  id                         text PRIMARY KEY,
  merchant_id                text NOT NULL REFERENCES merchants(id),
  phone_number               text NOT NULL,
  carrier_id                 text NOT NULL,
  description                text NOT NULL,
  currency                   text NOT NULL,
  amount_minor               bigint NOT NULL CHECK (amount_minor > 0),
  period                     text NOT NULL CHECK (period IN ('P1M', 'P1W')),
  status                     text NOT NULL CHECK (status IN ('pending_validation', 'active', 'past_due', 'suspended', 'cancelled', 'denied')),
  authorization_id           text NOT NULL,
  otp_digest                 bytea,
  otp_failures               integer NOT NULL DEFAULT 0,
  code_deadline_at           timestamptz,
  -- The first charge's time: every period starts on its day and time in the carrier's zone.
  anchor_at                  timestamptz,
  -- The period to charge next, its try (declined renewals are tried again), and when.
  next_period                integer NOT NULL DEFAULT 0,
  next_try                   integer NOT NULL DEFAULT 0,
  next_charge_at             timestamptz,
  reminded_period            integer,
  cancel_at_period_end       boolean NOT NULL DEFAULT false,
  -- An instance renewing it holds it until then (another may take it up after a crash).
  leased_until               timestamptz,
  sink                       text,
  sink_credential_encrypted  text,
  created_at                 timestamptz NOT NULL,
  cancelled_at               timestamptz,
  cancelled_by               text
);
CREATE INDEX subscriptions_due ON subscriptions (next_charge_at) WHERE status IN ('active', 'past_due');
CREATE INDEX subscriptions_of_phone ON subscriptions (phone_number, created_at DESC);
CREATE INDEX subscriptions_of_merchant ON subscriptions (merchant_id, created_at DESC);

ALTER TABLE payments ADD COLUMN subscription_id text REFERENCES subscriptions(id);
ALTER TABLE payments ADD COLUMN subscription_period integer;
CREATE INDEX payments_of_subscription ON payments (subscription_id, subscription_period) WHERE subscription_id IS NOT NULL;
