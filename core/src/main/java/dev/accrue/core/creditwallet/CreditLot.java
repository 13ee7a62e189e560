package dev.accrue.core.creditwallet;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Credits of one grant or purchase still in a wallet: {@code remaining} of them, {@code paid} or granted for free, usable
 * from {@code grantedAt} until {@code expiresAt} — half-open: at the very instant of expiry they are gone (null: never).
 */
public record CreditLot(String id, boolean paid, BigDecimal remaining, Instant grantedAt, Instant expiresAt) {

    public boolean usableAt(Instant at) {
        return !grantedAt.isAfter(at) && (expiresAt == null || at.isBefore(expiresAt)) && remaining.signum() > 0;
    }

    /** Whether the lot expired at or before {@code at} with credits left, which must then be written off. */
    public boolean expiredWithCreditsAt(Instant at) {
        return expiresAt != null && !at.isBefore(expiresAt) && remaining.signum() > 0;
    }
}
