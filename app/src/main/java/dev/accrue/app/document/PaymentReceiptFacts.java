package dev.accrue.app.document;

import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** What a payment receipt prints, for a succeeded payment of an invoice. */
public interface PaymentReceiptFacts {
    Optional<Receipt> receipt(String tenantId, String paymentId);

    /**
     * {@code method}: "visa ···· 4242" or "bank transfer"; {@code receivedOn}: the transfer's date (manual payments);
     * {@code refunded}: what refunds of the payment gave back since (the receipt is reprinted with it).
     */
    record Receipt(String paymentId, String number, String customerId, String invoiceId, String invoiceNumber, Money amount, Money applied, Money credited,
                   String method, String reference, LocalDate receivedOn, Instant settledAt, Money refunded) {
    }
}
