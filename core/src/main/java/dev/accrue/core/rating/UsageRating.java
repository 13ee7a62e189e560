package dev.accrue.core.rating;

import dev.accrue.core.catalog.Overage;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies an allowance and an overage policy to a period's usage and rounds the result once. The allowance
 * is consumed first; only the rest is priced.
 */
public final class UsageRating {

    private UsageRating() {
    }

    public static RatedUsage rate(BigDecimal used, BigDecimal included, Pricing pricing, Overage overage,
                                  String currency, RoundingPolicy rounding) {
        nonNegative("used", used);
        nonNegative("included", included);
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(rounding, "rounding");
        Overage policy = overage == null ? Overage.CHARGE : overage;
        BigDecimal over = used.subtract(included).max(BigDecimal.ZERO);

        return switch (policy.policy()) {
            case CHARGE -> charged(used, included, over, over, pricing, currency, rounding, Optional.empty(),
                    RatedUsage.Outcome.CHARGED);
            case BLOCK -> new RatedUsage(included, used, over, BigDecimal.ZERO, Money.zero(currency),
                    over.signum() > 0 ? RatedUsage.Outcome.BLOCKED : RatedUsage.Outcome.WITHIN_ALLOWANCE,
                    Optional.of(BigDecimal.ZERO));
            case CHARGE_UP_TO_CAP -> capped(used, included, over, pricing, policy, currency, rounding);
        };
    }

    private static RatedUsage capped(BigDecimal used, BigDecimal included, BigDecimal over, Pricing pricing,
                                     Overage overage, String currency, RoundingPolicy rounding) {
        BigDecimal capAmount = overage.cap().get(currency);
        if (capAmount == null) {
            throw AccrueException.invalid("overage.cap", "Overage is capped but the cap has no amount in " + currency);
        }
        Money cap = Money.of(capAmount, currency);
        Optional<BigDecimal> allowed = UsagePricer.unitsAffordable(pricing, cap);
        // Usage already within the cap is billed in full, fractions included; only past the cap do whole
        // affordable units decide what is billed.
        if (UsagePricer.price(pricing, currency, over).compareTo(cap) <= 0) {
            return charged(used, included, over, over, pricing, currency, rounding, allowed, RatedUsage.Outcome.CHARGED);
        }
        BigDecimal billable = allowed.orElseThrow().min(over);
        return charged(used, included, over, billable, pricing, currency, rounding, allowed, RatedUsage.Outcome.CAPPED);
    }

    private static RatedUsage charged(BigDecimal used, BigDecimal included, BigDecimal over, BigDecimal billable,
                                      Pricing pricing, String currency, RoundingPolicy rounding,
                                      Optional<BigDecimal> allowed, RatedUsage.Outcome outcome) {
        RatedUsage.Outcome actual = over.signum() == 0 ? RatedUsage.Outcome.WITHIN_ALLOWANCE : outcome;
        Money amount = rounding.apply(UsagePricer.price(pricing, currency, billable));
        return new RatedUsage(included, used, over, billable, amount, actual, allowed);
    }

    private static void nonNegative(String field, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw AccrueException.invalid(field, field + " must be zero or more, got " + value);
        }
    }
}
