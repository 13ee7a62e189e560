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
 * A test clock advance beside a plan change on another node (found by TwoNodesMixedLoadTest as a 500): the change holds
 * its subscription and then numbers its invoice; the advance must not hold the tenant's number counter while it waits
 * for that subscription, or PostgreSQL breaks the deadlock by failing one of them. Here the change is played by a
 * transaction of the test's own that locks the second subscription, waits until the advance is blocked, and then
 * takes the counter row as the change's invoice would.
 */
class AdvanceBesidePlanChangeTest {
    @Test
    void anAdvanceWaitingForASubscriptionHoldsNoInvoiceNumber() throws Exception {
        Sandbox s = new Sandbox("advance beside change", TestClockCrashTest.MONTHLY, "2026-01-01T06:00:00Z");
        s.subscribe(Map.of("customer_id", s.customer("First", "USD", "UTC"), "plan", "starter"));
        String second = s.subscribe(Map.of("customer_id", s.customer("Second", "USD", "UTC"), "plan", "starter")).get("id").asText();
        var db = TestNode.get().accrue().database().jdbi();
        try (Handle change = db.open()) {
            change.begin();
            change.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND id = :s FOR UPDATE")
                    .bind("t", s.tenant.id()).bind("s", second).mapTo(String.class).one();
            CompletableFuture<Api.Response> advance = CompletableFuture.supplyAsync(() ->
                    s.api.post("/v1/test_clocks/" + s.clockId + "/advance", Map.of("frozen_time", "2026-02-01T06:00:00Z")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!blockedOnASubscription(db.open())) {
                assertThat(System.nanoTime()).as("the advance waits for the locked subscription").isLessThan(deadline);
                Thread.sleep(20);
            }
            // the change numbers its invoice: the counter must be free (PostgreSQL reports a deadlock after 1 s otherwise)
            change.execute("SET LOCAL lock_timeout = '5s'");
            change.createUpdate("UPDATE invoice_counters SET last_number = last_number WHERE tenant_id = :t").bind("t", s.tenant.id()).execute();
            change.rollback();
            Api.Response advanced = advance.get(30, TimeUnit.SECONDS);
            assertThat(advanced.status()).as(advanced.body()).isEqualTo(200);
        }
        assertThat(s.api.get("/v1/invoices?limit=100").json().get("data")).hasSize(4); // January and February, twice
    }

    private static boolean blockedOnASubscription(Handle h) {
        try (h) {
            return h.createQuery("""
                    SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%subscriptions%'
                    AND pid <> pg_backend_pid()""").mapTo(Integer.class).one() > 0;
        }
    }
}
