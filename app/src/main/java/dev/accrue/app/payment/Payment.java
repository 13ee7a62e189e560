package dev.accrue.app.payment;

import dev.accrue.core.money.Money;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Money received (or tried): an automatic attempt through the gateway, stored as {@code pending} before the
 * gateway is called (its id is the gateway's idempotency key), or a manual payment the operator recorded.
 * {@code applied} went to the invoice, {@code credited} (over-payment) to the customer's credit balance.
 * {@code reviewReason}: set on a pending attempt whose outcome the gateway could not tell once its idempotency key
 * was too old to resend (docs/payments.md#unknown-outcomes): it waits for an operator, never sent again.
 */
public record Payment(String id, String customerId, String invoiceId, String purpose, String source, String attemptKey, Integer round, String methodId,
                      String methodKind, String brand, String last4, String gateway, Money amount, Money applied, Money credited, Money refunded,
                      String status, String gatewayReference, String failureCode, String failureMessage, boolean hardDecline, String reference,
                      LocalDate receivedOn, String receiptNumber, Instant createdAt, Instant settledAt, String reviewReason) {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String INVOICE = "invoice";
    public static final String WALLET_RECHARGE = "wallet_recharge";
    public static final String AUTOMATIC = "automatic";
    public static final String MANUAL = "manual";

    /** A payment nobody has had to review. */
    public Payment(String id, String customerId, String invoiceId, String purpose, String source, String attemptKey, Integer round, String methodId,
                   String methodKind, String brand, String last4, String gateway, Money amount, Money applied, Money credited, Money refunded,
                   String status, String gatewayReference, String failureCode, String failureMessage, boolean hardDecline, String reference,
                   LocalDate receivedOn, String receiptNumber, Instant createdAt, Instant settledAt) {
        this(id, customerId, invoiceId, purpose, source, attemptKey, round, methodId, methodKind, brand, last4, gateway, amount, applied, credited, refunded,
                status, gatewayReference, failureCode, failureMessage, hardDecline, reference, receivedOn, receiptNumber, createdAt, settledAt, null);
    }

    public boolean needsReview() {
        return reviewReason != null && status.equals(PENDING);
    }

    /** The reference printed on the paid invoice and the receipt: the transfer's, else the gateway's. */
    public String printedReference() {
        return reference != null ? reference : gatewayReference;
    }

    public String methodLabel() {
        return brand == null ? methodKind.replace('_', ' ') : brand + " ···· " + last4;
    }
}
