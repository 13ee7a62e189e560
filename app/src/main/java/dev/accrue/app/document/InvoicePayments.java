package dev.accrue.app.document;

import java.time.Instant;
import java.util.Optional;

/** When and with which reference an invoice was paid (printed on its document). */
public interface InvoicePayments {
    Optional<Paid> find(String tenantId, String invoiceId);

    /** Records the payment's reference (a bank transfer's, a direct debit's) on a paid invoice. */
    void recordReference(String tenantId, String invoiceId, String reference);

    record Paid(Instant at, String reference) {
    }
}
