-- A merchant's own budgets of CAMARA requests a second (issue 15): reads and writes apart, null
-- for the configured defaults (READ_/WRITE_REQUESTS_PER_MERCHANT_PER_SECOND).
ALTER TABLE merchants
  ADD COLUMN reads_per_second  integer CHECK (reads_per_second > 0),
  ADD COLUMN writes_per_second integer CHECK (writes_per_second > 0);
