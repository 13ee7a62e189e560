package dev.accrue.server.billing;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription created on a test clock while that clock is being advanced (found by TwoNodesMixedLoadTest as a
 * subscription left unbilled up to its clock's day): it must not start at the old time after the advance has chosen
 * what to bill. The subscribe holds the clock, so it waits for the advance and starts at the new time. Here the
 * advance is held mid-way by a transaction of the test's own that locks a subscription on the clock.
 */
class SubscribeDuringAdvanceTest {
    @Test
    void aSubscriptionCreatedDuringAnAdvanceStartsAtTheNewTime() throws Exception {
        Sandbox s = new Sandbox("subscribe during advance", TestClockCrashTest.MONTHLY, "2026-01-01T06:00:00Z");
        String held = s.subscribe(Map.of("customer_id", s.customer("Held", "USD", "UTC"), "plan", "starter")).get("id").asText();
        String late = s.customer("Late", "USD", "UTC");
        var db = TestNode.get().accrue().database().jdbi();
        CompletableFuture<Api.Response> subscribe;
        CompletableFuture<Api.Response> advance;
        try (Handle blocker = db.open()) {
            blocker.begin();
            blocker.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND id = :s FOR UPDATE")
                    .bind("t", s.tenant.id()).bind("s", held).mapTo(String.class).one();
            advance = CompletableFuture.supplyAsync(() ->
                    s.api.post("/v1/test_clocks/" + s.clockId + "/advance", Map.of("frozen_time", "2026-02-01T06:00:00Z")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!blocked(db.open(), "%subscriptions%")) {
                assertThat(System.nanoTime()).as("the advance waits for the locked subscription").isLessThan(deadline);
                Thread.sleep(20);
            }
            // the advance holds its clock and has chosen what to bill: a subscribe now must wait for it
            subscribe = CompletableFuture.supplyAsync(() -> s.api.post("/v1/subscriptions", Map.of("customer_id", late, "plan", "starter")));
            while (!blocked(db.open(), "%test_clocks%")) {
                assertThat(subscribe).as("the subscribe answered while the advance was in flight").isNotDone();
                assertThat(System.nanoTime()).as("the subscribe waits for the clock").isLessThan(deadline);
                Thread.sleep(20);
            }
            blocker.rollback();
        }
        assertThat(advance.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        Api.Response created = subscribe.get(30, TimeUnit.SECONDS);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.text("start_date")).isEqualTo("2026-02-01");
    }

    private static boolean blocked(Handle h, String table) {
        try (h) {
            return h.createQuery("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE :table
                    AND pid <> pg_backend_pid()""").bind("table", table).mapTo(Integer.class).one() > 0;
        }
    }
}
