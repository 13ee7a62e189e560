package dev.accrue.app.metering;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A subscription's usage of its metered charges in the current period (for an allowance that resets inside
 * the period, in its current reset window): used, included, remaining, percent
 * used, the usage projected to the period end at the current pace (used × period days / elapsed days) and
 * what that projection would cost past the allowance at the charge's price (null for rate-table charges).
 */
public record UsageView(String subscriptionId, LocalDate periodStart, LocalDate periodEnd, LocalDate asOf, List<ChargeUsage> charges) {

    public record ChargeUsage(String charge, String metric, String unit, BigDecimal used, BigDecimal included, BigDecimal remaining,
                              BigDecimal percentUsed, BigDecimal projected, String projectedCost, Map<String, BigDecimal> byDimension) {
    }
}
