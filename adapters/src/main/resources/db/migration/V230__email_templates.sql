-- A tenant's own subject line and intro paragraph for one kind of document email (invoice, credit_note, proforma,
-- receipt, payment_receipt, statement); absent = the built-in wording. Both are templates checked when stored.
CREATE TABLE email_templates (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    kind        text NOT NULL,
    subject     text,
    intro       text,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);
