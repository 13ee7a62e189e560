package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

public record RateRow(Map<String, String> match, Map<String, BigDecimal> price) {
    public RateRow {
        match = Lists.orEmpty("match", match);
        price = Lists.orEmpty("price", price);
    }

    boolean matches(Map<String, String> usage) {
        return match.entrySet().stream().allMatch(e -> e.getValue().equals(usage.get(e.getKey())));
    }
}
