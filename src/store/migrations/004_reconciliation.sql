-- Carrier settlement statements, imported whole or not at all, and their reconciliation runs.
CREATE TABLE statements (
  statement_id text PRIMARY KEY,
  carrier_id   text NOT NULL,
  period       text NOT NULL,
  currency     text NOT NULL,
  line_count   integer NOT NULL DEFAULT 0,
  imported_at  timestamptz NOT NULL DEFAULT now()
);

-- Staging: every line of every statement, as the carrier sent it (signed minor units).
CREATE TABLE statement_lines (
  statement_id           text NOT NULL,
  line_number            integer NOT NULL,
  event_type             text NOT NULL,
  carrier_transaction_id text NOT NULL,
  reference_code         text NOT NULL,
  msisdn                 text NOT NULL,
  event_time             timestamptz NOT NULL,
  amount_minor           bigint NOT NULL,
  tax_minor              bigint NOT NULL,
  revenue_share_minor    bigint NOT NULL,
  net_minor              bigint NOT NULL
);
CREATE INDEX statement_lines_statement ON statement_lines (statement_id);

CREATE TABLE reconciliation_runs (
  id           text PRIMARY KEY,
  statement_id text NOT NULL UNIQUE REFERENCES statements(statement_id),
  carrier_id   text NOT NULL,
  period       text NOT NULL,
  currency     text NOT NULL,
  counts       jsonb NOT NULL,
  totals       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_runs_carrier_period ON reconciliation_runs (carrier_id, period);

CREATE TABLE reconciliation_discrepancies (
  id              bigserial PRIMARY KEY,
  run_id          text NOT NULL REFERENCES reconciliation_runs(id) DEFERRABLE INITIALLY DEFERRED,
  class           text NOT NULL,
  reference_code  text NOT NULL,
  payment_id      text,
  gateway_amount  bigint,
  carrier_amount  bigint,
  detail          text NOT NULL,
  resolved_at     timestamptz,
  resolution_note text
);
CREATE INDEX reconciliation_discrepancies_run ON reconciliation_discrepancies (run_id, class, id);

-- Monthly jobs run once per key (carrier and period) across all instances.
CREATE TABLE job_runs (
  job        text NOT NULL,
  run_key    text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  outcome    text,
  PRIMARY KEY (job, run_key)
);

CREATE INDEX carrier_operations_settled ON carrier_operations (carrier_id, completed_at) WHERE outcome = 'succeeded';
