-- Consolidated invoicing (issue 16 point 13, docs/billing.md#account-hierarchies): a child with invoicing
-- 'consolidated' has its charges put on its parent's invoice of the day, as a section under the child's name.
-- A section is what one billing key of the child (a subscription's period, a change) put on that invoice: its key is
-- unique per tenant together with the invoices' own keys (checked by the repository: invoices.billing_key and
-- invoice_sections.billing_key are looked up both), which keeps a billing run exactly-once for a consolidated child too.
CREATE TABLE invoice_sections (
    tenant_id        text NOT NULL,
    billing_key      text NOT NULL,
    invoice_id       text NOT NULL,
    customer_id      text NOT NULL,
    subscription_id  text,
    first_line       integer NOT NULL,
    last_line        integer NOT NULL,
    subtotal         numeric(20, 6) NOT NULL,
    total            numeric(20, 6) NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, billing_key),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX invoice_sections_invoice ON invoice_sections (tenant_id, invoice_id);
CREATE INDEX invoice_sections_customer ON invoice_sections (tenant_id, customer_id);

-- the child a consolidated invoice's line belongs to, and its name as invoiced (null on ordinary invoices)
ALTER TABLE invoice_lines ADD COLUMN section_customer_id text;
ALTER TABLE invoice_lines ADD COLUMN section_name text;
