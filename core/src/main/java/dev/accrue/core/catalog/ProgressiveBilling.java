package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Progressive billing (issue 16): credit-risk control for heavy usage. When a subscription's usage amount crosses one of
 * the {@code thresholds} (ascending, per currency) — and after the last one, every further {@code recurring} amount — an
 * invoice is issued at once for the usage not invoiced yet, and the period-end invoice deducts it. {@code scope} says what
 * the amount is: the current billing period's usage ({@code billing_period}, each period starting from zero) or the
 * subscription's usage over its whole life ({@code lifetime}, each threshold crossed once ever).
 */
public record ProgressiveBilling(List<Map<String, BigDecimal>> thresholds, Map<String, BigDecimal> recurring, Scope scope) {
    public enum Scope { BILLING_PERIOD, LIFETIME }

    public ProgressiveBilling {
        thresholds = Lists.orEmpty("thresholds", thresholds);
        recurring = Lists.orEmpty("recurring", recurring);
        scope = scope == null ? Scope.BILLING_PERIOD : scope;
    }

    /**
     * How many thresholds {@code amount} has reached (an amount equal to a threshold reaches it): the listed thresholds
     * it is at or above, plus, past the last one, how many whole {@code recurring} steps it has climbed. 0 below the first.
     */
    public long level(BigDecimal amount, String currency) {
        long level = 0;
        BigDecimal last = null;
        for (Map<String, BigDecimal> t : thresholds) {
            BigDecimal threshold = t.get(currency);
            if (threshold == null || amount.compareTo(threshold) < 0) {
                return level;
            }
            level++;
            last = threshold;
        }
        BigDecimal step = recurring.get(currency);
        if (step == null || step.signum() <= 0) {
            return level;
        }
        BigDecimal from = last == null ? BigDecimal.ZERO : last;
        if (amount.compareTo(from) < 0) {
            return level;
        }
        long steps = amount.subtract(from).divide(step, 0, RoundingMode.FLOOR).longValueExact();
        return level + steps;
    }
}
