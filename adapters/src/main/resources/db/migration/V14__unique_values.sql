-- Distinct values of unique-count metrics (contacts, callers), per day: the aggregate those metrics are
-- counted from (a distinct count cannot be summed from daily counts).
ALTER TABLE usage_events ADD COLUMN unique_value text;
CREATE TABLE usage_unique (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    day              date NOT NULL,
    value            text NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric, day, value)
);
