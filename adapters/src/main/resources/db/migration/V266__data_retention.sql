-- Data lifecycle (issue 17 point 7). Per tenant: how long raw usage events stay after the window they fall in was
-- invoiced (the daily aggregates, billed_usage and the invoices stay for good), and how long a customer's data stays
-- after their last subscription ended before it is erased (the seeds: "often thirty to ninety days"). A tenant
-- without a row has the defaults (90 and 90 days).
CREATE TABLE data_retention_settings (
    tenant_id                      text PRIMARY KEY REFERENCES tenants (id),
    usage_days_after_invoiced      integer NOT NULL CHECK (usage_days_after_invoiced BETWEEN 0 AND 3650),
    customer_days_after_cancellation integer NOT NULL CHECK (customer_days_after_cancellation BETWEEN 30 AND 90),
    updated_at                     timestamptz NOT NULL
);

-- When the customer's personal data was erased (what tax law keeps stays: invoices, credit notes, payments, ledgers,
-- and the name, address and tax id those documents show).
ALTER TABLE customers ADD COLUMN erased_at timestamptz;
