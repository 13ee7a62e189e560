package dev.accrue.app.metering;

import dev.accrue.core.addon.AllowanceSources;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A subscription's usage of its metered charges in the current period (for an allowance that resets inside
 * the period, in its current reset window): used, included, remaining, percent
 * used, the usage projected to the period end at the current pace (used × period days / elapsed days), what
 * the usage so far costs ({@code costSoFar}: priced by the billing run's own usage lines, allowances, rate
 * tables and caps included) and what the projection would cost: past the allowance at the charge's price, or
 * for a rate-table charge (priced per dimension, so no single price) the cost so far at the same pace.
 */
public record UsageView(String subscriptionId, LocalDate periodStart, LocalDate periodEnd, LocalDate asOf, List<ChargeUsage> charges) {

    public record ChargeUsage(String charge, String metric, String unit, BigDecimal used, BigDecimal included, BigDecimal remaining,
                              BigDecimal percentUsed, BigDecimal projected, String costSoFar, String projectedCost,
                              Map<String, BigDecimal> byDimension, List<AllowanceSources.Consumed> allowances) {
    }
}
