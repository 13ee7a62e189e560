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

/** Group commit against an in-memory store whose transactions really roll back. */
class GroupCommitTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    /** Stored ids per tenant; a transaction's inserts become visible only when it commits. */
    private static final class Store {
        final Set<String> committed = ConcurrentHashMap.newKeySet();
        final ThreadLocal<Set<String>> pending = new ThreadLocal<>();
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
                    try {
                        T result = work.get();
                        committed.addAll(pending.get());
                        return result;
                    } finally {
                        pending.remove();
                    }
                }

                @Override
                public <T> T rolledBack(java.util.function.Supplier<T> work) {
                    pending.set(new HashSet<>());
                    try {
                        return work.get(); // nothing reaches committed
                    } finally {
                        pending.remove();
                    }
                }

                @Override
                public boolean inProgress() {
                    return pending.get() != null;
                }
            };
        }

        UsageRepository usage() {
            return (UsageRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{UsageRepository.class}, (proxy, method, args) -> {
                if (!method.getName().equals("insert")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                CountDownLatch held = firstInsertHeld;
                if (held != null && held.getCount() > 0) {
                    held.countDown();
                    releaseFirstInsert.await(10, TimeUnit.SECONDS);
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
                    String key = tenant + "/" + e.eventId();
                    if (committed.contains(key) || !pending.get().add(key)) {
                        known.add(e.eventId());
                    }
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
            // while the first transaction is held open, three requests queue up and will share the next one
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
}
