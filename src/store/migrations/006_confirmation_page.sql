-- The hosted confirmation page of merchants with validationMode "open": an unguessable token in
-- the page's URL, kept only as a keyed digest.
ALTER TABLE payments ADD COLUMN page_token_digest bytea UNIQUE;
