-- Merchants and their credentials. Secrets are kept only as scrypt hashes.
CREATE TABLE merchants (
  id                 text PRIMARY KEY,
  name               text NOT NULL,
  client_id          text NOT NULL UNIQUE,
  client_secret_hash text NOT NULL,
  scopes             text[] NOT NULL,
  one_step_payments  boolean NOT NULL DEFAULT false,
  validation_mode    text NOT NULL DEFAULT 'validate' CHECK (validation_mode IN ('validate', 'open')),
  created_at         timestamptz NOT NULL DEFAULT now()
);

-- Access tokens, stored only as keyed hashes.
CREATE TABLE access_tokens (
  token_hash  bytea PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  scopes      text[] NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Keys the gateway generated for itself when none was configured (embedded demo only).
CREATE TABLE gateway_secrets (
  name  text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE payments (
  id                text PRIMARY KEY,
  merchant_id       text NOT NULL REFERENCES merchants(id),
  kind              text NOT NULL CHECK (kind IN ('two_step', 'one_step')),
  status            text NOT NULL,
  client_correlator text,
  -- Digest of the request, to tell a retry (same request) from a reuse (different request).
  request_digest    text NOT NULL,
  reference_code    text NOT NULL,
  phone_number      text NOT NULL,
  carrier_id        text NOT NULL,
  amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
  currency          text NOT NULL,
  description       text NOT NULL,
  -- The merchant's amountTransaction as received, echoed back by the API.
  request           jsonb NOT NULL,
  sink              text,
  reservation_id    text,
  authorization_id  text,
  otp_digest        bytea,
  otp_sends         integer NOT NULL DEFAULT 0,
  otp_failures      integer NOT NULL DEFAULT 0,
  otp_sent_at       timestamptz,
  -- When the current state lapses (code TTL, reservation TTL); the expiry job reads it.
  deadline_at       timestamptz,
  denial_reason     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  payment_date      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- A refused payment frees its clientCorrelator and referenceCode, so a retry is a fresh attempt.
CREATE UNIQUE INDEX payments_client_correlator ON payments (merchant_id, client_correlator) WHERE status <> 'rejected';
CREATE UNIQUE INDEX payments_reference_code ON payments (merchant_id, reference_code) WHERE status <> 'rejected';
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at);
CREATE INDEX payments_deadline ON payments (deadline_at) WHERE deadline_at IS NOT NULL;
CREATE INDEX payments_phone ON payments (phone_number, created_at);

-- Every operation sent to a carrier: intent written before the call, outcome after.
CREATE TABLE carrier_operations (
  id             text PRIMARY KEY, -- sent to the carrier as referenceCode
  payment_id     text NOT NULL REFERENCES payments(id),
  carrier_id     text NOT NULL,
  operation      text NOT NULL CHECK (operation IN ('charge_reservation', 'release', 'charge_amount')),
  amount_minor   bigint NOT NULL,
  currency       text NOT NULL,
  outcome        text NOT NULL DEFAULT 'pending'
                 CHECK (outcome IN ('pending', 'succeeded', 'declined', 'not_executed', 'unknown')),
  detail         text,
  tries          integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  completed_at   timestamptz
);
-- The database itself forbids a second charge of one payment.
CREATE UNIQUE INDEX carrier_operations_one_charge ON carrier_operations (payment_id)
  WHERE operation IN ('charge_reservation', 'charge_amount');
CREATE UNIQUE INDEX carrier_operations_one_release ON carrier_operations (payment_id) WHERE operation = 'release';
CREATE INDEX carrier_operations_open ON carrier_operations (operation, created_at) WHERE outcome IN ('pending', 'not_executed');

CREATE TABLE gift_certificates (
  id             text PRIMARY KEY,
  payment_id     text NOT NULL UNIQUE REFERENCES payments(id),
  merchant_id    text NOT NULL REFERENCES merchants(id),
  code_digest    bytea NOT NULL UNIQUE,
  code_encrypted text NOT NULL,
  face_minor     bigint NOT NULL CHECK (face_minor > 0),
  balance_minor  bigint NOT NULL CHECK (balance_minor >= 0 AND balance_minor <= face_minor),
  currency       text NOT NULL,
  status         text NOT NULL CHECK (status IN ('active', 'redeemed', 'void', 'expired')),
  issued_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL
);

-- Append-only history of every payment: who did what, and each SMS text (the consent evidence).
CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  payment_id   text,
  merchant_id  text,
  actor        text NOT NULL,
  event        text NOT NULL,
  from_status  text,
  to_status    text,
  sms_text     text,
  detail       jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_payment ON audit_events (payment_id, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
