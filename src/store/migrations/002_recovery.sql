-- Recovery of charges with an unknown outcome, and retries of releases: each operation carries
-- how often recovery tried it and when it may try again (a lease, so instances never collide).
ALTER TABLE carrier_operations ADD COLUMN recovery_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE carrier_operations ADD COLUMN recovery_at timestamptz;
CREATE INDEX carrier_operations_to_recover ON carrier_operations (created_at)
  WHERE outcome IN ('pending', 'unknown', 'not_executed');
DROP INDEX carrier_operations_open;
