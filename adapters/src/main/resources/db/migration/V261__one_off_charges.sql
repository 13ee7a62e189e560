-- One-off charges (issue 16 point 12): a manual charge or a professional-services fee outside the catalog, invoiced at
-- once (invoice_id) or parked on a subscription's next regular invoice (the pending_items mechanism upgrades use).
CREATE TABLE one_off_charges (
    tenant_id       text NOT NULL,
    id              text NOT NULL,
    customer_id     text NOT NULL,
    subscription_id text,
    description     text NOT NULL,
    quantity        numeric(30, 12) NOT NULL CHECK (quantity > 0),
    unit_price      numeric(30, 12) NOT NULL CHECK (unit_price > 0),
    amount          numeric(20, 4) NOT NULL CHECK (amount > 0),
    currency        char(3) NOT NULL,
    tax_category    text NOT NULL,
    invoicing       text NOT NULL CHECK (invoicing IN ('now', 'next_invoice')),
    invoice_id      text,
    service_date    date NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
    CHECK ((invoicing = 'next_invoice') = (subscription_id IS NOT NULL AND invoice_id IS NULL) OR invoicing = 'now')
);
CREATE INDEX one_off_charges_by_customer ON one_off_charges (tenant_id, customer_id, id);
