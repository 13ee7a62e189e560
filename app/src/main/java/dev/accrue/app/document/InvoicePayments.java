package dev.accrue.app.document;

import dev.accrue.core.money.Money;

import java.time.LocalDate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** When and with which reference an invoice was paid, and the payments it received (printed on its document). */
public interface InvoicePayments {
    Optional<Paid> find(String tenantId, String invoiceId);

    /** Records the payment's reference (a bank transfer's, a direct debit's) on a paid invoice. */
    void recordReference(String tenantId, String invoiceId, String reference);

    /** The succeeded payments that paid part of the invoice, oldest first, with what each applied to it. */
    List<Received> received(String tenantId, String invoiceId);

    record Paid(Instant at, String reference) {
    }

    /** {@code receivedOn}: the transfer's date for a manual payment, else when the gateway approved it (null: unknown). */
    record Received(LocalDate receivedOn, Instant settledAt, String method, String reference, Money applied) {
    }
}
