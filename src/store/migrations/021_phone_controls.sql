-- Phone users' own controls (issue 16, CONTRACTS §7): a block of carrier billing on their number
-- (lifted only after a cooling-off period) and a monthly limit of their own below the carrier's
-- (lowered at once, raised only after the cooling-off period).
CREATE TABLE phone_controls (
  phone_number        text PRIMARY KEY,
  blocked_at          timestamptz,
  unblock_at          timestamptz,
  own_limit_minor     bigint CHECK (own_limit_minor >= 0),
  raised_limit_minor  bigint CHECK (raised_limit_minor >= 0),
  raised_limit_at     timestamptz,
  updated_at          timestamptz NOT NULL
);
