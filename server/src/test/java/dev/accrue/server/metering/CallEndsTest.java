package dev.accrue.server.metering;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call ends that arrive together share one transaction (CallEnds). The attack: while both groups a node runs at once are held
 * on a row lock, a mix of ends queues behind them — ordinary ones, an end sent twice, a second end of a call whose first is
 * still in a group, unknown ids, an end whose usage is refused — and must then be answered, in one group, exactly as if each
 * had been sent alone; the usage of each call recorded once, each reservation settled once, and every balance exact.
 */
class CallEndsTest {
    private static final BigDecimal INCLUDED = new BigDecimal("1000000");
    private Sandbox s;
    private final List<String> customers = new ArrayList<>();
    private final List<List<String>> holds = new ArrayList<>();

    @BeforeEach
    void holdsOpen() {
        s = new Sandbox("call-ends", AuthorizationHeldTotalTest.CATALOG, "2026-06-10T12:00:00Z");
        for (int c = 0; c < 3; c++) {
            String customer = s.customer("Dialer " + c, "USD", "UTC");
            s.subscribe(Map.of("customer_id", customer, "plan", "large"));
            customers.add(customer);
            List<String> mine = new ArrayList<>();
            for (int h = 0; h < 10; h++) {
                var d = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 100)).json();
                mine.add(d.get("authorization_id").asText());
            }
            holds.add(mine);
        }
    }

    @Test
    void endsQueuedTogetherAreAnsweredAsIfEachWereSentAloneAndRecordedOnce() throws Exception {
        DistributionSummary groups = Metrics.globalRegistry.find("accrue_authorization_group_commits").summary();
        long groupsBefore = groups == null ? 0 : groups.count();
        double endsBefore = groups == null ? 0 : groups.totalAmount();
        String first0 = holds.get(0).get(0);
        String first1 = holds.get(1).get(0);
        Map<String, Future<Api.Response>> answers = new LinkedHashMap<>();
        try (Handle blocker = TestNode.get().accrue().database().jdbi().open();
             ExecutorService pool = Executors.newFixedThreadPool(40)) {
            blocker.begin();
            blocker.createQuery("SELECT id FROM authorizations WHERE tenant_id = :t AND id IN (:a, :b) FOR UPDATE")
                    .bind("t", s.tenant.id()).bind("a", first0).bind("b", first1).mapTo(String.class).list();
            // each of the node's two groups takes one end and waits on its locked reservation
            answers.put("lead0", pool.submit(() -> commit(first0, 10)));
            awaitLockWaits(1);
            answers.put("lead1", pool.submit(() -> commit(first1, 20)));
            awaitLockWaits(2);

            int queued = 0;
            for (int c = 0; c < 3; c++) {
                for (int h = 1; h <= 5; h++) {
                    String id = holds.get(c).get(h);
                    int quantity = 10 * c + h;
                    answers.put("ok " + c + " " + h, pool.submit(() -> commit(id, quantity)));
                    queued++;
                }
            }
            String twice = holds.get(2).get(6);
            answers.put("twice a", pool.submit(() -> commit(twice, 7)));
            answers.put("twice b", pool.submit(() -> commit(twice, 7)));
            answers.put("again0", pool.submit(() -> commit(first0, 99))); // its first end is in the held group
            answers.put("unknown", pool.submit(() -> commit("auth_no_such_call", 5)));
            String refused = holds.get(1).get(6);
            answers.put("refused", pool.submit(() -> commit(refused, 2_000_000_000))); // more than the tenant's max_event_quantity
            queued += 5;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (TestNode.get().accrue().services().authorizations().callEndsWaiting() < queued) {
                assertThat(System.nanoTime()).as("call ends queued behind the held groups").isLessThan(deadline);
                Thread.sleep(5);
            }
            blocker.rollback();

            Map<String, Api.Response> r = new LinkedHashMap<>();
            for (var e : answers.entrySet()) {
                r.put(e.getKey(), e.getValue().get());
            }
            assertThat(r.get("lead0").status()).as(r.get("lead0").body()).isEqualTo(200);
            assertThat(r.get("lead1").status()).as(r.get("lead1").body()).isEqualTo(200);
            for (int c = 0; c < 3; c++) {
                for (int h = 1; h <= 5; h++) {
                    Api.Response ok = r.get("ok " + c + " " + h);
                    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
                    assertThat(ok.text("event_status")).isEqualTo("accepted");
                }
            }
            assertThat(List.of(r.get("twice a").status(), r.get("twice b").status())).containsExactlyInAnyOrder(200, 409);
            Api.Response second = r.get("twice a").status() == 409 ? r.get("twice a") : r.get("twice b");
            assertThat(second.code()).isEqualTo("authorization_settled");
            assertThat(r.get("again0").code()).isEqualTo("authorization_settled");
            assertThat(r.get("unknown").status()).isEqualTo(404);
            assertThat(r.get("refused").code()).isEqualTo("quantity_too_large");
        }
        // the queued ends went through the groups, more than one per group
        DistributionSummary after = Metrics.globalRegistry.find("accrue_authorization_group_commits").summary();
        assertThat(after.totalAmount() - endsBefore).isEqualTo(2 + 20);
        assertThat(after.count() - groupsBefore).isBetween(3L, 4L); // the two held groups, then the queued in one or two

        // usage recorded once per call, reservations settled once, balances exact
        BigDecimal[] used = {new BigDecimal(10 + 15), new BigDecimal(20 + 65), new BigDecimal(115 + 7)};
        for (int c = 0; c < 3; c++) {
            assertThat(usedBy(customers.get(c))).as("usage of " + c).isEqualByComparingTo(used[c]);
        }
        assertThat(status(holds.get(1).get(6))).isEqualTo("held"); // its end refused: nothing written for it
        assertThat(status(holds.get(2).get(6))).isEqualTo("committed");
        assertThat(eventsWithId(holds.get(2).get(6))).isEqualTo(1);
        assertThat(eventsWithId(first0)).isEqualTo(1);
        assertThat(eventsWithId(holds.get(1).get(6))).isZero();
        int[] stillHeld = {4, 4, 4}; // of ten each: 6–9 (customer 0, 1: 0–5 ended; 1’s 6 refused), 0 and 7–9 (customer 2: 1–6 ended)
        for (int c = 0; c < 3; c++) {
            var d = s.api.post("/v1/authorizations", Map.of("customer_id", customers.get(c), "metric", "call_seconds", "requested", 1)).json();
            BigDecimal expected = INCLUDED.subtract(used[c]).subtract(new BigDecimal(100 * stillHeld[c]));
            assertThat(new BigDecimal(d.get("available").asText())).as("balance of " + c).isEqualByComparingTo(expected);
        }
        int wrongTotals = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM authorization_held t
                        WHERE t.tenant_id = :t AND t.held <> (SELECT coalesce(sum(reserved), 0) FROM authorizations a
                             WHERE a.tenant_id = t.tenant_id AND a.subscription_id = t.subscription_id AND a.metric = t.metric AND a.status = 'held')""")
                .bind("t", s.tenant.id()).mapTo(Integer.class).one());
        assertThat(wrongTotals).isZero();
    }

    private Api.Response commit(String id, long quantity) {
        return s.api.post("/v1/authorizations/" + id + "/commit", Map.of("quantity", quantity));
    }

    /** Waits until {@code n} of this tenant's ends wait on a row lock of authorizations. */
    private static void awaitLockWaits(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND query LIKE '%JOIN authorizations a ON%FOR UPDATE OF a'""")
                .mapTo(Integer.class).one()) < n) {
            assertThat(System.nanoTime()).as("%d call ends waiting on a locked reservation", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private BigDecimal usedBy(String customer) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d JOIN subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id
                        WHERE d.tenant_id = :t AND s.customer_id = :c AND d.metric = 'call_seconds'""")
                .bind("t", s.tenant.id()).bind("c", customer).mapTo(BigDecimal.class).one());
    }

    private String status(String id) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM authorizations WHERE tenant_id = :t AND id = :id")
                .bind("t", s.tenant.id()).bind("id", id).mapTo(String.class).one());
    }

    private int eventsWithId(String id) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM usage_events WHERE tenant_id = :t AND event_id = :id")
                .bind("t", s.tenant.id()).bind("id", id).mapTo(Integer.class).one());
    }
}
