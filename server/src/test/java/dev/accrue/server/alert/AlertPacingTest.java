package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.alert.AlertMeters;
import dev.accrue.app.alert.AlertPace;
import dev.accrue.server.support.Sandbox;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paced passes ({@code ACCRUE_ALERT_PACE_MS}, {@link AlertPace}): the suite's node runs with the default pace. While
 * clients stream batches that each make a key due (a distinct count is due on every move), the evaluator makes at most
 * one pass per pace — not one per batch, as it does with no pace — and a threshold crossed in the middle of the stream
 * still fires within a second of the crossing batch's acknowledgement.
 */
class AlertPacingTest {
    private static final String YAML = """
            name: pacing
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, name: Call seconds, aggregation: sum, field: duration_seconds, unit: second }
              - { code: callers, name: Callers, aggregation: unique_count, field: caller, unit: caller }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: small
                product: voice
                name: Small
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                usage_alerts: [{ metric: call_seconds, percents: [50, 90] }, { metric: callers, percents: [100] }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, proration: never, timing: in_advance }
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, allowances: [{ quantity: 1000 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.05" } } }
                  - { type: metered, code: callers, name: Callers, metric: callers, allowances: [{ quantity: 1000000 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            """;
    private static final Duration STREAM = Duration.ofSeconds(3);
    private static final int CLIENTS = 4;

    @Test
    void aStreamOfBatchesMakesAtMostOnePassPerPaceAndACrossingStillFiresWithinASecond() throws Exception {
        Duration pace = AlertPace.fromEnvironment(System.getenv());
        assertThat(pace).as("the suite runs with the default pace").isEqualTo(AlertPace.DEFAULT);
        Sandbox s = new Sandbox("alert pacing", YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Streamer", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "small")); // 1,000 s included; the plan warns at 50 and 90 %
        post(s, List.of(caller("warm", c), call("warm-call", c, "2026-06-01T07:00:00Z", 100, null))); // both keys known to the gate
        AlertCatalog.sleep(1_500); // their first pass and second look

        AtomicInteger batches = new AtomicInteger();
        long passesBefore = passes();
        long started = System.nanoTime();
        Instant crossingAcked;
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> streams = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int client = t;
                streams.add(pool.submit(() -> {
                    // back to back: every batch brings a new caller, so the distinct count's key is due after every one
                    for (int b = 0; System.nanoTime() - started < STREAM.toNanos(); b++) {
                        post(s, List.of(caller("s" + client + "-" + b, c)));
                        batches.incrementAndGet();
                    }
                    return null;
                }));
            }
            AlertCatalog.sleep(STREAM.toMillis() / 2);
            post(s, List.of(call("crossing", c, "2026-06-01T07:30:00Z", 450, null))); // 550 of 1,000: the plan's 50 %
            crossingAcked = Instant.now();
            for (Future<?> f : streams) {
                f.get();
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long passes = passes() - passesBefore;

        assertThat(awaitAlerts(s, c, "usage_threshold", 1)).containsExactly("plan 50% 2026-06-01");
        JsonNode fired = s.api.get("/v1/customers/" + c + "/alerts?limit=10").json().at("/data/0");
        long latency = Duration.between(crossingAcked, Instant.parse(fired.get("fired_at").asText())).toMillis();
        assertThat(latency).as("the alert fired %d ms after the crossing batch's acknowledgement", latency).isLessThan(1_000);
        // one pass per pace at most while the stream lasts (and the pass that may run as it ends); with no pace the
        // evaluator passes back to back, one per batch or so
        assertThat(passes).as("%d passes for %d batches in %d ms", passes, batches.get(), elapsedMillis)
                .isLessThanOrEqualTo(elapsedMillis / pace.toMillis() + 2)
                .isLessThan(batches.get() / 2);
    }

    @Test
    void aPaceOutsideZeroToNineHundredMillisecondsStopsTheNodeWithAClearError() {
        assertThat(AlertPace.fromEnvironment(Map.of())).isEqualTo(Duration.ofMillis(200));
        assertThat(AlertPace.fromEnvironment(Map.of(AlertPace.VARIABLE, " 0 "))).isEqualTo(Duration.ZERO);
        assertThat(AlertPace.fromEnvironment(Map.of(AlertPace.VARIABLE, "900"))).isEqualTo(Duration.ofMillis(900));
        for (String bad : List.of("901", "-1", "0.5", "200ms", "fast")) {
            assertThatThrownBy(() -> AlertPace.fromEnvironment(Map.of(AlertPace.VARIABLE, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ACCRUE_ALERT_PACE_MS must be a whole number of milliseconds from 0 (evaluate at once) to 900 (the pace and a"
                            + " pass must fit in the 1-second alert goal), got '" + bad + "'");
        }
    }

    private static Map<String, Object> caller(String id, String customer) {
        return Map.of("event_id", id, "customer_id", customer, "metric", "callers", "timestamp", "2026-06-01T07:00:00Z",
                "properties", Map.of("caller", "+1555" + id));
    }

    private static void post(Sandbox s, List<Map<String, Object>> events) {
        var r = s.api.post("/v1/events/batch", Map.of("events", events));
        if (r.status() != 200 || r.json().get("accepted").asInt() != events.size()) {
            throw new AssertionError("batch refused: " + r);
        }
    }

    /** Passes of every evaluator in this JVM (the suite's node's, as the tests run one at a time). */
    private static long passes() {
        DistributionSummary keys = Metrics.globalRegistry.find(AlertMeters.PASS_KEYS).summary();
        return keys == null ? 0 : keys.count();
    }
}
