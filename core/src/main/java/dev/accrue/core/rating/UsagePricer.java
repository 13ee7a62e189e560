package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.RateTable;
import dev.accrue.core.catalog.Tier;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * Prices a usage quantity (in the metric's unit, e.g. seconds) with a {@link Pricing}, returning the exact,
 * unrounded amount; rounding belongs to the rated line (see {@link UsageRating}).
 *
 * <p>Internally every model is first computed as a <em>scaled</em> price, {@code price × perUnits}, using only
 * multiplications and additions, so it is exact; the division by {@code perUnits} then happens once. This is
 * why 83 s at 0.60/min is exactly 0.83 and not 83 × (0.60/60) with a rounded per-second rate.
 *
 * <p>A quantity of zero costs zero in every model: a tier's flat price is for reaching the tier, and zero
 * usage reaches none.
 */
public final class UsagePricer {

    private UsagePricer() {
    }

    public static Money price(Pricing pricing, String currency, BigDecimal quantity) {
        requireQuantity(quantity);
        return Money.of(Exact.divide(scaled(pricing, currency, quantity), divisor(pricing)), currency);
    }

    /**
     * Rates usage with a rate table: {@code quantity × rate / perUnits} for the row matching the dimensions;
     * empty when no row (and no default) prices this usage in this currency.
     */
    public static Optional<Money> rate(RateTable table, Map<String, String> dimensions, String currency,
                                       BigDecimal quantity) {
        requireQuantity(quantity);
        return table.rate(dimensions, currency)
                .map(r -> Money.of(Exact.divide(quantity.multiply(r), table.perUnits()), currency));
    }

    /**
     * The largest whole number of units that can be used, starting from zero, without the price exceeding
     * {@code cap}; empty when the price never exceeds it (free units). For PER_UNIT, GRADUATED and PACKAGE the
     * price only grows, so this is the largest quantity whose price is within the cap. VOLUME prices can drop
     * when a larger tier is reached; authorization cannot skip quantities, so this is where usage would first
     * cross the cap, not a cheaper quantity further up.
     */
    public static Optional<BigDecimal> unitsAffordable(Pricing pricing, Money cap) {
        if (cap.isNegative()) {
            throw AccrueException.invalid("cap", "A cap cannot be negative, got " + cap);
        }
        return Affordability.units(pricing, cap.currency().getCurrencyCode(), cap.amount());
    }

    /** {@code price × divisor(pricing)}, exact. */
    static BigDecimal scaled(Pricing pricing, String currency, BigDecimal quantity) {
        return switch (pricing.model()) {
            case PER_UNIT -> quantity.multiply(amount(pricing.unitPrice(), currency, "unit_price"));
            case GRADUATED -> graduated(pricing, currency, quantity);
            case VOLUME -> volume(pricing, currency, quantity);
            case PACKAGE -> packages(pricing, quantity).multiply(amount(pricing.packagePrice(), currency, "package_price"));
            case PERCENTAGE, GRADUATED_PERCENTAGE, DYNAMIC ->
                    throw new IllegalArgumentException(pricing.model() + " prices transactions, not units: use TransactionPricer");
        };
    }

    /** Package prices are per started package, not per unit, so perUnits does not apply to them. */
    static BigDecimal divisor(Pricing pricing) {
        return pricing.model() == PriceModel.PACKAGE ? BigDecimal.ONE : pricing.perUnits();
    }

    static BigDecimal packages(Pricing pricing, BigDecimal quantity) {
        return quantity.divide(pricing.packageSize(), 0, RoundingMode.CEILING);
    }

    private static BigDecimal graduated(Pricing pricing, String currency, BigDecimal quantity) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier tier : pricing.tiers()) {
            if (quantity.compareTo(lower) <= 0) {
                break; // this tier (and every later one) is not reached
            }
            BigDecimal top = tier.upTo() == null ? quantity : tier.upTo().min(quantity);
            total = total.add(top.subtract(lower).multiply(tierUnit(tier, currency)))
                    .add(scaledFlat(tier, currency, pricing));
            if (tier.upTo() == null) {
                return total;
            }
            lower = tier.upTo();
        }
        requireWithinTiers(quantity, lower);
        return total;
    }

    private static BigDecimal volume(Pricing pricing, String currency, BigDecimal quantity) {
        if (quantity.signum() == 0) {
            return BigDecimal.ZERO;
        }
        Tier tier = tierOf(pricing, quantity);
        return quantity.multiply(tierUnit(tier, currency)).add(scaledFlat(tier, currency, pricing));
    }

    static Tier tierOf(Pricing pricing, BigDecimal quantity) {
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier tier : pricing.tiers()) {
            if (tier.upTo() == null || quantity.compareTo(tier.upTo()) <= 0) {
                return tier;
            }
            lower = tier.upTo();
        }
        requireWithinTiers(quantity, lower);
        throw new IllegalStateException("unreachable");
    }

    /** A tier may carry only a unit price or only a flat price; the missing one is zero. */
    static BigDecimal tierUnit(Tier tier, String currency) {
        requireTierPriced(tier, currency);
        return tier.unitPrice().getOrDefault(currency, BigDecimal.ZERO);
    }

    /** Flat prices are not per unit: scale them by perUnits so they survive the single division unchanged. */
    static BigDecimal scaledFlat(Tier tier, String currency, Pricing pricing) {
        requireTierPriced(tier, currency);
        return tier.flatPrice().getOrDefault(currency, BigDecimal.ZERO).multiply(pricing.perUnits());
    }

    private static void requireTierPriced(Tier tier, String currency) {
        if (!tier.unitPrice().containsKey(currency) && !tier.flatPrice().containsKey(currency)) {
            throw unpriced("tiers", currency);
        }
    }

    private static BigDecimal amount(Map<String, BigDecimal> prices, String currency, String field) {
        BigDecimal price = prices.get(currency);
        if (price == null) {
            throw unpriced(field, currency);
        }
        return price;
    }

    private static AccrueException unpriced(String field, String currency) {
        return new AccrueException(ErrorCode.VALIDATION_FAILED, field, "Pricing has no " + field + " in " + currency);
    }

    // The catalog validator makes the last tier open-ended; this guards pricings built outside a catalog.
    private static void requireWithinTiers(BigDecimal quantity, BigDecimal lastBound) {
        if (quantity.compareTo(lastBound) > 0) {
            throw AccrueException.invalid("tiers", "Quantity " + quantity.toPlainString()
                    + " is beyond the last tier (" + lastBound.toPlainString() + "); the last tier must be open-ended");
        }
    }

    static void requireQuantity(BigDecimal quantity) {
        if (quantity == null || quantity.signum() < 0) {
            throw AccrueException.invalid("quantity", "Quantity must be zero or more, got " + quantity);
        }
    }
}
