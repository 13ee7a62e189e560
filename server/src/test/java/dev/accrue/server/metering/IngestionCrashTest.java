package dev.accrue.server.metering;

import dev.accrue.server.support.NodeProcess;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Accepted means durable": a separate Accrue server process takes batches from several clients and is
 * killed (SIGKILL) in the middle; after a restart, every event it acknowledged is stored exactly once and
 * the aggregates equal the stored events. The server uses the test's PostgreSQL through ACCRUE_DB_URL,
 * the way an application node dies while its database lives on.
 */
class IngestionCrashTest {

    @Test
    void everyAcknowledgedEventSurvivesAKilledServerExactlyOnce() throws Exception {
        Sandbox s = new Sandbox("crash ingest", MeteringApiTest.VOICE, java.time.Instant.now().toString());
        String customer = s.customer("Crash Caller", "USD", "UTC");
        s.subscribe(java.util.Map.of("customer_id", customer, "plan", "pro"));
        String key = s.api.post("/v1/api_keys", java.util.Map.of("name", "crash")).text("secret");
        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        NodeProcess server = NodeProcess.start(Files.createTempDirectory("crash-node"), Map.of("ACCRUE_DB_URL", url));
        int port = server.port();
        AtomicBoolean killed = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int b = 0; b < 200 && !killed.get(); b++) {
                        List<String> ids = new ArrayList<>();
                        StringBuilder body = new StringBuilder("{\"events\":[");
                        for (int i = 0; i < 200; i++) {
                            String id = "k" + client + "-" + b + "-" + i;
                            ids.add(id);
                            body.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(id).append("\",\"customer_id\":\"").append(customer)
                                    .append("\",\"metric\":\"call_seconds\",\"timestamp\":\"").append(java.time.Instant.now().minusSeconds(5))
                                    .append("\",\"properties\":{\"duration_seconds\":7,\"direction\":\"inbound\"}}");
                        }
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/batch"))
                                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                acknowledged.addAll(ids); // the server answered after its commit
                            }
                        } catch (Exception e) {
                            return null; // the server died under us: this batch was not acknowledged
                        }
                    }
                    return null;
                });
            }
            while (acknowledged.size() < 4_000) {
                Thread.sleep(20);
            }
            server.kill(); // SIGKILL, mid-stream
            killed.set(true);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(4_000);

        try (NodeProcess restarted = NodeProcess.start(Files.createTempDirectory("crash-node"), Map.of("ACCRUE_DB_URL", url))) {
            var db = TestNode.get().accrue().database().jdbi();
            Set<String> stored = Set.copyOf(db.withHandle(h -> h.createQuery("SELECT event_id FROM usage_events WHERE customer_id = :c")
                    .bind("c", customer).mapTo(String.class).list()));
            assertThat(stored).containsAll(acknowledged);
            long storedSeconds = db.withHandle(h -> h.createQuery("SELECT coalesce(sum(quantity), 0) FROM usage_events WHERE customer_id = :c")
                    .bind("c", customer).mapTo(java.math.BigDecimal.class).one()).longValue();
            long aggregated = db.withHandle(h -> h.createQuery("""
                            SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d JOIN subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id
                            WHERE s.customer_id = :c""").bind("c", customer).mapTo(java.math.BigDecimal.class).one()).longValue();
            assertThat(storedSeconds).isEqualTo(7L * stored.size());
            assertThat(aggregated).isEqualTo(storedSeconds);
        }
    }
}
