-- A merchant's tokens belong to a generation (security review): revoking, disabling or rotating a
-- leaked secret starts a new one, and a token of an older generation never authenticates, even if
-- a token request that checked the old secret just before the change wrote it just after.
ALTER TABLE merchants ADD COLUMN token_generation integer NOT NULL DEFAULT 0;
ALTER TABLE access_tokens ADD COLUMN generation integer NOT NULL DEFAULT 0;

-- The outbox is claimed merchant by merchant, each one's due rows in order, however long one
-- merchant's backlog is.
CREATE INDEX notification_outbox_pending_by_merchant ON notification_outbox (merchant_id, next_at) WHERE status = 'pending';
-- Notifications still pending past notifications.retryHours (never tried: their merchant's slots
-- were full) are given up in bulk.
CREATE INDEX notification_outbox_pending_age ON notification_outbox (created_at) WHERE status = 'pending';
