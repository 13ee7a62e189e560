-- Add-ons bought on a subscription: recurring packages (billed per calendar month, never prorated when the
-- catalog says so) and one-time bundles. [start_date, end_date) is when the add-on is in force; an upgrade
-- ends the old package the day the new one starts, a downgrade or cancellation ends it on the next 1st.
-- billed_through: the first month start not yet invoiced (packages).
CREATE TABLE subscription_add_ons (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    subscription_id  text NOT NULL,
    add_on_code      text NOT NULL,
    type             text NOT NULL CHECK (type IN ('package', 'bundle')),
    start_date       date NOT NULL,
    end_date         date,
    billed_through   date,
    replaces_id      text,
    invoice_id       text,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX subscription_add_ons_by_subscription ON subscription_add_ons (tenant_id, subscription_id);
