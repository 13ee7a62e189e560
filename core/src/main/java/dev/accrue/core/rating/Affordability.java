package dev.accrue.core.rating;

import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.Tier;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Solves "how many whole units fit under a cap" exactly, by comparing scaled prices ({@code price × perUnits})
 * with the scaled cap, so no non-terminating division is ever compared. Empty means unlimited.
 */
final class Affordability {

    private Affordability() {
    }

    static Optional<BigDecimal> units(Pricing pricing, String currency, BigDecimal cap) {
        BigDecimal scaledCap = cap.multiply(UsagePricer.divisor(pricing));
        return switch (pricing.model()) {
            case PER_UNIT -> perUnit(pricing, currency, scaledCap);
            case PACKAGE -> packages(pricing, currency, cap);
            case GRADUATED, VOLUME -> tiered(pricing, currency, scaledCap);
            // a transaction's price depends on the amount it will carry, unknown before it happens: no unit bound
            case PERCENTAGE, GRADUATED_PERCENTAGE, DYNAMIC -> Optional.empty();
        };
    }

    private static Optional<BigDecimal> perUnit(Pricing pricing, String currency, BigDecimal scaledCap) {
        BigDecimal price = UsagePricer.scaled(pricing, currency, BigDecimal.ONE);
        return price.signum() == 0 ? Optional.empty() : Optional.of(floor(scaledCap.divideToIntegralValue(price)));
    }

    // price(q) = ceil(q / size) × packagePrice, so n affordable packages allow every q ≤ n × size.
    private static Optional<BigDecimal> packages(Pricing pricing, String currency, BigDecimal cap) {
        BigDecimal packagePrice = UsagePricer.scaled(pricing, currency, pricing.packageSize());
        if (packagePrice.signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(floor(cap.divideToIntegralValue(packagePrice).multiply(pricing.packageSize())));
    }

    /**
     * Walks the tiers: within a tier the price of whole units is affine (slope = the tier's unit price), so the
     * first whole unit and the last whole unit of the tier bracket the answer and one exact floor-division finds
     * it. Works for GRADUATED and VOLUME alike because it only evaluates the real price function.
     */
    private static Optional<BigDecimal> tiered(Pricing pricing, String currency, BigDecimal scaledCap) {
        BigDecimal lower = BigDecimal.ZERO;
        BigDecimal affordable = BigDecimal.ZERO;
        for (Tier tier : pricing.tiers()) {
            BigDecimal first = floor(lower).add(BigDecimal.ONE);
            BigDecimal last = tier.upTo() == null ? null : floor(tier.upTo());
            if (last != null && first.compareTo(last) > 0) {
                lower = tier.upTo(); // no whole unit inside this tier
                continue;
            }
            BigDecimal atFirst = UsagePricer.scaled(pricing, currency, first);
            if (atFirst.compareTo(scaledCap) > 0) {
                return Optional.of(affordable);
            }
            if (last != null && UsagePricer.scaled(pricing, currency, last).compareTo(scaledCap) <= 0) {
                affordable = last;
                lower = tier.upTo();
                continue;
            }
            BigDecimal slope = UsagePricer.tierUnit(tier, currency);
            if (slope.signum() == 0) {
                return Optional.empty(); // open last tier that is free beyond its flat price
            }
            return Optional.of(first.add(floor(scaledCap.subtract(atFirst).divideToIntegralValue(slope))));
        }
        return Optional.of(affordable); // the last tier is bounded: nothing beyond it is priced at all
    }

    private static BigDecimal floor(BigDecimal value) {
        return value.setScale(0, RoundingMode.FLOOR);
    }
}
