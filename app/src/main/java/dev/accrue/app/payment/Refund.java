package dev.accrue.app.payment;

import dev.accrue.core.money.Money;

import java.time.Instant;

/**
 * Money given back on a payment, stored as {@code pending} before the gateway is called (its id is the idempotency key).
 * {@code invoiceAmount}: what it took off the invoice's amount_paid once it succeeded ({@link TakeBacks}); null before.
 */
public record Refund(String id, String paymentId, String customerId, String invoiceId, String creditNoteId, Money amount, String reason, String status,
                     String gatewayReference, String failureMessage, Instant createdAt, Instant settledAt, Money invoiceAmount) {
    public Refund(String id, String paymentId, String customerId, String invoiceId, String creditNoteId, Money amount, String reason, String status,
                  String gatewayReference, String failureMessage, Instant createdAt, Instant settledAt) {
        this(id, paymentId, customerId, invoiceId, creditNoteId, amount, reason, status, gatewayReference, failureMessage, createdAt, settledAt, null);
    }
}
