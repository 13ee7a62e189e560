-- Per-tenant billing settings: how long invoices stay drafts (so late items can land) and how lines round.
ALTER TABLE tenants ADD COLUMN invoice_grace_hours integer NOT NULL DEFAULT 0 CHECK (invoice_grace_hours BETWEEN 0 AND 720);
ALTER TABLE tenants ADD COLUMN rounding_mode text NOT NULL DEFAULT 'half_up'
    CHECK (rounding_mode IN ('half_up', 'half_even', 'half_down', 'up', 'down', 'ceiling', 'floor'));
-- A draft is finalized by the first billing run at or after this instant (in the customer's own time).
ALTER TABLE invoices ADD COLUMN finalize_after timestamptz;
CREATE INDEX invoices_drafts_due ON invoices (finalize_after) WHERE status = 'draft';
