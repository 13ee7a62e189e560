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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * Group commit for usage: batches validated concurrently are stored by at most {@link #WRITERS} writers at a time,
 * and a writer takes every batch waiting at that moment into the same transaction. Concurrent requests therefore
 * share a commit (one fsync) and fold into the daily aggregates once per key instead of once per request. A caller
 * returns only after the transaction holding its events has committed, so "acknowledged" still means durable.
 *
 * <p>Why two writers and not one: a writer's statement is mostly inserting events and their ids (PostgreSQL CPU),
 * and with one writer that work ran on one core while the other waited — the writer was the ceiling of ingestion
 * on a 2-core machine. A second writer inserts its events meanwhile; where both fold into the same aggregate rows
 * the second waits on their row locks only for the rest of the first's transaction (ids are inserted and keys folded
 * in one sorted order, so the two never deadlock on them), which is what two nodes' group commits already do on one database.
 *
 * <p>An event id sent by two requests of the same group is inserted once: the later request hears
 * "duplicate", exactly as if it had arrived after the first committed. If the shared transaction fails, each
 * request of the group is retried alone, so one request's failure is never another's.
 */
final class GroupCommit {
    /** Events per shared transaction; more waiting batches go to the next one. */
    static final int MAX_EVENTS = 40_000;
    /** Transactions storing usage at once on this node. */
    static final int WRITERS = 2;
    private final Transactions tx;
    private final UsageRepository usage;
    private final Semaphore writers = new Semaphore(WRITERS);
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
        volatile boolean done;
        /** Counted down once {@link #done}: a request whose batch another writer took waits here, holding no permit. */
        final CountDownLatch stored = new CountDownLatch(1);

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
        boolean interrupted = false;
        while (!mine.done) {
            writers.acquireUninterruptibly();
            List<Pending> group;
            try {
                group = mine.done ? List.of() : drain();
                if (!group.isEmpty()) {
                    write(group);
                }
            } finally {
                writers.release();
            }
            if (group.isEmpty() && !mine.done) { // a writer took this batch and is storing it now
                try {
                    mine.stored.await();
                } catch (InterruptedException e) {
                    interrupted = true; // the batch is being stored: its answer is still owed
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.known;
    }

    /**
     * Takes what waits, in arrival order, up to {@link #MAX_EVENTS}. Synchronized: two writers draining at once could both
     * peek the same batch, one take it and the other poll the next one while adding the peeked — a batch in two groups
     * and another in none, its request waiting forever (seen in AlertPacingTest).
     */
    private synchronized List<Pending> drain() {
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
            group.forEach(p -> {
                p.done = true;
                p.stored.countDown();
            });
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
