package dev.accrue.app.metering;

import dev.accrue.app.billing.BilledUsageRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.metering.MeteredEvent;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds events read from the intake log into PostgreSQL: the events, their daily aggregates and the log offsets
 * they came from in one transaction. A consumer that dies before the commit leaves both unchanged, and the next
 * owner of the partitions reads again from the stored offsets; one that commits after losing its partitions only
 * repeats events the database already holds, which its primary key makes duplicates, never counted twice.
 */
public final class UsageFold {
    private final Transactions tx;
    private final UsageRepository usage;
    private final BilledUsageRepository billed;
    private final IntakeOffsets offsets;
    private final MeteringService metering;
    private final Clock clock;

    public UsageFold(Transactions tx, UsageRepository usage, BilledUsageRepository billed, IntakeOffsets offsets, MeteringService metering, Clock clock) {
        this.tx = tx;
        this.usage = usage;
        this.billed = billed;
        this.offsets = offsets;
        this.metering = metering;
        this.clock = clock;
    }

    /** Events of one tenant read from the log. */
    public record Logged(String tenantId, List<MeteredEvent> events) {
    }

    /** Stores {@code logged} and moves {@code topic}'s partitions to {@code next}, in one transaction; returns how many events were new. */
    public int fold(String topic, List<Logged> logged, Map<Integer, Long> next) {
        Map<String, Map<String, MeteredEvent>> byTenant = new TreeMap<>(); // tenant order: concurrent folds lock aggregates alike
        for (Logged l : logged) {
            Map<String, MeteredEvent> events = byTenant.computeIfAbsent(l.tenantId(), t -> new LinkedHashMap<>());
            l.events().forEach(e -> events.putIfAbsent(e.eventId(), e)); // a retry still in the log: the first one counts
        }
        Instant storedAt = clock.instant();
        Map<String, List<MeteredEvent>> stored = new TreeMap<>();
        Map<String, Set<String>> known = new TreeMap<>();
        tx.run(() -> {
            stored.clear();
            known.clear();
            for (var entry : byTenant.entrySet()) {
                List<MeteredEvent> events = lateAsOfNow(entry.getKey(), List.copyOf(entry.getValue().values()));
                stored.put(entry.getKey(), events);
                known.put(entry.getKey(), usage.insert(entry.getKey(), events, storedAt));
            }
            offsets.advance(topic, new TreeMap<>(next));
        });
        int fresh = 0;
        for (var entry : stored.entrySet()) {
            Set<String> before = known.get(entry.getKey());
            fresh += entry.getValue().size() - before.size();
            metering.afterStored(entry.getKey(), entry.getValue(), before);
        }
        return fresh;
    }

    /** Where folding {@code topic}'s partitions resumes: the offsets stored with the events (a partition never folded is absent). */
    public Map<Integer, Long> folded(String topic, Collection<Integer> partitions) {
        return tx.inTransaction(() -> offsets.next(topic, partitions));
    }

    /**
     * Lateness as the database stands when the events are stored, not when they were validated: a billing run between
     * the two must not leave an event in a window it already invoiced without marking that window for re-pricing.
     */
    private List<MeteredEvent> lateAsOfNow(String tenantId, List<MeteredEvent> events) {
        Set<String> subscriptions = new HashSet<>();
        events.forEach(e -> subscriptions.add(e.subscriptionId()));
        Map<String, Map<String, LocalDate>> lateBefore = billed.lateBefore(tenantId, subscriptions);
        if (lateBefore.isEmpty()) {
            return events;
        }
        List<MeteredEvent> marked = new ArrayList<>(events.size());
        for (MeteredEvent e : events) {
            LocalDate end = lateBefore.getOrDefault(e.subscriptionId(), Map.of()).get(e.metric());
            marked.add(!e.late() && end != null && e.day().isBefore(end) ? e.asLate() : e);
        }
        return marked;
    }
}
