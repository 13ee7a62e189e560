package dev.accrue.core.invoice;

/** draft → finalized → paid / void / uncollectible. Only drafts change; finalized invoices never do. */
public enum InvoiceStatus {
    DRAFT, FINALIZED, PAID, VOID, UNCOLLECTIBLE
}
