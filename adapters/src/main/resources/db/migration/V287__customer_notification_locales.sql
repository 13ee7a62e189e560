-- The language of a customer's notifications and emails (docs/notifications.md), chosen by the tenant through
-- PUT /v1/customers/{id}/notification_preferences {"locale": "de-DE"}; none = English. No foreign key to customers on
-- purpose (BillingHistory counts tables referencing a customer as billing history); erasure deletes the row.
CREATE TABLE customer_notification_locales (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    customer_id  text NOT NULL,
    locale       text NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
