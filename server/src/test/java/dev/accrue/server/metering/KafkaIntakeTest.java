package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageFolder;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.KafkaBroker;
import dev.accrue.server.support.NodeProcess;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.wallet.WalletTest;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka as the usage intake log, against a real KRaft broker started in this JVM and the suite's real PostgreSQL:
 * a batch is answered once durable in the topic, and the consumer group folds it into PostgreSQL exactly once,
 * whichever consumer or producer node dies when.
 */
@org.junit.jupiter.api.extension.ExtendWith(KafkaBroker.class)
class KafkaIntakeTest {
    private static final String START = "2026-06-10T12:00:00Z";
    private static final String SMALL = """
            name: voice
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: starter
                product: voice
                name: Starter
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 600 }], overage: { policy: block } }
            """;

    private static Jdbi db() {
        return TestNode.get().accrue().database().jdbi();
    }

    private static String dbUrl() throws IOException {
        return Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();
    }

    private static KafkaSettings settings(String topic) {
        return new KafkaSettings(KafkaBroker.bootstrap(), topic, 4, topic + "-fold");
    }

    /** A second Accrue node on the suite's PostgreSQL, in Kafka mode: it acknowledges from the log and folds its share. */
    private static Accrue kafkaNode(String topic) throws IOException {
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of("ACCRUE_DB_URL", dbUrl(), "ACCRUE_RATE_LIMIT_FAILED_AUTH", "100000")).withPort(0);
        return Accrue.open(config, Clock.systemUTC(), WebhookSettings.DEFAULT, Optional.empty(), Optional.of(settings(topic))).serve("127.0.0.1", 0);
    }

    private static Map<String, Object> call(String id, String customer, Object seconds) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("customer_id", customer);
        e.put("metric", "call_seconds");
        e.put("timestamp", "2026-06-10T11:00:00Z");
        e.put("properties", Map.of("duration_seconds", seconds, "direction", "inbound"));
        return e;
    }

    private static long stored(String customer) {
        return db().withHandle(h -> h.createQuery("SELECT count(*) FROM usage_events WHERE customer_id = :c").bind("c", customer)
                .mapTo(Long.class).one());
    }

    /** The stored events' total and their daily aggregates' total, for every customer of {@code tenant}. */
    private static long[] totals(String tenant) {
        BigDecimal events = db().withHandle(h -> h.createQuery("SELECT coalesce(sum(quantity), 0) FROM usage_events WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(BigDecimal.class).one());
        BigDecimal aggregated = db().withHandle(h -> h.createQuery("SELECT coalesce(sum(quantity), 0) FROM usage_daily WHERE tenant_id = :t")
                .bind("t", tenant).mapTo(BigDecimal.class).one());
        return new long[]{events.longValueExact(), aggregated.longValueExact()};
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void batchesAcknowledgedFromTheLogAreStoredOnceAndSeenByUsageViewsAndAuthorization() throws Exception {
        Sandbox s = new Sandbox("kafka intake", SMALL, START);
        String customer = s.customer("Log Caller", "USD", "UTC");
        String subscription = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        try (Accrue node = kafkaNode("intake-basic")) {
            Api api = s.api.at("http://127.0.0.1:" + node.port());
            Map<String, Object> unknownMetric = call("a9", customer, 5);
            unknownMetric.put("metric", "sms");
            var first = api.post("/v1/events/batch", Map.of("events", List.of(call("a1", customer, 300), call("a2", customer, 200), unknownMetric,
                    call("a1", customer, 300))));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            JsonNode results = first.json().get("results");
            assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
            assertThat(results.get(1).get("status").asText()).isEqualTo("accepted");
            // validated before the log, exactly as in direct mode: refused events never reach it
            assertThat(results.get(2).get("code").asText()).isEqualTo("unknown_metric");
            assertThat(results.get(3).get("code").asText()).isEqualTo("duplicate_in_batch");
            var refused = api.post("/v1/events/batch", Map.of("events", List.of()));
            assertThat(refused.code()).isEqualTo("missing_field");

            // a1 again in another batch: the log takes it, the fold stores it once
            var second = api.post("/v1/events/batch", Map.of("events", List.of(call("a1", customer, 300), call("a3", customer, 90))));
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            await("three events folded", Duration.ofSeconds(30), () -> stored(customer) == 3);
            Thread.sleep(500); // a second copy of a1, were it stored, would have been folded by now
            assertThat(stored(customer)).isEqualTo(3);
            assertThat(totals(s.tenant.id())).containsExactly(590L, 590L);

            // authorization and the usage view read what was folded: 590 of 600 s used, 10 left to grant
            assertThat(api.get("/v1/subscriptions/" + subscription + "/usage").json().at("/charges/0/used").asText()).isEqualTo("590");
            JsonNode granted = api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds")).json();
            assertThat(granted.get("granted").asText()).isEqualTo("10");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("accrue_usage_intake_lag_events{").contains("accrue_usage_intake_lag_seconds{")
                    .contains("accrue_usage_intake_fold_delay_seconds_bucket{le=\"1.0\"}");
        }
    }

    /** The overage of a prepaid customer's calls is drawn from its wallet once folded, as in direct mode. */
    @Test
    void usageFoldedFromTheLogDrawsAPrepaidWallet() throws Exception {
        Sandbox s = new Sandbox("kafka prepaid", WalletTest.VOICE, START);
        String customer = WalletTest.prepaidCustomer(s, "Prepaid Log Caller");
        s.api.post("/v1/customers/" + customer + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "USD"));
        s.subscribe(Map.of("customer_id", customer, "plan", "starter")); // its first (prorated) fee paid from the wallet
        BigDecimal before = new BigDecimal(WalletTest.balance(s, customer));
        String after = before.subtract(new BigDecimal("9.00")).toPlainString();
        try (Accrue node = kafkaNode("intake-prepaid")) {
            Api api = s.api.at("http://127.0.0.1:" + node.port());
            // 600 s included; 900 s more cost 9.00 at 0.60 a minute: drawn once the fold has stored them, on whichever node
            var sent = api.post("/v1/events/batch", Map.of("events", List.of(call("p1", customer, 600), call("p2", customer, 900))));
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            await("the overage drawn from the wallet", Duration.ofSeconds(30),
                    () -> WalletTest.balance(s, customer).equals(after));
        }
    }

    @Test
    void aConsumerKilledMidBatchLosesNothingAndDoublesNothing() throws Exception {
        Sandbox s = new Sandbox("kafka consumer crash", MeteringApiTest.VOICE, START);
        List<String> customers = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            String customer = s.customer("Caller " + c, "USD", "UTC");
            s.subscribe(Map.of("customer_id", customer, "plan", "pro"));
            customers.add(customer);
        }
        String topic = "intake-consumer-crash";
        try (Accrue node = kafkaNode(topic)) {
            Api api = s.api.at("http://127.0.0.1:" + node.port());
            // one more consumer of the group beside the node's three: each of the four then folds one of the four partitions
            KafkaUsageFolder doomed = node.services().kafkaIntake().startFolding("doomed");
            await("the extra consumer holds a partition", Duration.ofSeconds(60),
                    () -> doomed.partitions() == 1 && node.usageFolders().stream().allMatch(f -> f.partitions() == 1));
            send(api, customers, "before", 50);
            await("the first 600 events folded", Duration.ofSeconds(30), () -> count(s.tenant.id()) == 600);

            // both consumers stop inside their fold transaction: events inserted, offsets not yet written
            try (Handle lock = db().open()) {
                lock.begin();
                lock.execute("LOCK TABLE usage_intake_offsets IN EXCLUSIVE MODE");
                send(api, customers, "during", 50);
                await("both consumers mid-batch", Duration.ofSeconds(30), () -> blockedFolds() >= 2);
                // the second consumer dies: its transaction with it (the node's is killed too, and must recover)
                int killed = db().withHandle(h -> h.createQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND query ILIKE '%usage_intake_offsets%' AND pid <> pg_backend_pid()""").mapTo(Integer.class).one());
                assertThat(killed).isGreaterThanOrEqualTo(2);
                doomed.close();
                lock.rollback();
            }
            await("all 1,200 acknowledged events folded", Duration.ofSeconds(60), () -> count(s.tenant.id()) == 1_200);
            Thread.sleep(500);
            assertThat(count(s.tenant.id())).isEqualTo(1_200);
            assertThat(totals(s.tenant.id())).containsExactly(7L * 1_200, 7L * 1_200);
            // one record per event: the stored offsets are exactly the events folded
            long offsets = db().withHandle(h -> h.createQuery("SELECT coalesce(sum(next_offset), 0) FROM usage_intake_offsets WHERE topic = :t")
                    .bind("t", topic).mapTo(Long.class).one());
            assertThat(offsets).isEqualTo(1_200);
        }
    }

    private static long count(String tenant) {
        return db().withHandle(h -> h.createQuery("SELECT count(*) FROM usage_events WHERE tenant_id = :t").bind("t", tenant).mapTo(Long.class).one());
    }

    private static int blockedFolds() {
        return db().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%usage_intake_offsets%'
                AND pid <> pg_backend_pid()""").mapTo(Integer.class).one());
    }

    /** One batch of {@code perCustomer} 7-second calls for each customer, acknowledged. */
    private static void send(Api api, List<String> customers, String prefix, int perCustomer) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String customer : customers) {
            for (int i = 0; i < perCustomer; i++) {
                events.add(call(prefix + "-" + customer + "-" + i, customer, 7));
            }
        }
        var r = api.post("/v1/events/batch", Map.of("events", events));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(events.size());
    }

    @Test
    void aProducerNodeKilledMidRequestLosesNoAcknowledgedEventAndRetriesAreStoredOnce() throws Exception {
        Sandbox s = new Sandbox("kafka producer crash", MeteringApiTest.VOICE, java.time.Instant.now().toString());
        String customer = s.customer("Crash Caller", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "pro"));
        String key = s.api.post("/v1/api_keys", Map.of("name", "kafka crash")).text("secret");
        String topic = "intake-producer-crash";
        KafkaSettings settings = settings(topic);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, String> attempted = new ConcurrentHashMap<>(); // first id of a batch -> its body
        NodeProcess producer = NodeProcess.start(Files.createTempDirectory("kafka-node"), Map.of("ACCRUE_DB_URL", dbUrl(),
                "ACCRUE_KAFKA_BOOTSTRAP", settings.bootstrap(), "ACCRUE_KAFKA_TOPIC", topic, "ACCRUE_KAFKA_GROUP", settings.group(),
                "ACCRUE_KAFKA_PARTITIONS", "4"));
        AtomicBoolean killed = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String at = java.time.Instant.now().minusSeconds(60).toString();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int b = 0; b < 200 && !killed.get(); b++) {
                        List<String> ids = new ArrayList<>();
                        StringBuilder body = new StringBuilder("{\"events\":[");
                        for (int i = 0; i < 200; i++) {
                            String id = "p" + client + "-" + b + "-" + i;
                            ids.add(id);
                            body.append(i == 0 ? "" : ",").append("{\"event_id\":\"").append(id).append("\",\"customer_id\":\"").append(customer)
                                    .append("\",\"metric\":\"call_seconds\",\"timestamp\":\"").append(at)
                                    .append("\",\"properties\":{\"duration_seconds\":7,\"direction\":\"inbound\"}}");
                        }
                        String json = body.append("]}").toString();
                        attempted.put(ids.getFirst(), json);
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(producer.baseUrl() + "/v1/events/batch"))
                                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                acknowledged.addAll(ids); // durable in the log
                            }
                        } catch (Exception e) {
                            return null; // the node died under us: not acknowledged
                        }
                    }
                    return null;
                });
            }
            await("2,000 events acknowledged", Duration.ofSeconds(120), () -> acknowledged.size() >= 2_000);
            producer.kill(); // SIGKILL, requests in flight
            killed.set(true);
        }
        try (Accrue survivor = kafkaNode(topic)) {
            // everything acknowledged is folded by the surviving node (once the dead one's partitions are given up)
            Set<String> acknowledgedNow = Set.copyOf(acknowledged);
            await("every acknowledged event folded", Duration.ofSeconds(90), () -> storedIds(customer).containsAll(acknowledgedNow));
            // the clients send again every batch they had attempted, acknowledged or not, with the same ids
            for (String json : attempted.values()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + survivor.port() + "/v1/events/batch"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            long sent = 200L * attempted.size();
            await("every attempted event folded", Duration.ofSeconds(60), () -> stored(customer) == sent);
            Thread.sleep(500);
            assertThat(stored(customer)).isEqualTo(sent);
            assertThat(totals(s.tenant.id())).containsExactly(7 * sent, 7 * sent);
        } finally {
            if (producer.alive()) {
                producer.kill();
            }
        }
    }

    private static Set<String> storedIds(String customer) {
        return Set.copyOf(db().withHandle(h -> h.createQuery("SELECT event_id FROM usage_events WHERE customer_id = :c").bind("c", customer)
                .mapTo(String.class).list()));
    }
}
