-- Three-legged access (issue 15, CONTRACTS §1b): a phone user lets a merchant act for their
-- number. A grant is that consent (who, which merchant, which scopes, when, and who revoked it);
-- an authorization request is one CIBA or authorization-code round on the way to a grant.
CREATE TABLE access_grants (
  id           text PRIMARY KEY,
  merchant_id  text NOT NULL REFERENCES merchants(id),
  phone_number text NOT NULL,
  scopes       text[] NOT NULL,
  flow         text NOT NULL CHECK (flow IN ('ciba', 'authorization_code')),
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  -- `phone-user` or the operator who revoked it (`operator:<id>`, `cli:<user>`).
  revoked_by   text
);
CREATE INDEX access_grants_of_phone ON access_grants (phone_number, created_at DESC);
CREATE INDEX access_grants_of_merchant ON access_grants (merchant_id, created_at DESC);

CREATE TABLE authorization_requests (
  id                text PRIMARY KEY,
  merchant_id       text NOT NULL REFERENCES merchants(id),
  flow              text NOT NULL CHECK (flow IN ('ciba', 'authorization_code')),
  phone_number      text NOT NULL,
  scopes            text[] NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'issued')),
  -- Secrets are kept only as keyed digests: the approval page's link, CIBA's auth_req_id, the
  -- authorization code once approved, and the SMS code.
  page_digest       bytea NOT NULL UNIQUE,
  auth_req_digest   bytea UNIQUE,
  code_digest       bytea UNIQUE,
  otp_digest        bytea NOT NULL,
  otp_failures      integer NOT NULL DEFAULT 0,
  expires_at        timestamptz NOT NULL,
  -- CIBA polling: not before this (`slow_down` otherwise).
  next_poll_at      timestamptz,
  -- Authorization code flow: where to send the phone user back, and PKCE's S256 challenge.
  redirect_uri      text,
  state             text,
  code_challenge    text,
  code_expires_at   timestamptz,
  grant_id          text REFERENCES access_grants(id),
  created_at        timestamptz NOT NULL
);
CREATE INDEX authorization_requests_expiry ON authorization_requests (expires_at);

-- A three-legged token is bound to its grant: revoking the grant deletes it.
ALTER TABLE access_tokens ADD COLUMN grant_id text REFERENCES access_grants(id) ON DELETE CASCADE;
CREATE INDEX access_tokens_of_grant ON access_tokens (grant_id) WHERE grant_id IS NOT NULL;

-- Where a merchant's authorization-code flow may send the phone user back (exact match).
ALTER TABLE merchants ADD COLUMN redirect_uris text[] NOT NULL DEFAULT '{}';
