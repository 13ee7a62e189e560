package dev.accrue.core.catalog;

/**
 * How a plan's period documents are issued. {@code STANDARD}: a finalized invoice with the tenant's next
 * invoice number. {@code PROFORMA_FIRST}: a proforma (its own gapless PRO number series, not an invoice) is
 * issued before collection, and marking it paid turns it into a paid invoice with the next invoice number.
 */
public enum Invoicing {
    STANDARD, PROFORMA_FIRST
}
