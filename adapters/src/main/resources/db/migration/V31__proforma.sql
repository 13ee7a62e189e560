-- Proforma first (plans with invoicing: proforma_first). A proforma is a row of invoices with status
-- 'proforma' numbered PRO-… in its own gapless series; paid, it becomes a paid invoice numbered INV-… and
-- keeps its PRO number in proforma_number.
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'finalized', 'paid', 'void', 'uncollectible', 'proforma'));
ALTER TABLE invoices ADD COLUMN proforma_number text;
CREATE UNIQUE INDEX invoices_proforma_number ON invoices (tenant_id, proforma_number) WHERE proforma_number IS NOT NULL;

CREATE TABLE proforma_counters (
    tenant_id    text PRIMARY KEY REFERENCES tenants (id),
    last_number  bigint NOT NULL
);
