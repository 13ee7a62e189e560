package dev.accrue.app.billing;

import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of what documents billed per charge and usage window ({@code billed_usage}); see
 * {@link BilledUsage} for the rules built on it.
 */
public interface BilledUsageRepository {
    /** Marker charge code: the cadence's window was closed, whatever charges were in force. */
    String WINDOW_CLOSED = "*";

    /**
     * How long after it was billed a window is re-priced once more: an event validated just before its window was
     * billed and committed just after counts in the window but was not seen by the document; the re-check bills it.
     */
    Duration SETTLE = Duration.ofMinutes(10);

    /** One charge's bill for one window on one document ({@code documentId} '' when nothing was issued). */
    record Entry(String chargeCode, String metric, String cadence, Period window, String documentId, BigDecimal quantity, BigDecimal amount) {
    }

    /** A window whose usage changed after it was billed, with what its documents billed so far. */
    record DirtyWindow(String chargeCode, String metric, String cadence, Period window, BigDecimal billedQuantity, BigDecimal billedAmount) {
    }

    void record(String tenantId, String subscriptionId, List<Entry> entries, Instant at);

    /** What the documents billed for one charge's window so far (the sum of its rows), or empty when it was never billed. */
    Optional<BigDecimal> billedAmount(String tenantId, String subscriptionId, String chargeCode, String cadence, LocalDate windowStart);

    /** Whether any document billed {@code cadence}'s window starting at {@code windowStart}. */
    boolean billed(String tenantId, String subscriptionId, String cadence, LocalDate windowStart);

    /** The end of the last billed window of {@code cadence}, or null. */
    LocalDate billedThrough(String tenantId, String subscriptionId, String cadence);

    /** Per subscription and metric, the end of the last billed window: usage dated before it is late. */
    Map<String, Map<String, LocalDate>> lateBefore(String tenantId, Collection<String> subscriptionIds);

    /** Marks the billed windows of {@code metric} holding {@code day} for re-pricing. */
    void markDirty(String tenantId, String subscriptionId, String metric, LocalDate day);

    /**
     * Marks for re-pricing every billed window of the metric that ends after {@code day}: a unit of a persistent metric
     * added or removed that day changes every later window it was (or was not) held in, not only the day's own.
     */
    void markDirtyFrom(String tenantId, String subscriptionId, String metric, LocalDate day);

    /** Marks every window document {@code documentId} billed for re-pricing (a draft regenerated from the subscription as it stands). */
    void markDirtyBilledBy(String tenantId, String subscriptionId, String documentId);

    /**
     * Takes the windows of these cadences (none given: of every cadence) to re-price — dirty, or billed at least {@link #SETTLE} before {@code now}
     * and not re-checked since — (locked, and then clean) with their billed totals.
     */
    List<DirtyWindow> claimDirty(String tenantId, String subscriptionId, Collection<String> cadences, Instant now);
}
