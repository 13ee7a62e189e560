package dev.accrue.app.payment;

import dev.accrue.core.money.Money;

import java.time.Instant;

/** Money given back on a payment, stored as {@code pending} before the gateway is called (its id is the idempotency key). */
public record Refund(String id, String paymentId, String customerId, String invoiceId, String creditNoteId, Money amount, String reason, String status,
                     String gatewayReference, String failureMessage, Instant createdAt, Instant settledAt) {
}
