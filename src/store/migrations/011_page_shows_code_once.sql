-- The confirmation page shows a gift-certificate code once (security finding 9); afterwards only
-- its last characters. The first showing is recorded here, taken by one request only.
ALTER TABLE gift_certificates ADD COLUMN code_shown_on_page_at timestamptz;
