-- Money taken back off an invoice (docs/payments.md#what-was-paid-refunds-and-disputes): refunds and disputes lower
-- amount_paid; the invoice keeps how much each took so payment_status can say why (partially_refunded, refunded,
-- disputed). amount_paid stays "what the seller holds for this invoice now".
ALTER TABLE invoices ADD COLUMN amount_refunded numeric(20, 6) NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN amount_disputed numeric(20, 6) NOT NULL DEFAULT 0;

-- What a succeeded refund took off its invoice's amount_paid (refunds draw on what the payment applied to the
-- invoice first; what exceeds it was an over-payment credited to the customer).
ALTER TABLE refunds ADD COLUMN invoice_amount numeric(20, 6) NOT NULL DEFAULT 0;

-- A payment disputed by the payer's bank (a chargeback), as the gateway reports it. taken: what the dispute takes
-- off the invoice's amount_paid now (the disputed amount while open or lost, nothing once won); status open, won, lost.
CREATE TABLE disputes (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    payment_id         text NOT NULL,
    customer_id        text NOT NULL,
    invoice_id         text,
    gateway            text NOT NULL,
    gateway_reference  text NOT NULL,
    currency           char(3) NOT NULL,
    amount             numeric(20, 6) NOT NULL CHECK (amount > 0),
    taken              numeric(20, 6) NOT NULL DEFAULT 0 CHECK (taken >= 0),
    reason             text,
    status             text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    gateway_status     text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    closed_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (gateway, gateway_reference),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX disputes_of_customer ON disputes (tenant_id, customer_id, id DESC);
CREATE INDEX disputes_of_invoice ON disputes (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL;
