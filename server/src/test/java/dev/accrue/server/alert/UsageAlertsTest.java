package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.alert.UsageAlertEvaluator;
import dev.accrue.app.event.EventTypes;
import dev.accrue.server.Services;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.accrue.server.alert.AlertCatalog.alert;
import static dev.accrue.server.alert.AlertCatalog.alerts;
import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage alerts on a test clock, through the real API and the node's own evaluator thread: every threshold of every
 * audience (the plan's, the customer's, a user's) fires exactly once per allowance window and again after the reset;
 * concurrent ingestion and concurrent evaluation crossing a threshold fire it once; a rising series is warned about
 * from its trend; bad thresholds are refused and change nothing.
 */
class UsageAlertsTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void eachThresholdFiresOncePerWindowAndAgainAfterTheReset() {
        Sandbox s = new Sandbox("usage alerts", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Alerted", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText();
        assertThat(s.api.post("/v1/customers/" + c + "/usage_alerts", Map.of("metric", "call_seconds", "percents", List.of(75))).status())
                .isEqualTo(201);
        var user = s.api.post("/v1/customers/" + c + "/usage_alerts", Map.of("metric", "call_seconds", "user_email", "Ops@Example.com",
                "amounts", List.of(200)));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        assertThat(user.json().get("user_email").asText()).isEqualTo("ops@example.com");

        send(s, call("j1", c, "2026-06-01T07:00:00Z", 400, null)); // 400 of 1,000: the user's 200 s
        assertThat(awaitAlerts(s, c, "usage_threshold", 1)).containsExactly("ops@example.com 200 2026-06-01");
        send(s, call("j2", c, "2026-06-01T07:10:00Z", 200, null)); // 600: the plan's 50 %
        awaitAlerts(s, c, "usage_threshold", 2);
        send(s, call("j3", c, "2026-06-01T07:20:00Z", 400, null)); // 1,000: the customer's 75 %, the plan's 90 %
        awaitAlerts(s, c, "usage_threshold", 4);
        send(s, call("j4", c, "2026-06-01T07:30:00Z", 100, null)); // past everything: nothing new
        AlertCatalog.sleep(2_500); // the evaluator's pass for j4 and its second look
        assertThat(alerts(s, c, "usage_threshold")).containsExactlyInAnyOrder("ops@example.com 200 2026-06-01", "plan 50% 2026-06-01",
                "customer 75% 2026-06-01", "plan 90% 2026-06-01");
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_THRESHOLD_REACHED, sub, 100)).hasSize(4);

        JsonNode ninety = alert(s, c, "usage_threshold", "90%").get("data");
        assertThat(ninety.get("resource").asText()).isEqualTo("Call seconds");
        assertThat(ninety.get("unit").asText()).isEqualTo("second");
        assertThat(ninety.get("usage").asText()).isEqualTo("1000");
        assertThat(ninety.get("limit").asText()).isEqualTo("1000");
        assertThat(ninety.get("threshold_usage").asText()).isEqualTo("900");
        assertThat(ninety.get("percent_used").asText()).isEqualTo("100.00");
        assertThat(ninety.get("limit_reached_on").asText()).as("already reached: today").isEqualTo("2026-06-01");
        JsonNode fifty = alert(s, c, "usage_threshold", "50%").get("data");
        assertThat(fifty.get("usage").asText()).isEqualTo("600");
        // 600 s in the first 8 hours of June: 400 more at that pace take 5 h 20 min, still June 1
        assertThat(fifty.get("limit_reached_on").asText()).isEqualTo("2026-06-01");

        // July: a new allowance window, every threshold fires again
        s.advanceTo("2026-07-10T08:00:00Z");
        send(s, call("j5", c, "2026-07-10T07:00:00Z", 600, null));
        List<String> all = awaitAlerts(s, c, "usage_threshold", 6);
        assertThat(all).contains("ops@example.com 200 2026-07-01", "plan 50% 2026-07-01");
        JsonNode july = s.api.get("/v1/customers/" + c + "/alerts?limit=1").json().at("/data/0/data");
        // 600 s in 9 days and 7 hours: the remaining 400 at that pace land on July 16
        assertThat(july.get("limit_reached_on").asText()).isEqualTo("2026-07-16");
        AlertCatalog.sleep(1_500);
        assertThat(alerts(s, c, "usage_threshold")).hasSize(6);
    }

    @Test
    void concurrentIngestionAndConcurrentEvaluationCrossingAThresholdFireItOnce() throws Exception {
        Sandbox s = new Sandbox("alert race", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Racer", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Map<String, Object>> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        batch.add(call("r" + thread + "-" + i, c, "2026-06-01T07:00:00Z", 15, null)); // 8 × 10 × 15 = 1,200 s
                    }
                    return s.api.post("/v1/events/batch", Map.of("events", batch)).status();
                }));
                // and, at the same time, evaluators on other threads racing the node's own
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        services.tx().inTransaction(() -> services.alertEvaluator().evaluate(
                                new UsageAlertEvaluator.Key(s.tenant.id(), sub, "call_seconds")));
                    }
                    return 200;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
        services.tx().inTransaction(() -> services.alertEvaluator().evaluate(new UsageAlertEvaluator.Key(s.tenant.id(), sub, "call_seconds")));
        awaitAlerts(s, c, "usage_threshold", 2);
        AlertCatalog.sleep(2_000);
        assertThat(alerts(s, c, "usage_threshold")).containsExactlyInAnyOrder("plan 50% 2026-06-01", "plan 90% 2026-06-01");
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_THRESHOLD_REACHED, sub, 100)).hasSize(2);
    }

    @Test
    void aRisingSeriesIsWarnedAboutFromItsTrendOncePerPeriod() {
        Sandbox s = new Sandbox("projected overage", AlertCatalog.YAML, "2026-06-01T12:00:00Z");
        String c = s.customer("Grower", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "large")).get("id").asText(); // 5,000 s included
        int[] daily = {50, 100, 150};
        for (int d = 0; d < daily.length; d++) {
            String day = "2026-06-0" + (d + 1);
            s.advanceTo(day + "T12:00:00Z");
            send(s, call("g" + d, c, day + "T11:00:00Z", daily[d], null));
        }
        AlertCatalog.sleep(2_500);
        assertThat(alerts(s, c, "overage_projected")).as("two completed days are too few to project").isEmpty();
        s.advanceTo("2026-06-04T12:00:00Z");
        send(s, call("g3", c, "2026-06-04T11:00:00Z", 200, null));
        // the trend of June 1-3 (50, 100, 150: +50 a day) carried to June 30 is 23,250 s; the average pace (125 a day) would say 3,750
        assertThat(awaitAlerts(s, c, "overage_projected", 1)).containsExactly("plan allowance 2026-06-01");
        JsonNode data = alert(s, c, "overage_projected", "allowance").get("data");
        assertThat(data.get("projected_usage").asText()).isEqualTo("23250");
        assertThat(data.get("projected_overage").asText()).isEqualTo("18250");
        assertThat(data.get("projected_overage_cost").asText()).isEqualTo("912.50");
        assertThat(data.get("currency").asText()).isEqualTo("USD");
        assertThat(alerts(s, c, "usage_threshold")).as("500 of 5,000 used: no threshold yet").isEmpty();
        s.advanceTo("2026-06-05T12:00:00Z");
        send(s, call("g4", c, "2026-06-05T11:00:00Z", 250, null));
        AlertCatalog.sleep(2_500);
        assertThat(alerts(s, c, "overage_projected")).as("once per period").hasSize(1);
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_OVERAGE_PROJECTED, sub, 10)).hasSize(1);
    }

    @Test
    void aProjectionIsCheckedAgainAsDaysPassEvenWhenNoUsageArrives() {
        Sandbox s = new Sandbox("projection over time", AlertCatalog.YAML, "2026-06-01T12:00:00Z");
        String c = s.customer("Gone quiet", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "large")).get("id").asText(); // 5,000 s included
        int[] daily = {50, 100, 150};
        for (int d = 0; d < daily.length; d++) {
            String day = "2026-06-0" + (d + 1);
            s.advanceTo(day + "T12:00:00Z");
            send(s, call("q" + d, c, day + "T11:00:00Z", daily[d], null));
        }
        AlertCatalog.sleep(2_500);
        assertThat(alerts(s, c, "overage_projected")).as("two completed days are too few to project").isEmpty();
        // no usage on June 4: the day passing alone completes June 3, and the trend of June 1-3 overruns the allowance
        s.advanceTo("2026-06-04T12:00:00Z");
        assertThat(awaitAlerts(s, c, "overage_projected", 1)).containsExactly("plan allowance 2026-06-01");
        assertThat(alert(s, c, "overage_projected", "allowance").get("data").get("projected_usage").asText()).isEqualTo("23250");
        s.advanceTo("2026-06-06T12:00:00Z");
        AlertCatalog.sleep(2_500);
        assertThat(alerts(s, c, "overage_projected")).as("once per period").hasSize(1);
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_OVERAGE_PROJECTED, sub, 10)).hasSize(1);
    }

    @Test
    void thresholdsOutsideOneToAThousandPercentAreRefusedAndChangeNothing() {
        Sandbox s = new Sandbox("bad thresholds", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Careful", "USD", "UTC");
        s.subscribe(Map.of("customer_id", c, "plan", "small"));
        String path = "/v1/customers/" + c + "/usage_alerts";
        record Bad(Object percents, Object amounts, String field) {
        }
        for (Bad bad : List.of(new Bad(List.of(0), null, "percents[0]"), new Bad(List.of(50, 1001), null, "percents[1]"),
                new Bad(List.of(50, 1000.5), null, "percents[1]"), new Bad(List.of(0.5), null, "percents[0]"),
                new Bad(List.of(50, 50), null, "percents[1]"), new Bad(null, List.of(-1), "amounts[0]"), new Bad(null, List.of(0), "amounts[0]"))) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("metric", "call_seconds"));
            if (bad.percents() != null) {
                body.put("percents", bad.percents());
            }
            if (bad.amounts() != null) {
                body.put("amounts", bad.amounts());
            }
            var r = s.api.post(path, body);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
            assertThat(r.json().get("field").asText()).isEqualTo(bad.field());
        }
        assertThat(s.api.post(path, Map.of("metric", "texts", "percents", List.of(50))).json().get("code").asText()).isEqualTo("unknown_metric");
        assertThat(s.api.post(path, Map.of("metric", "call_seconds", "user_email", "not an email", "percents", List.of(50))).json()
                .get("field").asText()).isEqualTo("user_email");
        assertThat(s.api.get(path).json().get("data")).isEmpty();
        // the edges are accepted, and a second rule for the same audience is a conflict
        assertThat(s.api.post(path, Map.of("metric", "call_seconds", "percents", List.of(1, 1000))).status()).isEqualTo(201);
        assertThat(s.api.post(path, Map.of("metric", "call_seconds", "percents", List.of(10))).status()).isEqualTo(409);
        assertThat(s.api.get(path).json().get("data")).hasSize(1);
    }
}
