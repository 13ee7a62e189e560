package dev.accrue.core.rating;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The arithmetic of minimums (a charge's spending minimum, a plan's minimum commitment): the minimum owed for a
 * period, and the true-up that tops what was billed up to it.
 *
 * <p>A minimum is written per month and scales with the billing interval's months (× 3 on a quarter, × 12 on a year,
 * no interval discount: a commitment is what the customer agreed to spend, not a price). Like Lago's, it is
 * <b>prorated by day</b> on a partial period — a calendar first stub, a period cut by a cancellation or an end — as
 * {@code share} = days served / days of the full period, and rounded once with the tenant's rounding.
 */
public final class Minimums {
    private Minimums() {
    }

    /**
     * The minimum owed for a period: {@code monthly × months(interval) × share}, rounded once; zero when the catalog
     * gives no amount in {@code currency}.
     */
    public static Money owed(Map<String, BigDecimal> monthly, BillingInterval interval, Fraction share, String currency, RoundingPolicy rounding) {
        BigDecimal perMonth = monthly.get(currency);
        if (perMonth == null || interval.isWeekly()) {
            return Money.zero(currency); // the validator refuses minimums on weekly plans; nothing is owed
        }
        return rounding.apply(Money.of(share.applyTo(perMonth.multiply(BigDecimal.valueOf(interval.months()))), currency));
    }

    /** What tops {@code billed} up to {@code minimum}: their difference, or zero when the minimum was reached. */
    public static Money trueUp(Money minimum, Money billed) {
        Money shortfall = minimum.minus(billed);
        return shortfall.isPositive() ? shortfall : Money.zero(minimum.currency());
    }
}
