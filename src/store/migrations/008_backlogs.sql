-- What the operators watch on every scrape and dashboard view, without reading whole tables:
-- payments waiting for people, and the audit trail by time (the dashboard's funnel and declines).
CREATE INDEX payments_manual_review ON payments (created_at) WHERE status = 'manual_review';
CREATE INDEX audit_events_time ON audit_events (created_at, event);
