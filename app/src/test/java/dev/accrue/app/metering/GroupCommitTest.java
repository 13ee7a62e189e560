package dev.accrue.app.metering;

import dev.accrue.app.tx.Transactions;
import dev.accrue.core.metering.MeteredEvent;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit against an in-memory store whose transactions really roll back and whose ids behave like a unique index:
 * an id inserted by a transaction still open makes another transaction inserting it wait for its end (then it is a
 * duplicate if that one committed) — what lets {@link GroupCommit#WRITERS} writers store at once.
 */
class GroupCommitTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    /** Stored ids per tenant; a transaction's inserts become visible only when it commits. */
    private static final class Store {
        final Set<String> committed = ConcurrentHashMap.newKeySet();
        final ThreadLocal<Set<String>> pending = new ThreadLocal<>();
        /** Ids inserted by transactions still open, and by which (its pending set). */
        final Map<String, Set<String>> claimed = new java.util.HashMap<>();
        final AtomicInteger transactions = new AtomicInteger();
        volatile CountDownLatch firstInsertHeld;
        volatile CountDownLatch releaseFirstInsert;

        Transactions tx() {
            return new Transactions() {
                @Override
                public <T> T inTransaction(java.util.function.Supplier<T> work) {
                    if (pending.get() != null) {
                        return work.get();
                    }
                    pending.set(new HashSet<>());
                    transactions.incrementAndGet();
                    boolean commit = false;
                    try {
                        T result = work.get();
                        commit = true;
                        return result;
                    } finally {
                        end(commit);
                    }
                }

                @Override
                public <T> T rolledBack(java.util.function.Supplier<T> work) {
                    pending.set(new HashSet<>());
                    try {
                        return work.get(); // nothing reaches committed
                    } finally {
                        end(false);
                    }
                }

                @Override
                public boolean inProgress() {
                    return pending.get() != null;
                }
            };
        }

        /** Ends the thread's transaction: its ids become committed (or are dropped) and whoever waits on them goes on. */
        private synchronized void end(boolean commit) {
            Set<String> mine = pending.get();
            if (commit) {
                committed.addAll(mine);
            }
            mine.forEach(claimed::remove);
            pending.remove();
            notifyAll();
        }

        /** Inserts the id in the thread's transaction as a unique index would; true when it was stored before. */
        private synchronized boolean storedBefore(String key) throws InterruptedException {
            Set<String> mine = pending.get();
            Set<String> owner;
            while ((owner = claimed.get(key)) != null && owner != mine) {
                wait();
            }
            if (committed.contains(key) || mine.contains(key)) {
                return true;
            }
            claimed.put(key, mine);
            mine.add(key);
            return false;
        }

        UsageRepository usage() {
            return (UsageRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{UsageRepository.class}, (proxy, method, args) -> {
                if (!method.getName().equals("insert")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                String tenant = (String) args[0];
                @SuppressWarnings("unchecked") List<MeteredEvent> events = (List<MeteredEvent>) args[1];
                Set<String> known = new HashSet<>();
                Set<String> ids = new HashSet<>();
                for (MeteredEvent e : events) {
                    assertThat(ids.add(e.eventId())).as("one row per id in a statement").isTrue();
                    if (e.eventId().startsWith("poison")) {
                        throw new IllegalStateException("cannot store " + e.eventId());
                    }
                    if (storedBefore(tenant + "/" + e.eventId())) {
                        known.add(e.eventId());
                    }
                }
                CountDownLatch held = firstInsertHeld; // held open with its ids inserted, as a slow statement would be
                if (held != null && held.getCount() > 0) {
                    held.countDown();
                    releaseFirstInsert.await(10, TimeUnit.SECONDS);
                }
                return known;
            });
        }
    }

    private static List<MeteredEvent> events(String... ids) {
        List<MeteredEvent> list = new ArrayList<>();
        for (String id : ids) {
            list.add(new MeteredEvent(id, "cus_1", "sub_1", "call_seconds", AT, LocalDate.of(2026, 6, 1), BigDecimal.ONE, "", true, Map.of(), false, null));
        }
        return list;
    }

    @Test
    void concurrentRequestsShareTransactionsAndAnIdSentTwiceIsStoredOnce() throws Exception {
        Store store = new Store();
        GroupCommit group = new GroupCommit(store.tx(), store.usage());
        List<Callable<Set<String>>> requests = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add("e-" + (r * 7 + i) % 100);
            }
            requests.add(() -> group.insert("ten_1", events(ids.toArray(String[]::new)), AT));
        }
        int fresh = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Set<String>> f : pool.invokeAll(requests)) {
                fresh += 20 - f.get().size();
            }
        }
        assertThat(store.committed).hasSize(100);
        assertThat(fresh).as("each id reported new exactly once").isEqualTo(100);
        assertThat(store.transactions.get()).isLessThanOrEqualTo(40);
    }

    @Test
    void aFailingRequestFailsAloneWhenItsGroupIsRetried() throws Exception {
        Store store = new Store();
        store.firstInsertHeld = new CountDownLatch(1);
        store.releaseFirstInsert = new CountDownLatch(1);
        GroupCommit group = new GroupCommit(store.tx(), store.usage());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Future<Set<String>> first = pool.submit(() -> group.insert("ten_1", events("a-1"), AT));
            assertThat(store.firstInsertHeld.await(10, TimeUnit.SECONDS)).isTrue();
            // while the first transaction is held open, three requests come: the second writer takes what is waiting and
            // waits on the first's a-1; the rest wait for a writer and may share a transaction
            Future<Set<String>> good = pool.submit(() -> group.insert("ten_1", events("b-1", "a-1"), AT));
            Future<Set<String>> bad = pool.submit(() -> group.insert("ten_1", events("b-2", "poison-1"), AT));
            Future<Set<String>> other = pool.submit(() -> group.insert("ten_2", events("a-1"), AT));
            Thread.sleep(200);
            store.releaseFirstInsert.countDown();
            assertThat(first.get()).isEmpty();
            assertThat(good.get()).containsExactly("a-1");
            assertThat(other.get()).isEmpty();
            try {
                bad.get();
                throw new AssertionError("the poisoned request must fail");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("poison-1");
            }
        }
        assertThat(store.committed).containsExactlyInAnyOrder("ten_1/a-1", "ten_1/b-1", "ten_2/a-1");
    }

    @Test
    void aSecondWriterStoresWhileTheFirstTransactionIsStillOpen() throws Exception {
        Store store = new Store();
        store.firstInsertHeld = new CountDownLatch(1);
        store.releaseFirstInsert = new CountDownLatch(1);
        GroupCommit group = new GroupCommit(store.tx(), store.usage());
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Set<String>> first = pool.submit(() -> group.insert("ten_1", events("a-1"), AT));
            assertThat(store.firstInsertHeld.await(10, TimeUnit.SECONDS)).isTrue();
            // one writer at a time would keep this request waiting until the first transaction ends
            Future<Set<String>> second = pool.submit(() -> group.insert("ten_1", events("z-1"), AT));
            assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(store.committed).containsExactly("ten_1/z-1");
            store.releaseFirstInsert.countDown();
            assertThat(first.get()).isEmpty();
        }
        assertThat(store.committed).containsExactlyInAnyOrder("ten_1/a-1", "ten_1/z-1");
    }

    /**
     * Many small requests from more threads than writers, so that both writers drain the queue at the same moments: a
     * batch taken by two groups and another by none would leave that request waiting forever. The pool's threads are
     * daemons and the test gives up after a minute, so a lost batch fails the test instead of hanging the build.
     */
    @Test
    void everyBatchIsStoredWhenBothWritersDrainAtOnce() throws Exception {
        Store store = new Store();
        GroupCommit group = new GroupCommit(store.tx(), store.usage());
        int requests = 20_000;
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        try {
            for (int r = 0; r < requests; r++) {
                String id = "s-" + r;
                pool.execute(() -> {
                    if (group.insert("ten_1", events(id), AT).isEmpty()) {
                        answered.incrementAndGet();
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("every request answered (a lost batch waits forever)").isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(answered.get()).isEqualTo(requests);
        assertThat(store.committed).hasSize(requests);
    }
}
