package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/** The monthly (and optional one-time setup) fee of items whose attributes equal {@code match}. */
public record RentalOption(Map<String, String> match, Map<String, BigDecimal> monthlyFee, Map<String, BigDecimal> setupFee) {
    public RentalOption {
        match = Lists.orEmpty("match", match);
        monthlyFee = Lists.orEmpty("monthly_fee", monthlyFee);
        setupFee = Lists.orEmpty("setup_fee", setupFee);
    }
}
