package dev.accrue.server.billing;

import dev.accrue.server.support.NodeProcess;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Advancing a test clock is one recoverable unit: a separate server process is SIGKILLed while it bills an
 * advance of three years for thirty subscriptions (its transaction has written and is still open); the clock
 * is then where it was, no invoice of the advance exists, and the same advance retried bills every period once.
 */
class TestClockCrashTest {
    private static final String APP = "accrue-clock-crash";
    /** One monthly plan on a calendar cycle; the other test-clock race tests of this package use it too. */
    static final String MONTHLY = """
            name: monthly
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
            plans:
              - code: starter
                product: app
                name: Starter
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Starter, monthly_price: { USD: "10.00" } }
            """;

    @Test
    void aServerKilledMidAdvanceLeavesTheClockWhereItWasAndTheRetryBillsEverythingOnce() throws Exception {
        Sandbox s = new Sandbox("clock crash", MONTHLY, "2023-01-01T00:00:00Z");
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = s.customer("Clock Crash " + i, "USD", "UTC");
            subs.add(s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText());
        }
        String key = s.api.post("/v1/api_keys", Map.of("name", "clock crash")).text("secret");
        var db = TestNode.get().accrue().database().jdbi();
        String tenant = s.tenant.id();
        long invoicesBefore = invoices(tenant);
        assertThat(invoicesBefore).isEqualTo(30); // January 2023's fees, in advance

        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst() + "?ApplicationName=" + APP;
        NodeProcess server = NodeProcess.start(Files.createTempDirectory("clock-crash-node"), Map.of("ACCRUE_DB_URL", url));
        CompletableFuture<HttpResponse<String>> advance = CompletableFuture.supplyAsync(() -> {
            try {
                return server.send("POST", "/v1/test_clocks/" + s.clockId + "/advance", key, "{\"frozen_time\":\"2026-01-01T00:00:00Z\"}",
                        Duration.ofMinutes(5));
            } catch (Exception e) {
                return null; // the server died under the request
            }
        });
        // kill it once its advance is at work, before it answers: its transaction has written and been open for a
        // second (or, billed in pieces, some invoices of the advance are already committed)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (writingFor(APP) == 0 && invoices(tenant) == invoicesBefore) {
            assertThat(advance).as("the advance finished before it could be killed").isNotDone();
            assertThat(System.nanoTime()).as("the advance never started writing").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(advance).isNotDone();
        server.kill();
        assertThat(advance.get()).as("no answer from a killed server").isNull();
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a").bind("a", APP)
                .mapTo(Long.class).one()) > 0) {
            assertThat(System.nanoTime()).as("PostgreSQL never saw the killed server's connections go").isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(s.api.get("/v1/test_clocks/" + s.clockId).text("frozen_time")).isEqualTo("2023-01-01T00:00:00Z");
        assertThat(invoices(tenant)).isEqualTo(invoicesBefore);

        var retried = s.api.post("/v1/test_clocks/" + s.clockId + "/advance", Map.of("frozen_time", "2026-01-01T00:00:00Z"));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(s.api.get("/v1/test_clocks/" + s.clockId).text("frozen_time")).isEqualTo("2026-01-01T00:00:00Z");
        for (String sub : subs) {
            // January 2023 to January 2026: 37 monthly fees, each period once
            assertThat(s.invoices(sub)).hasSize(37).doesNotHaveDuplicates();
        }
        assertThat(invoices(tenant)).isEqualTo(30 * 37);
    }

    private static long invoices(String tenant) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM invoices WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(Long.class).one());
    }

    /** Open transactions of {@code app} that have written (hold a transaction id) for more than a second. */
    private static long writingFor(String app) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM pg_stat_activity WHERE application_name = :a AND backend_xid IS NOT NULL
                           AND xact_start < now() - interval '1 second'""").bind("a", app).mapTo(Long.class).one());
    }
}
