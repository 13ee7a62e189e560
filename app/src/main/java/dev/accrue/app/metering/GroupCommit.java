package dev.accrue.app.metering;

import dev.accrue.app.tx.Transactions;
import dev.accrue.core.metering.MeteredEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for usage: batches validated concurrently are stored by one writer at a time, and the writer
 * takes every batch waiting at that moment into the same transaction. Concurrent requests therefore share a
 * commit (one fsync), fold into the daily aggregates once per key instead of once per request, and never wait
 * on each other's aggregate row locks. A caller returns only after the transaction holding its events has
 * committed, so "acknowledged" still means durable.
 *
 * <p>An event id sent by two requests of the same group is inserted once: the later request hears
 * "duplicate", exactly as if it had arrived after the first committed. If the shared transaction fails, each
 * request of the group is retried alone, so one request's failure is never another's.
 */
final class GroupCommit {
    /** Events per shared transaction; more waiting batches go to the next one. */
    static final int MAX_EVENTS = 40_000;
    private final Transactions tx;
    private final UsageRepository usage;
    private final ReentrantLock writer = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

    GroupCommit(Transactions tx, UsageRepository usage) {
        this.tx = tx;
        this.usage = usage;
    }

    private static final class Pending {
        final String tenantId;
        final List<MeteredEvent> events;
        final Instant receivedAt;
        final Set<String> known = new HashSet<>();
        RuntimeException failure;
        boolean done;

        Pending(String tenantId, List<MeteredEvent> events, Instant receivedAt) {
            this.tenantId = tenantId;
            this.events = events;
            this.receivedAt = receivedAt;
        }
    }

    /** Stores the events (in a transaction of its own, possibly shared); returns the ids that were stored before. */
    Set<String> insert(String tenantId, List<MeteredEvent> events, Instant receivedAt) {
        Pending mine = new Pending(tenantId, events, receivedAt);
        queue.add(mine);
        writer.lock();
        try {
            while (!mine.done) {
                write(drain());
            }
        } finally {
            writer.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.known;
    }

    private List<Pending> drain() {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        Pending next;
        while ((next = queue.peek()) != null && (group.isEmpty() || events + next.events.size() <= MAX_EVENTS)) {
            queue.poll();
            group.add(next);
            events += next.events.size();
        }
        return group;
    }

    private void write(List<Pending> group) {
        try {
            tx.run(() -> store(group));
            UsageMeters.groupCommit(group.size(), group.stream().mapToInt(p -> p.events.size()).sum());
        } catch (Error e) {
            group.forEach(p -> p.failure = new IllegalStateException("Storing usage failed", e));
            throw e;
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.getFirst().failure = e;
            } else {
                for (Pending p : group) {
                    p.known.clear();
                    try {
                        tx.run(() -> store(List.of(p)));
                    } catch (RuntimeException alone) {
                        p.failure = alone;
                    }
                }
            }
        } finally {
            group.forEach(p -> p.done = true);
        }
    }

    /** One statement per tenant (in tenant order, so concurrent nodes lock aggregate rows in the same order). */
    private void store(List<Pending> group) {
        Map<String, Map<String, MeteredEvent>> byTenant = new TreeMap<>();
        Instant receivedAt = group.getFirst().receivedAt;
        for (Pending p : group) {
            receivedAt = p.receivedAt.isAfter(receivedAt) ? p.receivedAt : receivedAt;
            Map<String, MeteredEvent> events = byTenant.computeIfAbsent(p.tenantId, t -> new LinkedHashMap<>());
            for (MeteredEvent e : p.events) {
                if (events.putIfAbsent(e.eventId(), e) != null) {
                    p.known.add(e.eventId()); // sent by an earlier request of this group: a duplicate for this one
                }
            }
        }
        Map<String, Set<String>> knownByTenant = new TreeMap<>();
        for (var entry : byTenant.entrySet()) {
            knownByTenant.put(entry.getKey(), usage.insert(entry.getKey(), List.copyOf(entry.getValue().values()), receivedAt));
        }
        for (Pending p : group) {
            Set<String> known = knownByTenant.get(p.tenantId);
            if (!known.isEmpty()) {
                for (MeteredEvent e : p.events) {
                    if (known.contains(e.eventId())) {
                        p.known.add(e.eventId());
                    }
                }
            }
        }
    }
}
