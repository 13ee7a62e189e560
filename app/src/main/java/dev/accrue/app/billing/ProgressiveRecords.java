package dev.accrue.app.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** What progressive invoices billed (V252), and the usage amount lifetime thresholds compare. */
public interface ProgressiveRecords {
    /** The highest threshold level already invoiced in this scope (a period's start, or {@code lifetime}); 0 when none. */
    long lastLevel(String tenantId, String subscriptionId, String scopeKey);

    /** Per charge, what progressive invoices billed for the period starting {@code periodStart}. */
    Map<String, BigDecimal> billed(String tenantId, String subscriptionId, LocalDate periodStart);

    /** The usage (and usage adjustments) the subscription's issued documents billed, void ones left out. */
    BigDecimal usageInvoiced(String tenantId, String subscriptionId);

    void record(String tenantId, String subscriptionId, String scopeKey, long level, LocalDate periodStart, Map<String, BigDecimal> perCharge,
                String invoiceId, Instant at);
}
