package dev.accrue.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.app.alert.UsageAlertEvaluator;
import dev.accrue.app.event.EventTypes;
import dev.accrue.server.Services;
import dev.accrue.server.support.NodeProcess;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.accrue.server.alert.AlertCatalog.alerts;
import static dev.accrue.server.alert.AlertCatalog.awaitAlerts;
import static dev.accrue.server.alert.AlertCatalog.call;
import static dev.accrue.server.alert.AlertCatalog.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each threshold fires exactly once per window across restarts. Usage batches go to separate server processes
 * ({@code accrue serve} on the suite's database) killed (SIGKILL) between batches: what fired is in {@code fired_alerts},
 * written in the transaction of the event it produced, so a restarted server neither repeats an alert nor misses one.
 * The suite's own node, whose evaluator the test holds, plays a node that died between a batch's commit and its
 * evaluation: the next server to start raises the alert it left unraised (its start-up sweep), and when the held node
 * evaluates at last, nothing fires twice.
 */
class AlertsAcrossRestartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Services services = TestNode.get().accrue().services();

    @Test
    void eachThresholdFiresOncePerWindowAcrossKilledAndRestartedServers() throws Exception {
        Sandbox s = new Sandbox("alerts across restarts", AlertCatalog.YAML, "2026-06-01T08:00:00Z");
        String c = s.customer("Restarted", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "small")).get("id").asText(); // 1,000 s; the plan warns at 50 and 90 %
        assertThat(s.api.post("/v1/customers/" + c + "/usage_alerts", Map.of("metric", "call_seconds", "percents", List.of(75))).status())
                .isEqualTo(201);
        String key = s.api.post("/v1/api_keys", Map.of("name", "restarts")).text("secret");
        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();
        Path dir = Files.createTempDirectory("alerts-restart-node");

        NodeProcess first = NodeProcess.start(dir, Map.of("ACCRUE_DB_URL", url));
        try {
            post(first, key, call("a1", c, "2026-06-01T07:00:00Z", 600, null)); // 600 of 1,000: the plan's 50 %
            assertThat(awaitAlerts(s, c, "usage_threshold", 1)).containsExactly("plan 50% 2026-06-01");
        } finally {
            first.kill();
        }

        NodeProcess second = NodeProcess.start(dir, Map.of("ACCRUE_DB_URL", url));
        try {
            post(second, key, call("a2", c, "2026-06-01T07:10:00Z", 100, null)); // 700: nothing new, and 50 % not again
            AlertCatalog.sleep(2_500); // the new server's start-up sweep, its pass for a2 and the second look
            assertThat(alerts(s, c, "usage_threshold")).containsExactly("plan 50% 2026-06-01");
            post(second, key, call("a3", c, "2026-06-01T07:20:00Z", 100, null)); // 800: the customer's 75 %
            assertThat(awaitAlerts(s, c, "usage_threshold", 2)).containsExactly("plan 50% 2026-06-01", "customer 75% 2026-06-01");
        } finally {
            second.kill();
        }

        UsageAlertEvaluator held = services.alertEvaluator();
        NodeProcess third;
        synchronized (held) { // the suite's node stores usage and marks it, but its evaluator waits for this monitor
            send(s, call("a4", c, "2026-06-01T07:30:00Z", 150, null)); // 950: the plan's 90 %, committed and not evaluated
            AlertCatalog.sleep(1_500);
            assertThat(alerts(s, c, "usage_threshold")).as("nobody evaluated a4 yet").hasSize(2);
            third = NodeProcess.start(dir, Map.of("ACCRUE_DB_URL", url)); // sweeps the last hour's usage as it starts
            assertThat(awaitAlerts(s, c, "usage_threshold", 3)).containsExactly("plan 50% 2026-06-01", "customer 75% 2026-06-01",
                    "plan 90% 2026-06-01");
        }
        try {
            AlertCatalog.sleep(2_500); // the held node evaluates a4 now, and looks at it again a second later: already fired
            assertThat(alerts(s, c, "usage_threshold")).hasSize(3);

            // July: a new window on the restarted server, every threshold fires again
            s.advanceTo("2026-07-02T08:00:00Z");
            post(third, key, call("a5", c, "2026-07-02T07:00:00Z", 800, null));
            assertThat(awaitAlerts(s, c, "usage_threshold", 5)).containsExactlyInAnyOrder("plan 50% 2026-06-01", "customer 75% 2026-06-01",
                    "plan 90% 2026-06-01", "plan 50% 2026-07-01", "customer 75% 2026-07-01");
        } finally {
            third.kill();
        }
        AlertCatalog.sleep(2_000);
        assertThat(alerts(s, c, "usage_threshold")).hasSize(5);
        assertThat(services.events().list(s.tenant.id(), EventTypes.USAGE_THRESHOLD_REACHED, sub, 100)).hasSize(5);
    }

    private static void post(NodeProcess node, String key, Map<String, Object> event) throws Exception {
        HttpResponse<String> r = node.send("POST", "/v1/events", key, JSON.writeValueAsString(event), Duration.ofSeconds(30));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
