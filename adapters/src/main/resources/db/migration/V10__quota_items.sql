-- Counted items of a quota (AI employees, phone numbers …): an item counts while active. Activation is one
-- conditional insert under the subscription's lock, so concurrent creates cannot exceed the plan's quota.
CREATE TABLE quota_items (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    quota            text NOT NULL,
    item_id          text NOT NULL,
    active           boolean NOT NULL,
    activated_at     timestamptz NOT NULL,
    deactivated_at   timestamptz,
    PRIMARY KEY (tenant_id, subscription_id, quota, item_id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
