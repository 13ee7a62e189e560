package dev.accrue.server.metering;

import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.adapters.postgres.PostgresUsage;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.Unique;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch is first stored as if all its ids were new (one index descent per id) and, when one was stored before, the
 * statement is undone to its savepoint and run again skipping stored ids. Whatever path a batch takes, an id counts
 * once: the undone try must leave no event, id or aggregate behind — also when the stored id belongs to a transaction
 * still open when the try starts, and for the batches right after a conflict (which skip the try for a while).
 */
class StoredIdsTest {
    private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");

    private static List<MeteredEvent> batch(String tenant, String... idAndQuantity) {
        List<MeteredEvent> events = new ArrayList<>();
        for (int i = 0; i < idAndQuantity.length; i += 2) {
            events.add(new MeteredEvent(idAndQuantity[i], "cus_ids", "sub_ids", "m", AT, DAY, new BigDecimal(idAndQuantity[i + 1]), "", true,
                    Map.of("n", i), false, null));
        }
        return events;
    }

    private static String totals(Jdbi jdbi, String tenant) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM usage_events WHERE tenant_id = :t) || ' events, '
                            || (SELECT count(*) FROM usage_event_ids WHERE tenant_id = :t) || ' ids, '
                            || (SELECT trim_scale(coalesce(sum(quantity), 0)) || ' in ' || coalesce(sum(events), 0) FROM usage_daily WHERE tenant_id = :t)""")
                .bind("t", tenant).mapTo(String.class).one());
    }

    @Test
    void anIdStoredBeforeCountsOnceWhicheverWayItsBatchIsStored() throws Exception {
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        PostgresUsage usage = new PostgresUsage(tx);
        String tenant = "t_ids_" + Unique.suffix();

        assertThat(tx.inTransaction(() -> usage.insert(tenant, batch(tenant, "a1", "1", "a2", "2", "a3", "3"), AT))).isEmpty();
        assertThat(totals(jdbi, tenant)).isEqualTo("3 events, 3 ids, 6 in 3");

        // the try as new meets a2 and a3: undone, then stored skipping them
        assertThat(tx.inTransaction(() -> usage.insert(tenant, batch(tenant, "a2", "100", "b1", "10", "a3", "100", "b2", "20"), AT)))
                .containsExactlyInAnyOrder("a2", "a3");
        assertThat(totals(jdbi, tenant)).isEqualTo("5 events, 5 ids, 36 in 5");

        // right after a conflict the try is skipped
        assertThat(tx.inTransaction(() -> usage.insert(tenant, batch(tenant, "b2", "100", "c1", "100"), AT))).containsExactly("b2");
        assertThat(totals(jdbi, tenant)).isEqualTo("6 events, 6 ids, 136 in 6");

        // and taken again once that has passed; the transaction goes on after an undone try
        Thread.sleep(PostgresUsage.CAUTIOUS_AFTER_CONFLICT.toMillis() + 100);
        Set<String> known = tx.inTransaction(() -> {
            Set<String> first = usage.insert(tenant, batch(tenant, "c1", "100", "d1", "1000"), AT);
            assertThat(usage.insert(tenant, batch(tenant, "e1", "10000"), AT)).isEmpty();
            return first;
        });
        assertThat(known).containsExactly("c1");
        assertThat(totals(jdbi, tenant)).isEqualTo("8 events, 8 ids, 11136 in 8");
    }

    @Test
    void anIdInsertedByATransactionStillOpenIsStoredOnceWhenThatOneCommits() throws Exception {
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        PostgresUsage usage = new PostgresUsage(tx);
        String tenant = "t_ids_open_" + Unique.suffix();

        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // threads of their own: CompletableFuture's default executor ran the second task only after the first ended
        var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<Set<String>> first = CompletableFuture.supplyAsync(() -> tx.inTransaction(() -> {
            Set<String> known = usage.insert(tenant, batch(tenant, "x1", "1"), AT);
            inserted.countDown();
            try {
                assertThat(commit.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return known;
        }), threads);
        assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
        // waits on x1's index entry, then meets it stored
        CompletableFuture<Set<String>> second = CompletableFuture.supplyAsync(
                () -> tx.inTransaction(() -> usage.insert(tenant, batch(tenant, "x2", "2", "x1", "100"), AT)), threads);
        awaitWaiting(jdbi, 1);
        assertThat(second).isNotDone();
        commit.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(second.get(30, TimeUnit.SECONDS)).containsExactly("x1");
        assertThat(totals(jdbi, tenant)).isEqualTo("2 events, 2 ids, 3 in 2");
        threads.shutdown();
    }

    @Test
    void twoBatchesTakingTheSameIdsInOppositeOrdersNeverDeadlock() throws Exception {
        // Two writers (or two nodes) store batches whose ids overlap, each batch in its own order. A third transaction
        // holds "m", so the first batch (a, m, z) stops at it; the second (z, a) comes meanwhile. Inserting in the
        // batches' orders, the second would take z and wait on a, and once m is free the first would wait on z: a
        // deadlock, one request failing after deadlock_timeout (seen as a 500 under concurrent batches in CI). In id
        // order the second waits on a before taking z, and both finish: every id stored once.
        String tenant = "t_ids_order_" + Unique.suffix();
        var known = crossing(tenant, "INSERT INTO usage_event_ids (tenant_id, event_id, customer_id, day) VALUES (:t, 'm', 'cus_ids', :day)",
                batch(tenant, "a", "1", "m", "10", "z", "100"), batch(tenant, "z", "1000", "a", "1000"));
        assertThat(known.get(0)).isEmpty();
        assertThat(known.get(1)).containsExactlyInAnyOrder("a", "z");
        assertThat(totals(TestNode.get().accrue().database().jdbi(), tenant)).isEqualTo("3 events, 3 ids, 111 in 3");
    }

    @Test
    void twoBatchesCountingTheSameUniqueValuesInOppositeOrdersNeverDeadlock() throws Exception {
        // the same crossing on a unique-count metric's values (usage_unique): distinct event ids, shared values
        String tenant = "t_unique_order_" + Unique.suffix();
        var known = crossing(tenant, "INSERT INTO usage_unique (tenant_id, subscription_id, metric, day, dimension_key, value) VALUES (:t, 'sub_ids', 'm', :day, '', 'm')",
                counting("1", "a", "m", "z"), counting("2", "z", "a"));
        assertThat(known.get(0)).isEmpty();
        assertThat(known.get(1)).isEmpty();
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        String values = jdbi.withHandle(h -> h.createQuery("SELECT string_agg(value, ',' ORDER BY value) FROM usage_unique WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(String.class).one());
        assertThat(values).isEqualTo("a,m,z");
    }

    /**
     * A third transaction holds one key ({@code hold}: an insert binding :t and :day) while {@code first} starts and waits on
     * it, then {@code second} starts and must wait on a key {@code first} took before it; the holder rolls back and both
     * must finish (each answering the ids it found stored). Threads of their own: CompletableFuture's default executor
     * ran a second task only after the first had ended on this machine.
     */
    private static List<Set<String>> crossing(String tenant, String hold, List<MeteredEvent> first, List<MeteredEvent> second) throws Exception {
        Jdbi jdbi = TestNode.get().accrue().database().jdbi();
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        PostgresUsage usage = new PostgresUsage(tx);
        try (org.jdbi.v3.core.Handle holder = jdbi.open(); var threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            holder.begin();
            holder.createUpdate(hold).bind("t", tenant).bind("day", DAY).execute();
            CompletableFuture<Set<String>> one = CompletableFuture.supplyAsync(() -> tx.inTransaction(() -> usage.insert(tenant, first, AT)), threads);
            awaitWaiting(jdbi, 1);
            CompletableFuture<Set<String>> two = CompletableFuture.supplyAsync(() -> tx.inTransaction(() -> usage.insert(tenant, second, AT)), threads);
            awaitWaiting(jdbi, 2);
            holder.rollback();
            return List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS));
        }
    }

    /** Events of batch {@code prefix}, one per unique value, for a unique-count metric. */
    private static List<MeteredEvent> counting(String prefix, String... values) {
        List<MeteredEvent> events = new ArrayList<>();
        for (String v : values) {
            events.add(new MeteredEvent(prefix + "-" + v, "cus_ids", "sub_ids", "m", AT, DAY, BigDecimal.ONE, "", true, Map.of(), false, v));
        }
        return events;
    }

    /** Until {@code n} storing statements (the insert-and-fold, by its first words: pg_stat_activity keeps 1 kB of a query) wait on a lock, at most 30 s. */
    private static void awaitWaiting(Jdbi jdbi, int n) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            int waiting = jdbi.withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH doc AS MATERIALIZED%'""")
                    .mapTo(Integer.class).one());
            if (waiting >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw " + n + " storing statements waiting on a lock: " + jdbi.withHandle(h -> h.createQuery("""
                SELECT string_agg(state || '/' || coalesce(wait_event_type, '-') || '/' || coalesce(wait_event, '-') || ': ' || left(query, 40), ' | ')
                FROM pg_stat_activity WHERE backend_type = 'client backend' AND state <> 'idle'""").mapTo(String.class).one()));
    }
}
