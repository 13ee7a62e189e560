-- Rented phone numbers. Billed per calendar month: setup fee and the first partial month by day at
-- provisioning (after a free trial on the customer's first number), then a full month on each 1st while
-- active, with regional regulatory fees as their own lines. A number the customer does not pay (auto-pay
-- off, or a prepaid wallet that cannot pay) goes on hold on the 1st and is released when hold_release_on
-- comes. A released number is never given back: the number stays unique per tenant.
CREATE TABLE phone_numbers (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    subscription_id  text NOT NULL,
    customer_id      text NOT NULL,
    number           text NOT NULL,
    country          text NOT NULL,
    type             text NOT NULL,
    add_on_code      text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'on_hold', 'released')),
    auto_pay         boolean NOT NULL DEFAULT true,
    provisioned_on   date NOT NULL,
    trial_ends_on    date,
    billed_through   date NOT NULL,
    on_hold_since    date,
    hold_release_on  date,
    released_on      date,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
CREATE INDEX phone_numbers_by_subscription ON phone_numbers (tenant_id, subscription_id);
CREATE INDEX phone_numbers_due ON phone_numbers (tenant_id, subscription_id, billed_through) WHERE status <> 'released';
