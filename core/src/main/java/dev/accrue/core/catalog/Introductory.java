package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/**
 * An introductory price for the first {@code periods} full billing periods of a subscription that starts on the plan
 * (a calendar stub before them is priced at it too). {@code prices} maps a recurring charge code to its introductory
 * MONTHLY price per currency; the interval's months and discount apply to it as to the charge's own monthly price.
 * A charge or currency it leaves out keeps the regular price.
 */
public record Introductory(int periods, Map<String, Map<String, BigDecimal>> prices) {
    public Introductory {
        prices = Lists.orEmpty("prices", prices);
    }
}
