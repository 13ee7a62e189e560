package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progressive billing under concurrent usage: twenty batches crossing thresholds at once never invoice a level twice nor
 * bill a request twice — the progressive invoices together bill exactly the usage, and the period-end invoice deducts
 * exactly them.
 */
class ProgressiveBillingConcurrencyTest {
    @Test
    void concurrentBatchesInvoiceEachLevelOnceAndTheUsageExactlyOnce() throws Exception {
        String catalog = ProgressiveBillingScenarioTest.CATALOG.replace(
                "progressive_billing: { thresholds: [{ USD: \"20.00\" }, { USD: \"50.00\" }], recurring: { USD: \"50.00\" } }",
                "progressive_billing: { recurring: { USD: \"25.00\" } }");
        Sandbox s = new Sandbox("progressive-concurrent", catalog, "2026-06-01T08:00:00Z");
        String c = s.customer("Busy Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "heavy")).get("id").asText();
        s.advanceTo("2026-06-10T08:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "c" + i;
            Callable<String> send = () -> s.api.post("/v1/events", Map.of("event_id", id, "customer_id", c, "metric", "requests",
                    "timestamp", "2026-06-10T07:00:00Z", "properties", Map.of("n", 100))).text("status");
            sent.add(pool.submit(send));
        }
        for (Future<String> f : sent) {
            assertThat(f.get()).isEqualTo("accepted");
        }
        pool.shutdown();

        // 20 × 100 requests × 0.10 = 200.00: level 8 of every 25.00
        BigDecimal progressive = BigDecimal.ZERO;
        int invoices = 0;
        for (JsonNode invoice : s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data")) {
            if (invoice.get("lines").get(0).get("kind").asText().equals("progressive")) {
                invoices++;
                progressive = progressive.add(new BigDecimal(invoice.get("total").asText()));
            }
        }
        assertThat(invoices).as("at most one invoice per level reached").isBetween(1, 8);
        assertThat(progressive).isEqualByComparingTo("200.00");

        s.advanceTo("2026-07-01T09:00:00Z");
        List<String> all = s.invoices(sub);
        String july = all.getLast();
        assertThat(july).startsWith("2026-07-01 10.00 [").contains("usage requests 2026-06-01..2026-07-01 200.00")
                .endsWith("recurring base 2026-07-01..2026-08-01 10.00]");
    }
}
