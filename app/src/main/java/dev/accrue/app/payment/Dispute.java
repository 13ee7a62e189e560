package dev.accrue.app.payment;

import dev.accrue.core.money.Money;

import java.time.Instant;

/**
 * A payment disputed by the payer's bank (a chargeback), as the gateway reported it. {@code taken}: what it takes off
 * the invoice's amount_paid now — the disputed amount while open or lost, nothing once won ({@link TakeBacks}).
 * {@code gatewayStatus}: the gateway's own word (Stripe: needs_response, under_review, won, lost, ...).
 */
public record Dispute(String id, String paymentId, String customerId, String invoiceId, String gateway, String gatewayReference, Money amount, Money taken,
                      String reason, String status, String gatewayStatus, Instant createdAt, Instant updatedAt, Instant closedAt) {
    public static final String OPEN = "open";
    public static final String WON = "won";
    public static final String LOST = "lost";
}
