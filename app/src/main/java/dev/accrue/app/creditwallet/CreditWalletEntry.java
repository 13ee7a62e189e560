package dev.accrue.app.creditwallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One movement of a credit wallet, never changed once written. {@code granted} and {@code purchased} entries are lots
 * (credits > 0, {@code lotId} null, an optional {@code expiresAt}); {@code consumed} (by an invoice) and {@code expired}
 * (written off at the lot's expiry, never paid back) take credits (< 0) from the lot {@code lotId} names; {@code returned}
 * (a voided invoice's consumption given back) puts them back (> 0). {@code amount}
 * is what the credits were worth in money; {@code sourceKey} makes each movement happen once; {@code effectiveAt} is when
 * it took effect (a lot's grant instant, an expiry's instant).
 */
public record CreditWalletEntry(String id, String walletId, String customerId, String kind, String lotId, BigDecimal credits, Money amount,
                                Instant expiresAt, String sourceKey, String description, Instant effectiveAt, Instant createdAt) {
    public static final String GRANTED = "granted";
    public static final String PURCHASED = "purchased";
    public static final String CONSUMED = "consumed";
    public static final String EXPIRED = "expired";
    /** Credits an invoice consumed, given back to their lot when the invoice is voided (credits > 0, {@code lotId} set). */
    public static final String RETURNED = "returned";

    public boolean isLot() {
        return GRANTED.equals(kind) || PURCHASED.equals(kind);
    }
}
