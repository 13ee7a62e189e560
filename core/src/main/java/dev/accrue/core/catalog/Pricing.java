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
 * amount the events carry (see {@code core/rating/TransactionPricer}).
 */
public record Pricing(PriceModel model, Map<String, BigDecimal> unitPrice, BigDecimal perUnits, List<Tier> tiers,
                      BigDecimal packageSize, Map<String, BigDecimal> packagePrice, BigDecimal rate, Map<String, BigDecimal> fixedFee,
                      BigDecimal freeAmount, Long freeTransactions) {
    public Pricing {
        unitPrice = Lists.orEmpty("unit_price", unitPrice);
        perUnits = perUnits == null ? BigDecimal.ONE : perUnits;
        tiers = Lists.orEmpty("tiers", tiers);
        packagePrice = Lists.orEmpty("package_price", packagePrice);
        fixedFee = Lists.orEmpty("fixed_fee", fixedFee);
    }

    /** A pricing of units (per unit, graduated, volume, package). */
    public Pricing(PriceModel model, Map<String, BigDecimal> unitPrice, BigDecimal perUnits, List<Tier> tiers, BigDecimal packageSize,
                   Map<String, BigDecimal> packagePrice) {
        this(model, unitPrice, perUnits, tiers, packageSize, packagePrice, null, Map.of(), null, null);
    }
}
