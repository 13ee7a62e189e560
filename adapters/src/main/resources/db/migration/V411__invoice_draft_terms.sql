-- The subscription terms a period's draft invoice was written on (plan, catalog version, interval, quantity, after the
-- boundary's pending changes): regenerating the draft (POST /v1/invoices/{id}/regenerate) recomputes it only while the
-- subscription still has them — a plan, quantity or interval change since was charged on its own (a proration), and
-- repricing the period with it would charge that change twice. Only drafts have a row; ids only (no customer data).
CREATE TABLE invoice_draft_terms (
    tenant_id        text NOT NULL,
    invoice_id       text NOT NULL,
    catalog_version  integer NOT NULL,
    plan_code        text NOT NULL,
    billing_interval text NOT NULL,
    quantity         integer NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id)
);
