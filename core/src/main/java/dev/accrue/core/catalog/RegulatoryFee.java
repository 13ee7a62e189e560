package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/** A regional regulatory fee billed as its own monthly line per rented item in {@code country}. */
public record RegulatoryFee(String country, String name, Map<String, BigDecimal> monthlyFee) {
    public RegulatoryFee {
        monthlyFee = Lists.orEmpty("monthly_fee", monthlyFee);
    }
}
