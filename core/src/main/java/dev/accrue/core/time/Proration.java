package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.time.LocalDate;
import java.util.Objects;

/** Pure proration arithmetic: no clock, no rounding. Callers round once, at the invoice line. */
public final class Proration {

    private Proration() {
    }

    /**
     * Share of the full period's price owed for {@code remaining}. NEVER and FULL_PERIOD both bill a whole
     * period (NEVER for the current period, FULL_PERIOD for a fresh one opened on the purchase day), hence 1/1.
     */
    public static Fraction fraction(Period remaining, Period full, ProrationPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (!full.encloses(remaining)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "remaining",
                    "Remaining period " + remaining + " must lie inside " + full);
        }
        return switch (policy) {
            case BY_DAY -> new Fraction(remaining.days(), full.days());
            case NEVER, FULL_PERIOD -> Fraction.ONE;
        };
    }

    /** {@code price × f}, unrounded. */
    public static Money prorate(Money price, Fraction f) {
        return new Money(f.applyTo(price.amount()), price.currency());
    }

    /**
     * Charge for an immediate upgrade: {@code (new − old) × days[changeDay, end) / days(current)}. The change
     * day counts as remaining because the customer gets the new plan for all of it; billing dates do not move.
     * A lower new price is refused: downgrades take effect at period end and are never refunded mid-period.
     */
    public static Money upgradeCharge(Money oldPrice, Money newPrice, LocalDate changeDay, Period current) {
        if (!current.contains(changeDay)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "change_day",
                    "Change day " + changeDay + " is outside the current period " + current);
        }
        Money difference = newPrice.minus(oldPrice);
        if (difference.isNegative()) {
            throw AccrueException.invalid("new_price",
                    "An upgrade cannot lower the price (" + oldPrice + " to " + newPrice + "); downgrades apply at period end");
        }
        Period remaining = new Period(changeDay, current.end());
        return prorate(difference, fraction(remaining, current, ProrationPolicy.BY_DAY));
    }
}
