package dev.accrue.app.authorization;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Group commit of single checks against a group statement held open on demand, so that checks really queue behind it. */
class SharedReserveTest {
    private static AuthorizationService.Check check(String customer) {
        return new AuthorizationService.Check(customer, "call_seconds", BigDecimal.TEN, Duration.ofMinutes(5));
    }

    /** A decision that names its check, so a test sees which caller got which answer. */
    private static Decision answer(String tenant, AuthorizationService.Check c) {
        return new Decision(true, tenant + "/" + c.customerId(), c.want(), null, BigDecimal.ZERO, BigDecimal.ZERO, null);
    }

    @Test
    void checksArrivingWhileAGroupIsUnderWayShareTheNextOneAndEachGetsItsOwnAnswer() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Integer> sizes = new ArrayList<>();
        SharedReserve shared = heldOpen(sizes, firstSent, releaseFirst, 1); // one leader: everything else queues behind the first group
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Decision> first = pool.submit(() -> shared.decide("ten_a", check("cus_0")));
            firstSent.await();
            List<Future<Decision>> waiting = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String customer = "cus_" + i;
                waiting.add(pool.submit(() -> shared.decide("ten_a", check(customer))));
            }
            while (waitingChecks(shared) < 10) {
                Thread.sleep(5);
            }
            releaseFirst.countDown();
            assertThat(first.get().authorizationId()).isEqualTo("ten_a/cus_0");
            for (int i = 1; i <= 10; i++) {
                assertThat(waiting.get(i - 1).get().authorizationId()).isEqualTo("ten_a/cus_" + i);
            }
        }
        assertThat(sizes).containsExactly(1, 10); // alone while idle; then everything that queued, in one statement
    }

    @Test
    void twoGroupsAreUnderWayAtOnceAndNoThirdWhileTheyAre() throws Exception {
        CountDownLatch twoSent = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new ArrayList<>();
        SharedReserve shared = heldOpen(sizes, twoSent, release, SharedReserve.LEADERS);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Decision>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> shared.decide("ten_a", check("cus_0"))));
            answers.add(pool.submit(() -> shared.decide("ten_a", check("cus_1"))));
            // a second group went while the first was under way (with one leader the second check waits: this fails)
            assertThat(twoSent.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i < 12; i++) {
                String customer = "cus_" + i;
                answers.add(pool.submit(() -> shared.decide("ten_a", check(customer))));
            }
            while (waitingChecks(shared) < 10) { // while two are under way the others wait: no third group
                Thread.sleep(5);
            }
            assertThat(sizes).containsExactly(1, 1);
            release.countDown();
            for (int i = 0; i < 12; i++) {
                assertThat(answers.get(i).get().authorizationId()).isEqualTo("ten_a/cus_" + i);
            }
        }
        assertThat(sizes.subList(2, sizes.size())).hasSizeBetween(1, 2); // the ten that waited, in the next one or two groups
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }

    @Test
    void aGroupIsSentPerTenantAndAFailedGroupLeavesEveryCheckToTheSingleCheckPath() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SharedReserve failing = new SharedReserve((tenant, checks) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("database gone");
        });
        assertThat(failing.decide("ten_a", check("cus_1"))).isNull();
        assertThat(calls.get()).isEqualTo(1);

        List<String> tenants = new ArrayList<>();
        SharedReserve twoTenants = new SharedReserve((tenant, checks) -> {
            synchronized (tenants) {
                tenants.add(tenant + ":" + checks.length);
            }
            Decision[] d = new Decision[checks.length];
            for (int i = 0; i < checks.length; i++) {
                d[i] = checks[i].customerId().endsWith("x") ? null : answer(tenant, checks[i]); // the group does not stand by "…x"
            }
            return d;
        });
        assertThat(twoTenants.decide("ten_a", check("cus_1")).authorizationId()).isEqualTo("ten_a/cus_1");
        assertThat(twoTenants.decide("ten_b", check("cus_1")).authorizationId()).isEqualTo("ten_b/cus_1");
        assertThat(twoTenants.decide("ten_b", check("cus_x"))).isNull();
        assertThat(tenants).containsExactly("ten_a:1", "ten_b:1", "ten_b:1");
    }

    /**
     * A reserve that records each group's size and holds the first {@code held.getCount()} groups open until {@code release},
     * so that checks really queue behind them; each check answered by name.
     */
    private static SharedReserve heldOpen(List<Integer> sizes, CountDownLatch held, CountDownLatch release, int leaders) {
        return new SharedReserve((tenant, checks) -> {
            synchronized (sizes) {
                sizes.add(checks.length);
            }
            if (held.getCount() > 0) {
                held.countDown();
                await(release);
            }
            Decision[] d = new Decision[checks.length];
            for (int i = 0; i < checks.length; i++) {
                d[i] = answer(tenant, checks[i]);
            }
            return d;
        }, leaders);
    }

    private static int waitingChecks(SharedReserve shared) {
        return shared.waiting();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
