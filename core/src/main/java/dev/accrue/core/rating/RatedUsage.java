package dev.accrue.core.rating;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One metered charge rated for a period. Quantities are in the metric's unit. {@code overageQuantity} is usage
 * past the allowance; {@code billableQuantity} is the part of it actually charged (zero when blocked, at most
 * the cap's units when capped). {@code amount} is rounded once. {@code overageUnitsAllowed} is how many overage
 * units the policy permits in the period (empty = unlimited, zero = BLOCK), for real-time authorization.
 */
public record RatedUsage(BigDecimal included, BigDecimal used, BigDecimal overageQuantity, BigDecimal billableQuantity,
                         Money amount, Outcome outcome, Optional<BigDecimal> overageUnitsAllowed) {

    public enum Outcome {
        /** Usage stayed within the allowance. */
        WITHIN_ALLOWANCE,
        /** All overage was charged. */
        CHARGED,
        /** Overage was refused by a BLOCK policy and not charged. */
        BLOCKED,
        /** Overage reached the cap; units past it are not charged. */
        CAPPED
    }

    public boolean blocked() {
        return outcome == Outcome.BLOCKED;
    }

    public boolean capped() {
        return outcome == Outcome.CAPPED;
    }

    /** Overage units still allowed this period (empty = unlimited); what an authorization check grants. */
    public Optional<BigDecimal> remainingOverageUnits() {
        return overageUnitsAllowed.map(a -> a.subtract(billableQuantity).max(BigDecimal.ZERO));
    }

    /** Allowance still unused this period. */
    public BigDecimal remainingIncluded() {
        return included.subtract(used).max(BigDecimal.ZERO);
    }
}
