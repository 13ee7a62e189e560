-- Closed-days rollup of usage_daily (issue 18 point 4): a window's sums over its days before through_day, kept per
-- (subscription, metric, window start) so that a read adds ~20 rolled-up rows to the last few days' rows instead of
-- summing every day row of the window. Exact by construction, see UsageRollups: a head counts only while its version
-- equals the subscription's current version in usage_past_versions, which every change to a day before yesterday
-- (system UTC day) bumps in the transaction that makes it, and a rollup covers only days before the day before yesterday.

-- Bumped by any change to usage_daily of a "closed" day (ingestion of an event dated before yesterday, recomputeDay).
-- Never deleted while heads may refer to it: a version going back to 0 would make an old head look current.
CREATE TABLE usage_past_versions (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    version          bigint NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric)
);

-- One per window start: the rollup covers [from_day, through_day) as of version.
CREATE TABLE usage_rollup_heads (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    from_day         date NOT NULL,
    through_day      date NOT NULL,
    version          bigint NOT NULL,
    built_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric, from_day)
);

-- A build's rows carry its (through_day, version): a build inserts its own rows and deletes the others of the window in
-- one statement, and a reader takes only the rows its head names (a concurrent builder's rows are never mixed in).
CREATE TABLE usage_rollup_rows (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    from_day         date NOT NULL,
    through_day      date NOT NULL,
    version          bigint NOT NULL,
    dimension_key    text NOT NULL,
    quantity         numeric NOT NULL,
    events           bigint NOT NULL,
    max_quantity     numeric NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric, from_day, through_day, version, dimension_key)
);
