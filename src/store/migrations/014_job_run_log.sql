-- Every run of every scheduled job, on whichever instance (issue 14): when it started and ended,
-- how it went and what it did, so operators can see that a job ran, where and for how long. A run
-- with no end was cut short (its instance died). Pruned by the expiry job.
CREATE TABLE job_run_log (
  id          bigserial PRIMARY KEY,
  job         text NOT NULL,
  instance    text NOT NULL,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  outcome     text CHECK (outcome IN ('succeeded', 'failed')),
  detail      jsonb
);
CREATE INDEX job_run_log_by_start ON job_run_log (started_at DESC);
CREATE INDEX job_run_log_by_job ON job_run_log (job, started_at DESC);
