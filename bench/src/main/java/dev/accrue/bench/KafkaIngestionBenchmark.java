package dev.accrue.bench;

import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka mode end to end: two Accrue nodes in Kafka mode (ACCRUE_KAFKA_BOOTSTRAP) on one PostgreSQL and one KRaft
 * broker; clients POST /v1/events/batch alternately to both nodes. Prints the acknowledged events/s (durable in the
 * log), the folded events/s (in PostgreSQL, until the last event is folded), the fold lag p50/p99 (acknowledged to
 * folded, per event) and the rows stored (must equal the events sent). Broker, both nodes, PostgreSQL and the load
 * generator share this machine's cores.
 */
public final class KafkaIngestionBenchmark {
    private KafkaIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int customers = 1_000;
        try (KafkaClusterTestKit broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build()).setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1").build()) {
            broker.format();
            broker.startup();
            broker.waitForReadyBrokers();
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers());
            Path dataDir = BenchDirs.directory("accrue-bench-kafka-");
            Accrue first = Accrue.open(AccrueConfig.fromEnvironment(Map.of()).withDataDir(dataDir).withPort(0), Clock.systemUTC(),
                    WebhookSettings.DEFAULT, Optional.empty(), Optional.of(kafka)).serve("127.0.0.1", 0);
            String dbUrl = Files.readAllLines(dataDir.resolve("postgres.url")).getFirst();
            try (BenchNode a = new BenchNode(first, IngestionBenchmark.CATALOG, "pro", customers);
                 Accrue second = Accrue.open(AccrueConfig.fromEnvironment(Map.of("ACCRUE_DB_URL", dbUrl)).withPort(0), Clock.systemUTC(),
                         WebhookSettings.DEFAULT, Optional.empty(), Optional.of(kafka)).serve("127.0.0.1", 0)) {
                BenchNode b = a.at("http://127.0.0.1:" + second.port());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String at = Instant.now().minusSeconds(60).toString();
                // warm-up through both nodes, folded before the measured run starts
                IngestionBenchmark.send(http, a, IngestionBenchmark.body(0, batch, customers, at, "warm"));
                IngestionBenchmark.send(http, b, IngestionBenchmark.body(1, batch, customers, at, "warm"));
                awaitStored(a, "warm-%", 2L * batch);
                Timer delay = Metrics.globalRegistry.find("accrue_usage_intake_fold_delay").timer();
                long warmCount = delay == null ? 0 : delay.count();
                int batches = total / batch;
                AtomicLong accepted = new AtomicLong();
                long started = System.nanoTime();
                try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int i = 0; i < batches; i++) {
                        int index = i;
                        BenchNode node = i % 2 == 0 ? a : b;
                        futures.add(pool.submit(() -> accepted.addAndGet(IngestionBenchmark.send(http, node,
                                IngestionBenchmark.body(index, batch, customers, at, "e")))));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                }
                double acknowledgedSeconds = (System.nanoTime() - started) / 1e9;
                long stored = awaitStored(a, "e-%", (long) batches * batch);
                double foldedSeconds = (System.nanoTime() - started) / 1e9;
                delay = Metrics.globalRegistry.find("accrue_usage_intake_fold_delay").timer();
                System.out.printf("Kafka intake, 2 nodes, 1 broker, 1 PostgreSQL: %d events in %d batches of %d, %d clients, %d cores (shared by all)%n",
                        batches * batch, batches, batch, clients, Runtime.getRuntime().availableProcessors());
                System.out.printf("  acknowledged (durable in Kafka): %.2f s, %.0f events/s; %d acknowledged%n", acknowledgedSeconds,
                        batches * batch / acknowledgedSeconds, accepted.get());
                System.out.printf("  folded into PostgreSQL: %.2f s, %.0f events/s; %d stored%n", foldedSeconds, stored / foldedSeconds, stored);
                if (delay != null) {
                    for (ValueAtPercentile p : delay.takeSnapshot().percentileValues()) {
                        System.out.printf("  fold lag p%.0f: %.0f ms (acknowledged to folded, per event, %d events incl. %d of warm-up)%n",
                                p.percentile() * 100, p.value(TimeUnit.MILLISECONDS), delay.count(), warmCount);
                    }
                }
            }
        }
    }

    private static long awaitStored(BenchNode node, String like, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            long stored = node.accrue.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM usage_events WHERE tenant_id = :t AND event_id LIKE :like")
                    .bind("t", node.tenantId).bind("like", like).mapTo(Long.class).one());
            if (stored >= expected || System.nanoTime() > deadline) {
                return stored;
            }
            Thread.sleep(20);
        }
    }
}
