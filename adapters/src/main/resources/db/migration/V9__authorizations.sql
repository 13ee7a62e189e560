-- Real-time authorizations: a call holds a reservation of seconds while it runs. Available balance =
-- limit − used (the same daily aggregates invoices read) − live reservations, computed under the
-- subscription's row lock, so concurrent calls can never overdraw it.
CREATE TABLE authorizations (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    subscription_id  text NOT NULL,
    customer_id      text NOT NULL,
    metric           text NOT NULL,
    reserved         numeric(30, 9) NOT NULL CHECK (reserved > 0),
    status           text NOT NULL CHECK (status IN ('held', 'committed', 'released')),
    committed        numeric(30, 9),
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    settled_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
CREATE INDEX authorizations_held ON authorizations (tenant_id, subscription_id, metric) WHERE status = 'held';
