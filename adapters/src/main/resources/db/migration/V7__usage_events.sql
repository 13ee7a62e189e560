-- Usage events, unique per (tenant, event id) by the primary key: a retried event is a duplicate and is
-- never counted twice. Each accepted event is folded, in the same statement, into a per-day aggregate, so
-- invoices and usage views read aggregates and never scan raw events.
CREATE TABLE usage_events (
    tenant_id        text NOT NULL,
    event_id         text NOT NULL,
    customer_id      text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    occurred_at      timestamptz NOT NULL,
    day              date NOT NULL,
    quantity         numeric(30, 9) NOT NULL,
    dimension_key    text NOT NULL,
    counted          boolean NOT NULL,
    properties       jsonb NOT NULL,
    received_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, event_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);

-- One row per subscription, metric, local day and dimension combination.
CREATE TABLE usage_daily (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    metric           text NOT NULL,
    day              date NOT NULL,
    dimension_key    text NOT NULL,
    quantity         numeric(30, 9) NOT NULL,
    events           bigint NOT NULL,
    max_quantity     numeric(30, 9) NOT NULL,
    latest_at        timestamptz NOT NULL,
    latest_quantity  numeric(30, 9) NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric, day, dimension_key)
);

ALTER TABLE tenants ADD COLUMN event_lateness_days integer NOT NULL DEFAULT 35 CHECK (event_lateness_days BETWEEN 0 AND 400);
ALTER TABLE tenants ADD COLUMN max_event_quantity numeric(30, 9) NOT NULL DEFAULT 1000000000 CHECK (max_event_quantity > 0);
