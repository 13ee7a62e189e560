-- Per-transaction fee bounds (issue 16): a percentage charge with a minimum or maximum fee per transaction prices each
-- event's own amount, which the day's sum loses. Events of metrics such a charge could price keep their value here, per
-- day and dimension as distinct values with how many events carried each, folded at ingestion like usage_unique; the
-- billing run reads the window's rows (at most one per event, usually far fewer) instead of raw events.
ALTER TABLE usage_events ADD COLUMN keep_value boolean NOT NULL DEFAULT false;
CREATE TABLE usage_values (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    day              date NOT NULL,
    dimension_key    text NOT NULL,
    value            numeric(30, 9) NOT NULL,
    events           bigint NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric, day, dimension_key, value)
);
