-- How tax treated each invoice line, recorded when the document was taxed (see LineTax): the tax line that covers
-- it (1-based among the invoice's tax lines), its EN 16931 VAT category and the jurisdiction taxed in. Documents,
-- e-invoices and the tax report read these back instead of recomputing them from rates that may have changed.
ALTER TABLE invoice_lines
    ADD COLUMN tax_group    integer,
    ADD COLUMN vat_category text CHECK (vat_category IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O')),
    ADD COLUMN tax_country  text,
    ADD COLUMN tax_region   text;
