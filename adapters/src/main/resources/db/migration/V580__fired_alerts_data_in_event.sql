-- A fired alert's content is its domain event's data (usage.threshold_reached, budget.threshold_reached, ...), recorded
-- in the same transaction; fired_alerts kept a second copy of the same JSON. New rows leave it NULL and the alert
-- list reads the event's (domain_events is unique on (tenant_id, id) and keeps every event), so a firing writes its
-- payload once: less heap, TOAST and WAL per alert (docs/alerts.md#measured). Rows fired before keep their copy.
ALTER TABLE fired_alerts ALTER COLUMN data DROP NOT NULL;
