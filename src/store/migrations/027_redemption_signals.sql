-- Redemption signals of the cash-out defence (issue 17, CONTRACTS §8): who redeemed (the merchant's
-- account, the client's address), whose number bought the certificate, and redemptions held for
-- an operator with their balance reserved.
ALTER TABLE redemptions
  ADD COLUMN status text NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'held', 'refused')),
  ADD COLUMN buyer_phone text,
  ADD COLUMN redeemer_account text,
  ADD COLUMN redeemer_address text,
  ADD COLUMN risk_reasons jsonb,
  ADD COLUMN decided_by text,
  ADD COLUMN decided_at timestamptz;
CREATE INDEX redemptions_account ON redemptions (merchant_id, redeemer_account, created_at) WHERE redeemer_account IS NOT NULL;
CREATE INDEX redemptions_address ON redemptions (merchant_id, redeemer_address, created_at) WHERE redeemer_address IS NOT NULL;
CREATE INDEX redemptions_buyer ON redemptions (merchant_id, buyer_phone, created_at) WHERE redeemer_account IS NOT NULL;
CREATE INDEX redemptions_held ON redemptions (created_at) WHERE status = 'held';

-- What an operator refused a redemption of, per merchant (a merchant names accounts and addresses
-- as it sees them, so one merchant's word never holds another's redemptions): the account, the
-- address, and the certificate itself (its code is still in the broker's hands).
CREATE TABLE flagged_redeemers (
  kind        text NOT NULL CHECK (kind IN ('account', 'address', 'certificate')),
  merchant_id text NOT NULL,
  value       text NOT NULL,
  flagged_by  text NOT NULL,
  flagged_at  timestamptz NOT NULL,
  PRIMARY KEY (kind, merchant_id, value)
);
