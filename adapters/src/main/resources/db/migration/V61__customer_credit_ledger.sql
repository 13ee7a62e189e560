-- Customer credit (issue 10): an append-only ledger per customer. Grants are positive (unused days of a subscription
-- cancelled with refund: prorated), applications negative (consumed by an invoice, shown on it as a "credit" line).
-- The balance is the sum of the entries. A source is credited or consumed once: the unique key makes a repeated
-- cancellation or invoice issuance a no-op instead of a double credit.
CREATE TABLE customer_credit_entries (
    tenant_id    text NOT NULL,
    id           text NOT NULL,
    customer_id  text NOT NULL,
    currency     char(3) NOT NULL,
    amount       numeric(20, 4) NOT NULL CHECK (amount <> 0),
    kind         text NOT NULL CHECK (kind IN ('granted', 'applied')),
    source_id    text NOT NULL,
    description  text NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, source_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX customer_credit_entries_by_customer ON customer_credit_entries (tenant_id, customer_id, id);
