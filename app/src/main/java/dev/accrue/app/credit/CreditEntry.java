package dev.accrue.app.credit;

import dev.accrue.core.money.Money;

import java.time.Instant;

/**
 * One entry of a customer's credit ledger: {@code granted} (> 0, its source the subscription cancelled with a
 * prorated refund) or {@code applied} (< 0, its source the invoice that consumed it). Never changed once written.
 */
public record CreditEntry(String id, String customerId, Money amount, String kind, String sourceId, String description, Instant createdAt) {
    public static final String GRANTED = "granted";
    public static final String APPLIED = "applied";
}
