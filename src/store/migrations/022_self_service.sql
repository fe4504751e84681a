-- The phone user's self-service page (issue 16, CONTRACTS §7): sign-in by number and SMS code,
-- then a session of its own. Secrets only as keyed digests.
CREATE TABLE phone_user_sign_ins (
  digest        bytea PRIMARY KEY,
  phone_number  text NOT NULL,
  otp_digest    bytea NOT NULL,
  failures      integer NOT NULL DEFAULT 0,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX phone_user_sign_ins_expiry ON phone_user_sign_ins (expires_at);

CREATE TABLE phone_user_sessions (
  digest        bytea PRIMARY KEY,
  phone_number  text NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX phone_user_sessions_expiry ON phone_user_sessions (expires_at);
