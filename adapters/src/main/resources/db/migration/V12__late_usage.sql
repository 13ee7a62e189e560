-- Usage that arrives (inside the lateness window) for a period already invoiced: it counts in that period,
-- and the next invoice carries the difference it makes as a labelled adjustment.
ALTER TABLE usage_events ADD COLUMN late boolean NOT NULL DEFAULT false;
ALTER TABLE usage_events ADD COLUMN adjusted_invoice_id text;
CREATE INDEX usage_events_late_pending ON usage_events (tenant_id, subscription_id) WHERE late AND adjusted_invoice_id IS NULL;
