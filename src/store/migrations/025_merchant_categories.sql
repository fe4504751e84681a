-- Merchant categories (issue 17, CONTRACTS §8): a number's purchases at all merchants of one
-- category (gift certificates above all, the cash-out path) have a monthly cap of their own.
ALTER TABLE merchants ADD COLUMN category text NOT NULL DEFAULT 'other'
  CHECK (category IN ('gift_certificate', 'digital_content', 'game', 'subscription_service', 'other'));
