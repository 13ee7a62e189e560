package dev.accrue.server.payment;

import dev.accrue.app.payment.CollectionMeters;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, speed: the collection of a chunk of plain invoices goes through the set-based steps ({@code CollectionBatch}),
 * not silently through the one-at-a-time ones (each correct on its own, so only the counters the chunked runner records
 * on /metrics tell the paths apart). A declined card is the control: its outcome is recorded one at a time, and counted so.
 */
class CollectionBatchPathTest {

    private static double count(String step, String path) {
        Counter c = Metrics.globalRegistry.find(CollectionMeters.ATTEMPTS).tag("step", step).tag("path", path).counter();
        return c == null ? 0 : c.count();
    }

    private static double fallbacks() {
        return Metrics.globalRegistry.find(CollectionMeters.FALLBACKS).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, Double> counters() {
        return Map.of("begin set_based", count("begin", CollectionMeters.SET_BASED), "begin one_at_a_time", count("begin", CollectionMeters.ONE_AT_A_TIME),
                "settle set_based", count("settle", CollectionMeters.SET_BASED), "settle one_at_a_time", count("settle", CollectionMeters.ONE_AT_A_TIME),
                "fallbacks", fallbacks());
    }

    private static Map<String, Double> delta(Map<String, Double> before) {
        Map<String, Double> now = counters();
        Map<String, Double> out = new TreeMap<>();
        now.forEach((k, v) -> out.put(k, v - before.get(k)));
        return out;
    }

    @Test
    void plainInvoicesAreStoredAndSettledSetBasedAndOnlyTheDeclineGoesOneAtATime() {
        Sandbox s = new Sandbox("batch path", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        List<String> invoices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String c = s.customer("Batch " + i + " Co", "USD", "UTC");
            PaymentFixtures.addCard(s.api, c, i == 4 ? PaymentFixtures.CHARGE_FAILS : PaymentFixtures.VISA_OK);
            String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
            invoices.add(PaymentFixtures.invoiceOf(s, sub).get("id").asText());
        }
        Map<String, Double> before = counters();

        s.advanceTo("2026-06-01T09:00:00Z"); // one collection run over the clock's five invoices, one chunk

        assertThat(delta(before)).containsExactlyInAnyOrderEntriesOf(Map.of("begin set_based", 5.0, "begin one_at_a_time", 0.0,
                "settle set_based", 4.0, "settle one_at_a_time", 1.0, "fallbacks", 0.0));
        for (int i = 0; i < 4; i++) {
            assertThat(s.api.get("/v1/invoices/" + invoices.get(i)).text("status")).isEqualTo("paid");
        }
        assertThat(PaymentFixtures.attempts(s.api, invoices.get(4))).singleElement().asString().startsWith("failed card_declined");
    }
}
