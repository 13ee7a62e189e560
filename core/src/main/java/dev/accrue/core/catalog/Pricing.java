package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * How overage quantity becomes money. PER_UNIT: {@code unitPrice} per {@code perUnits} units (a per-minute
 * price on a quantity in seconds has perUnits 60, so 83 s cost 83/60 of the minute price, rounded once per
 * line). GRADUATED: each tier prices the units falling inside it. VOLUME: the tier the total falls in prices
 * every unit. PACKAGE: {@code packagePrice} per started block of {@code packageSize} units.
 * PERCENTAGE: {@code rate} % of the amount processed past {@code freeAmount}, plus {@code fixedFee} per transaction past
 * the first {@code freeTransactions}. GRADUATED_PERCENTAGE: tiers of the amount, each with its {@code rate}. DYNAMIC: the
 * amount the events carry (see {@code core/rating/TransactionPricer}). PERCENTAGE may bound each transaction's fee
 * ({@code rate} % of its amount + {@code fixedFee}) by {@code perTransactionMin} and {@code perTransactionMax}: the
 * fees are then summed event by event.
 */
public record Pricing(PriceModel model, Map<String, BigDecimal> unitPrice, BigDecimal perUnits, List<Tier> tiers,
                      BigDecimal packageSize, Map<String, BigDecimal> packagePrice, BigDecimal rate, Map<String, BigDecimal> fixedFee,
                      BigDecimal freeAmount, Long freeTransactions, Map<String, BigDecimal> perTransactionMin,
                      Map<String, BigDecimal> perTransactionMax) {
    public Pricing {
        unitPrice = Lists.orEmpty("unit_price", unitPrice);
        perUnits = perUnits == null ? BigDecimal.ONE : perUnits;
        tiers = Lists.orEmpty("tiers", tiers);
        packagePrice = Lists.orEmpty("package_price", packagePrice);
        fixedFee = Lists.orEmpty("fixed_fee", fixedFee);
        perTransactionMin = Lists.orEmpty("per_transaction_min", perTransactionMin);
        perTransactionMax = Lists.orEmpty("per_transaction_max", perTransactionMax);
    }

    /** A pricing without per-transaction bounds. */
    public Pricing(PriceModel model, Map<String, BigDecimal> unitPrice, BigDecimal perUnits, List<Tier> tiers, BigDecimal packageSize,
                   Map<String, BigDecimal> packagePrice, BigDecimal rate, Map<String, BigDecimal> fixedFee, BigDecimal freeAmount,
                   Long freeTransactions) {
        this(model, unitPrice, perUnits, tiers, packageSize, packagePrice, rate, fixedFee, freeAmount, freeTransactions, Map.of(), Map.of());
    }

    /** Whether each transaction's fee is bounded, so the fees are summed event by event rather than from the period's totals. */
    public boolean boundsEachTransaction() {
        return model == PriceModel.PERCENTAGE && (!perTransactionMin.isEmpty() || !perTransactionMax.isEmpty());
    }

    /** A pricing of units (per unit, graduated, volume, package). */
    public Pricing(PriceModel model, Map<String, BigDecimal> unitPrice, BigDecimal perUnits, List<Tier> tiers, BigDecimal packageSize,
                   Map<String, BigDecimal> packagePrice) {
        this(model, unitPrice, perUnits, tiers, packageSize, packagePrice, null, Map.of(), null, null, Map.of(), Map.of());
    }
}
