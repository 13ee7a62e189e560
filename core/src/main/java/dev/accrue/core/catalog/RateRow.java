package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/** A rate for the usage whose dimensions {@code match}; {@code per} says whether it prices units or events. */
public record RateRow(Map<String, String> match, Map<String, BigDecimal> price, RatePer per) {
    public RateRow {
        match = Lists.orEmpty("match", match);
        price = Lists.orEmpty("price", price);
        per = per == null ? RatePer.UNIT : per;
    }

    public RateRow(Map<String, String> match, Map<String, BigDecimal> price) {
        this(match, price, RatePer.UNIT);
    }

    boolean matches(Map<String, String> usage) {
        return match.entrySet().stream().allMatch(e -> e.getValue().equals(usage.get(e.getKey())));
    }
}
