-- Credit notes (issue 12): corrections of a finalized invoice, which never changes. Each is its own document in the
-- tenant's gapless CN-… series (a counter row locked by the creating transaction, like invoice_counters), linked to
-- the invoice it corrects. Its total becomes customer credit (resolution 'credit'); 'refund' joins once payments exist.
CREATE TABLE credit_note_counters (
    tenant_id    text PRIMARY KEY REFERENCES tenants (id),
    last_number  bigint NOT NULL
);

CREATE TABLE credit_notes (
    tenant_id    text NOT NULL,
    id           text NOT NULL,
    number       text NOT NULL,
    invoice_id   text NOT NULL,
    customer_id  text NOT NULL,
    currency     char(3) NOT NULL,
    total        numeric(20, 6) NOT NULL CHECK (total > 0),
    reason       text NOT NULL,
    resolution   text NOT NULL CHECK (resolution IN ('credit')),
    issue_date   date NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX credit_notes_by_invoice ON credit_notes (tenant_id, invoice_id, id);
CREATE INDEX credit_notes_by_customer ON credit_notes (tenant_id, customer_id, id DESC);

-- invoice_line_no: the credited invoice line (1-based, invoice_lines.line_no), null for a credit of the invoice as a whole
CREATE TABLE credit_note_lines (
    tenant_id        text NOT NULL,
    credit_note_id   text NOT NULL,
    line_no          integer NOT NULL,
    invoice_id       text NOT NULL,
    invoice_line_no  integer,
    description      text NOT NULL,
    amount           numeric(20, 6) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (tenant_id, credit_note_id, line_no),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id, invoice_line_no) REFERENCES invoice_lines (tenant_id, invoice_id, line_no)
);
