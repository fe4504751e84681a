-- The cash-out defence's rules and decisions (issue 17, CONTRACTS §8).

-- Every payment decided by the rules keeps the decision and the rules that fired (a payment the
-- rules denied is kept `rejected`, so an operator sees it). `step_up`: a charge without a code that
-- the rules found risky was made to ask for one.
ALTER TABLE payments
  ADD COLUMN risk_decision text CHECK (risk_decision IN ('allow', 'review', 'deny', 'step_up')),
  ADD COLUMN risk_reasons jsonb;
CREATE INDEX payments_risk_flagged ON payments (created_at) WHERE risk_decision IN ('review', 'deny', 'step_up');
CREATE INDEX payments_held ON payments (created_at) WHERE status = 'held';

-- The rule set the operator API last put; the newest row is in force (none: the configured rules).
-- Older rows stay: who changed the rules, when, and to what.
CREATE TABLE risk_rule_sets (
  version    bigserial PRIMARY KEY,
  rules      jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
