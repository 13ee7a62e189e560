package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

public interface UsageRepository {
    /**
     * Stores the events not seen before and folds them into the daily aggregates, in one statement; returns
     * the ids actually inserted (the others were duplicates of earlier events).
     */
    Set<String> insert(String tenantId, List<MeteredEvent> events, Instant receivedAt);

    /** Usage of one metric per day and dimension over {@code [from, to)}. */
    List<DailyUsage> daily(String tenantId, String subscriptionId, String metric, LocalDate from, LocalDate to);

    record DailyUsage(LocalDate day, String dimensionKey, BigDecimal quantity, long events, BigDecimal maxQuantity,
                      Instant latestAt, BigDecimal latestQuantity) {
    }
}
