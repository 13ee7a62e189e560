-- A customer's standing for tax (issue 12): taxable (pays its jurisdiction's rate), exempt (no tax), or business
-- (reverse-charged within the EU when its VAT id is of another member state than the seller's).
ALTER TABLE customers ADD COLUMN tax_status text NOT NULL DEFAULT 'taxable'
    CHECK (tax_status IN ('taxable', 'exempt', 'business'));
