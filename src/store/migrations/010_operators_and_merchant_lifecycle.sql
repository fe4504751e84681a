-- Named operator accounts (security finding 6): each with its own token, kept only as a keyed
-- digest, and a role. The bootstrap admin is the one whose token is OPERATOR_TOKEN (no digest
-- here); its row exists so that its sessions and its acts have an account to point to.
CREATE TABLE operators (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('viewer', 'admin')),
  token_digest bytea UNIQUE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
INSERT INTO operators (id, name, role, created_by) VALUES ('op_bootstrap', 'bootstrap admin (OPERATOR_TOKEN)', 'admin', 'setup');

-- Dashboard sessions on the server: the cookie holds a random id, this table its digest. Signing
-- out deletes the row; a session also ends after a while without use and at its absolute end.
CREATE TABLE operator_sessions (
  id_digest    bytea PRIMARY KEY,
  operator_id  text NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- The merchant lifecycle (security finding 5): disabling, a grace period for the secret it had
-- before a rotation, and limits of its own over the configured defaults.
ALTER TABLE merchants
  ADD COLUMN disabled_at                 timestamptz,
  ADD COLUMN previous_secret_hash        text,
  ADD COLUMN previous_secret_valid_until timestamptz,
  ADD COLUMN requests_per_second         integer CHECK (requests_per_second > 0),
  ADD COLUMN codes_per_minute            integer CHECK (codes_per_minute > 0),
  ADD COLUMN max_payment_minor           bigint CHECK (max_payment_minor > 0);

-- Who did what outside any payment (operators, merchants' settings) is read newest first.
CREATE INDEX audit_events_actions ON audit_events (id) WHERE payment_id IS NULL;
