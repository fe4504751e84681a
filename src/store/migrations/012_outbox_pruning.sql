-- Delivered and failed notifications are deleted after notifications.keepDays (security finding
-- 11: the outbox used to grow for ever); this index finds them by age.
CREATE INDEX notification_outbox_finished ON notification_outbox (created_at) WHERE status <> 'pending';
