-- What each document billed, per charge and usage window: the one record that "already invoiced", "adjust on
-- the next document" and "final invoice at the end" are derived from, for every cadence (billing period, week,
-- month, year, trial). A window's first row is written by the document that billed it (also when it billed
-- nothing, document_id ''); every later adjustment adds a row with the difference. A window is re-priced
-- when usage on one of its days arrives late, is corrected or is cancelled: those mark its rows dirty, and the
-- next document of that charge's cadence bills (re-priced amount - sum of its rows) as a labelled adjustment.
-- Rows with charge_code '*' mark that a cadence's window was closed even when no charge of it was in force.
-- recheck_after: a window is re-priced once more after it was billed (with the next document of its cadence,
-- or by itself for an ended subscription), so an event that was being stored in the very instant its window
-- was billed — validated before, committed after — is still billed.
CREATE TABLE billed_usage (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    charge_code      text NOT NULL,
    metric           text NOT NULL,
    cadence          text NOT NULL,
    window_start     date NOT NULL,
    window_end       date NOT NULL,
    seq              integer NOT NULL,
    document_id      text NOT NULL,
    quantity         numeric(30, 9) NOT NULL,
    amount           numeric(30, 9) NOT NULL,
    dirty            boolean NOT NULL DEFAULT false,
    recheck_after    timestamptz,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, charge_code, cadence, window_start, seq),
    CHECK (window_start < window_end)
);
CREATE INDEX billed_usage_by_metric ON billed_usage (tenant_id, subscription_id, metric, window_end);
CREATE INDEX billed_usage_dirty ON billed_usage (tenant_id, subscription_id) WHERE dirty OR recheck_after IS NOT NULL;

-- An ended subscription owes one final usage document (its last, cut window); true once it was issued.
ALTER TABLE subscriptions ADD COLUMN usage_closed boolean NOT NULL DEFAULT false;
UPDATE subscriptions SET usage_closed = true WHERE ended_on IS NOT NULL;

-- Late usage and corrections are now found through billed_usage's dirty windows.
DROP TABLE usage_adjustments;
DROP INDEX usage_events_late_pending;
ALTER TABLE usage_events DROP COLUMN adjusted_invoice_id;

-- Unique counts are counted per dimension combination (group_by), like every other aggregation.
ALTER TABLE usage_unique ADD COLUMN dimension_key text NOT NULL DEFAULT '';
ALTER TABLE usage_unique DROP CONSTRAINT usage_unique_pkey;
DELETE FROM usage_unique;
INSERT INTO usage_unique (tenant_id, subscription_id, metric, day, value, dimension_key)
SELECT DISTINCT tenant_id, subscription_id, metric, day, unique_value, dimension_key FROM usage_events
WHERE counted AND unique_value IS NOT NULL;
ALTER TABLE usage_unique ADD PRIMARY KEY (tenant_id, subscription_id, metric, day, dimension_key, value);
