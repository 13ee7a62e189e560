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
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Group commit of single checks against a group statement held open on demand, so that checks really queue behind it. */
class SharedRoundTripTest {
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
        SharedRoundTrip<AuthorizationService.Check, Decision> shared = heldOpen(sizes, firstSent, releaseFirst, 1); // one leader: everything else queues behind the first group
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Decision> first = pool.submit(() -> shared.answer("ten_a", check("cus_0")));
            firstSent.await();
            List<Future<Decision>> waiting = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String customer = "cus_" + i;
                waiting.add(pool.submit(() -> shared.answer("ten_a", check(customer))));
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
        SharedRoundTrip<AuthorizationService.Check, Decision> shared = heldOpen(sizes, twoSent, release, SharedRoundTrip.LEADERS);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Decision>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> shared.answer("ten_a", check("cus_0"))));
            answers.add(pool.submit(() -> shared.answer("ten_a", check("cus_1"))));
            // a second group went while the first was under way (with one leader the second check waits: this fails)
            assertThat(twoSent.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i < 12; i++) {
                String customer = "cus_" + i;
                answers.add(pool.submit(() -> shared.answer("ten_a", check(customer))));
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
        SharedRoundTrip<AuthorizationService.Check, Decision> failing = shared((tenant, checks) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("database gone");
        });
        assertThat(failing.answer("ten_a", check("cus_1"))).isNull();
        assertThat(calls.get()).isEqualTo(1);

        List<String> tenants = new ArrayList<>();
        SharedRoundTrip<AuthorizationService.Check, Decision> twoTenants = shared((tenant, checks) -> {
            synchronized (tenants) {
                tenants.add(tenant + ":" + checks.size());
            }
            List<Decision> d = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                d.add(checks.get(i).customerId().endsWith("x") ? null : answer(tenant, checks.get(i))); // the group does not stand by "…x"
            }
            return d;
        });
        assertThat(twoTenants.answer("ten_a", check("cus_1")).authorizationId()).isEqualTo("ten_a/cus_1");
        assertThat(twoTenants.answer("ten_b", check("cus_1")).authorizationId()).isEqualTo("ten_b/cus_1");
        assertThat(twoTenants.answer("ten_b", check("cus_x"))).isNull();
        assertThat(tenants).containsExactly("ten_a:1", "ten_b:1", "ten_b:1");
    }

    /**
     * A reserve that records each group's size and holds the first {@code held.getCount()} groups open until {@code release},
     * so that checks really queue behind them; each check answered by name.
     */
    private static SharedRoundTrip<AuthorizationService.Check, Decision> heldOpen(List<Integer> sizes, CountDownLatch held, CountDownLatch release, int leaders) {
        return shared((tenant, checks) -> {
            synchronized (sizes) {
                sizes.add(checks.size());
            }
            if (held.getCount() > 0) {
                held.countDown();
                await(release);
            }
            List<Decision> d = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                d.add(answer(tenant, checks.get(i)));
            }
            return d;
        }, leaders);
    }

    /** A round trip for checks, answered by {@code group}. */
    private static SharedRoundTrip<AuthorizationService.Check, Decision> shared(BiFunction<String, List<AuthorizationService.Check>, List<Decision>> group) {
        return shared(group, SharedRoundTrip.LEADERS);
    }

    private static SharedRoundTrip<AuthorizationService.Check, Decision> shared(BiFunction<String, List<AuthorizationService.Check>, List<Decision>> group, int leaders) {
        return new SharedRoundTrip<>("accrue_test_group", "test", group, leaders);
    }

    private static int waitingChecks(SharedRoundTrip<AuthorizationService.Check, Decision> shared) {
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
