-- CAMARA refunds. The refundable amount is the gift certificate's unredeemed balance, taken off the
-- certificate in the transaction that records the refund.
CREATE TABLE refunds (
  id                text PRIMARY KEY,
  payment_id        text NOT NULL REFERENCES payments(id),
  merchant_id       text NOT NULL REFERENCES merchants(id),
  certificate_id    text NOT NULL REFERENCES gift_certificates(id),
  kind              text NOT NULL CHECK (kind IN ('total', 'partial')),
  status            text NOT NULL CHECK (status IN ('processing', 'succeeded', 'denied', 'manual_review')),
  client_correlator text,
  request_digest    text NOT NULL,
  reference_code    text NOT NULL,
  amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
  currency          text NOT NULL,
  reason            text,
  request           jsonb NOT NULL,
  sink              text,
  denial_reason     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  refund_date       timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- A denied refund frees its clientCorrelator and referenceCode: a retry is a fresh attempt.
CREATE UNIQUE INDEX refunds_client_correlator ON refunds (merchant_id, client_correlator) WHERE status <> 'denied';
CREATE UNIQUE INDEX refunds_reference_code ON refunds (merchant_id, reference_code) WHERE status <> 'denied';
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);

ALTER TABLE carrier_operations ADD COLUMN refund_id text REFERENCES refunds(id);
ALTER TABLE carrier_operations DROP CONSTRAINT carrier_operations_operation_check;
ALTER TABLE carrier_operations ADD CONSTRAINT carrier_operations_operation_check
  CHECK (operation IN ('charge_reservation', 'release', 'charge_amount', 'refund'));
CREATE UNIQUE INDEX carrier_operations_one_refund ON carrier_operations (refund_id) WHERE operation = 'refund';

-- Redemptions of gift certificates at the merchant.
CREATE TABLE redemptions (
  id             text PRIMARY KEY,
  certificate_id text NOT NULL REFERENCES gift_certificates(id),
  merchant_id    text NOT NULL REFERENCES merchants(id),
  amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX redemptions_certificate ON redemptions (certificate_id);
CREATE INDEX gift_certificates_expiry ON gift_certificates (expires_at) WHERE status = 'active';

-- An optional cap on what one merchant may bill per day.
ALTER TABLE merchants ADD COLUMN daily_cap_minor bigint CHECK (daily_cap_minor > 0);
