package dev.accrue.app.document;

import java.time.Instant;
import java.util.Optional;

/** When and with which reference an invoice was paid (printed on its document). */
public interface InvoicePayments {
    Optional<Paid> find(String tenantId, String invoiceId);

    record Paid(Instant at, String reference) {
    }
}
