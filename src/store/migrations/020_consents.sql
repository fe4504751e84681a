-- Stored consent (issue 16, CONTRACTS §6): a phone user confirms once, by SMS code, and the
-- merchant may then charge that number within the consent's caps without another code.
CREATE TABLE consents (
  id                         text PRIMARY KEY,
  merchant_id                text NOT NULL REFERENCES merchants(id),
  phone_number               text NOT NULL,
  carrier_id                 text NOT NULL,
  description                text NOT NULL,
  currency                   text NOT NULL,
  max_per_charge_minor       bigint NOT NULL CHECK (max_per_charge_minor > 0),
  max_per_month_minor        bigint CHECK (max_per_month_minor > 0),
  expires_at                 timestamptz,
  status                     text NOT NULL CHECK (status IN ('pending_validation', 'active', 'revoked', 'denied')),
  -- The code, as for payments: only its digest, bound to the consent and the send.
  authorization_id           text NOT NULL,
  otp_digest                 bytea,
  otp_failures               integer NOT NULL DEFAULT 0,
  code_deadline_at           timestamptz,
  sink                       text,
  sink_credential_encrypted  text,
  created_at                 timestamptz NOT NULL,
  activated_at               timestamptz,
  revoked_at                 timestamptz,
  -- `merchant:<id>`, `phone-user` (a STOP reply or the self-service page), or an operator.
  revoked_by                 text
);
CREATE INDEX consents_of_phone ON consents (phone_number, created_at DESC);
CREATE INDEX consents_of_merchant ON consents (merchant_id, created_at DESC);
-- At most one consent in force per merchant and number: a new one replaces the old on activation.
CREATE UNIQUE INDEX consents_active_per_merchant_and_phone ON consents (merchant_id, phone_number) WHERE status = 'active';

-- A payment made under a consent names it (caps are summed over them).
ALTER TABLE payments ADD COLUMN consent_id text REFERENCES consents(id);
CREATE INDEX payments_of_consent ON payments (consent_id, created_at) WHERE consent_id IS NOT NULL;
