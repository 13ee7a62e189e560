package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

public interface UsageRepository {
    /**
     * Stores the events not seen before and folds them into the daily aggregates, in one statement; returns
     * the ids it did not insert (duplicates of events stored earlier), usually none.
     */
    Set<String> insert(String tenantId, List<MeteredEvent> events, Instant receivedAt);

    /**
     * For unique-count metrics: per day, how many distinct values were first seen that day within
     * {@code [from, to)} — so the rows of any range sum to its exact distinct count.
     */
    List<DailyUsage> firstSeen(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to);

    /**
     * For time-weighted metrics (GB stored): the average of the gauge over {@code [from, to)}, each reported
     * value weighted by how long it held (the value in force at {@code from} comes from the last earlier event).
     */
    BigDecimal timeWeightedAverage(String tenantId, String subscriptionId, String metric, Instant from, Instant to);

    /**
     * For persistent metrics (seats, active numbers): the units held over {@code [from, to)}, each weighted by the fraction
     * of the range it was held, to the second. A unit is held from an {@code add} until its next event; every event up to
     * {@code to} counts, however old, since units carry from period to period.
     */
    BigDecimal unitsHeld(String tenantId, String subscriptionId, String metric, Instant from, Instant to);

    /** A corrected event of a persistent metric names its unit and operation anew. */
    void correctUnit(String tenantId, String eventId, String unitId, String unitOp);

    /** Usage of one metric per dimension over {@code [from, to)}, folded in SQL (day is null): few rows however many days. */
    List<DailyUsage> totals(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to);

    /**
     * {@link #totals} of several windows of one metric (a period's allowance windows) in one query, without the latest
     * value ({@code latestAt} and {@code latestQuantity} null): per window, in the order given, its rows per dimension with
     * the sums of quantity and events and the largest maximum. What pricing a SUM, COUNT or MAX metric needs: a window's
     * value per dimension, not its days — a running month of 40 dimensions is 40 rows instead of ~1,000 — and not the
     * latest value, whose ordered aggregate was half of PostgreSQL's time per usage view.
     */
    List<List<DailyUsage>> sums(String tenantId, String subscriptionId, String metric, List<dev.accrue.core.time.Period> windows);

    /**
     * For metrics that keep each event's value (see {@code core/metering/TransactionValues}): per day and dimension, one
     * row per distinct amount, its {@code quantity} the amount × {@code events} — groups of transactions that carried the
     * same amount. Events stored before the metric kept values form one more row per day at their total.
     */
    List<DailyUsage> transactions(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to);

    /** Usage of one metric per day and dimension over {@code [from, to)}. */
    List<DailyUsage> daily(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to);

    /** One subscription's usage of one metric over {@code [from, to)}: a window the batch reads below ask about. */
    record UsageWindow(String subscriptionId, String metric, LocalDate from, LocalDate to) {
    }

    /** {@link #totals} of many windows in one query (every window gets its rows, an empty list when it has none). */
    Map<UsageWindow, List<DailyUsage>> totals(String tenantId, List<UsageWindow> windows);

    /** {@link #daily} of many windows in one query (every window gets its rows, an empty list when it has none). */
    Map<UsageWindow, List<DailyUsage>> daily(String tenantId, List<UsageWindow> windows);

    /** A subscription's metric whose usage moved. */
    record MovedUsage(String tenantId, String subscriptionId, String metric) {
    }

    /** Every (tenant, subscription, metric) whose daily aggregates took usage received at or after {@code since}, all tenants. */
    List<MovedUsage> movedSince(Instant since);

    /** Every (subscription, metric) of {@code subscriptionIds} with usage dated on or after {@code since} (the alert evaluator's re-check over time). */
    List<MovedUsage> usedSince(String tenantId, Collection<String> subscriptionIds, LocalDate since);

    /** A stored event's identity and where it counts. */
    record StoredEvent(String eventId, String customerId, String subscriptionId, String metric, java.time.LocalDate day, String dimensionKey,
                       BigDecimal quantity, boolean cancelled, java.util.Map<String, Object> properties, Instant occurredAt) {
    }

    java.util.Optional<StoredEvent> findForUpdate(String tenantId, String eventId);

    void cancel(String tenantId, String eventId, Instant at);

    void correct(String tenantId, String eventId, BigDecimal quantity, String dimensionKey, boolean counted, java.util.Map<String, Object> properties, Instant at);

    /**
     * Rebuilds the daily aggregate rows of one subscription, metric and day from the events still counting —
     * exact for every aggregation (sum, count, max, latest), unlike subtracting.
     */
    void recomputeDay(String tenantId, String subscriptionId, String metric, java.time.LocalDate day);

    record DailyUsage(LocalDate day, String dimensionKey, BigDecimal quantity, long events, BigDecimal maxQuantity,
                      Instant latestAt, BigDecimal latestQuantity) {
    }
}
