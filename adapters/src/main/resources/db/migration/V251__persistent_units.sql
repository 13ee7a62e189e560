-- Persistent metrics (issue 16): units (seats, active numbers) added and removed by events, held across periods. An event
-- of such a metric records its operation; the unit's id is its unique_value. A window's quantity is read from the
-- subscription's unit events (every one up to the window's end: a unit added a year ago is still held), through this
-- partial index, which only those events enter — other events pay nothing for it at ingestion.
ALTER TABLE usage_events ADD COLUMN unit_op text CHECK (unit_op IN ('add', 'remove'));
CREATE INDEX usage_events_units ON usage_events (tenant_id, subscription_id, metric, occurred_at) WHERE unit_op IS NOT NULL;
