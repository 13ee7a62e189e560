package dev.accrue.core.invoice;

/**
 * draft → finalized → paid / void / uncollectible. Only drafts change; finalized invoices never do. A
 * proforma (plans invoiced proforma first) is a payment request with its own number series: paid, it becomes
 * a paid invoice with the next invoice number; voided, it stays a void proforma.
 */
public enum InvoiceStatus {
    DRAFT, FINALIZED, PAID, VOID, UNCOLLECTIBLE, PROFORMA
}
