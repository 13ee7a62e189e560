package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A band of quantity up to and including {@code upTo} (null = no upper bound, only on the last tier), with a
 * price per unit and/or a flat price for reaching the band. Amounts are per currency. A tier of a graduated
 * percentage pricing takes a {@code rate} (percent of the amount inside it) instead of a unit price.
 */
public record Tier(BigDecimal upTo, Map<String, BigDecimal> unitPrice, Map<String, BigDecimal> flatPrice, BigDecimal rate) {
    public Tier {
        unitPrice = Lists.orEmpty("unit_price", unitPrice);
        flatPrice = Lists.orEmpty("flat_price", flatPrice);
    }

    public Tier(BigDecimal upTo, Map<String, BigDecimal> unitPrice, Map<String, BigDecimal> flatPrice) {
        this(upTo, unitPrice, flatPrice, null);
    }
}
