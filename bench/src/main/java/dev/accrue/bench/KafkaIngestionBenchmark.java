package dev.accrue.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageFolder;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Kafka mode end to end: two Accrue nodes in Kafka mode (ACCRUE_KAFKA_BOOTSTRAP) on one PostgreSQL and one KRaft
 * broker; clients POST /v1/events/batch alternately to both nodes. With a RATE (events/s, the default) batches are
 * offered open loop at that rate, so the fold lag is measured below saturation, as a steady stream of usage would see
 * it; RATE 0 sends them back to back (closed loop) for the most the setup acknowledges, where the lag only says how far
 * the fold fell behind. Prints the acknowledged and folded events/s, the fold delay (append to the log → fold committed,
 * per event, from the nodes' histogram, warm-up excluded) p50/p99 and the share over 1 s, CPU per 1,000 events (the
 * broker's own JVM ({@link BrokerProcess}); this JVM: both nodes and the load generator; PostgreSQL) and the rows stored
 * (must equal the events sent). GC pauses are this JVM's: the broker's collections no longer stop the nodes.
 */
public final class KafkaIngestionBenchmark {
    /** Offered events/s: about half of what this shared 2-core machine acknowledged at saturation under load (1,350–1,950/s). */
    static final int DEFAULT_RATE = 1_000;

    private KafkaIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_RATE;
        int customers = 1_000;
        try (BrokerProcess broker = new BrokerProcess()) {
            KafkaSettings kafka = KafkaSettings.fromEnvironment(Map.of("ACCRUE_KAFKA_BOOTSTRAP", broker.bootstrapServers,
                    "ACCRUE_KAFKA_FOLD_CONSUMERS", System.getenv().getOrDefault("ACCRUE_KAFKA_FOLD_CONSUMERS", ""),
                    "ACCRUE_KAFKA_FOLD_RECORDS", System.getenv().getOrDefault("ACCRUE_KAFKA_FOLD_RECORDS", ""))).orElseThrow();
            Path dataDir = BenchDirs.directory("accrue-bench-kafka-");
            Accrue first = Accrue.open(AccrueConfig.fromEnvironment(Map.of()).withDataDir(dataDir).withPort(0), Clock.systemUTC(),
                    WebhookSettings.DEFAULT, Optional.empty(), Optional.of(kafka)).serve("127.0.0.1", 0);
            String dbUrl = Files.readAllLines(dataDir.resolve("postgres.url")).getFirst();
            try (BenchNode a = new BenchNode(first, IngestionBenchmark.CATALOG, "pro", customers);
                 Accrue second = Accrue.open(AccrueConfig.fromEnvironment(Map.of("ACCRUE_DB_URL", dbUrl)).withPort(0), Clock.systemUTC(),
                         WebhookSettings.DEFAULT, Optional.empty(), Optional.of(kafka)).serve("127.0.0.1", 0)) {
                BenchNode b = a.at("http://127.0.0.1:" + second.port());
                List<KafkaUsageFolder> folders = Stream.concat(first.usageFolders().stream(), second.usageFolders().stream()).toList();
                // every consumer of both nodes holding its share: the group's first rebalances are over before measuring
                awaitBalanced(folders, kafka.partitions());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String at = Instant.now().minusSeconds(60).toString();
                // warm-up through both nodes (JIT, connections, every partition), folded before the measured run starts
                int warmBatches = 10;
                for (int i = 0; i < warmBatches; i++) {
                    IngestionBenchmark.send(http, i % 2 == 0 ? a : b, IngestionBenchmark.body(i, batch, customers, at, "warm"));
                }
                awaitStored(a, "warm-%", (long) warmBatches * batch);
                Thread.sleep(1_000);
                int batches = total / batch;
                long events = (long) batches * batch;
                StatementCounter statements = StatementCounter.attachIfAsked(first.database().jdbi());
                if (statements != null) {
                    second.database().jdbi().setSqlLogger(statements);
                }
                Timer folds = Metrics.globalRegistry.find("accrue_usage_intake_fold").timer();
                long foldsBefore = folds.count();
                double foldMsBefore = folds.totalTime(TimeUnit.MILLISECONDS);
                FoldDelays before = FoldDelays.now();
                GcPauses gc = GcPauses.watch();
                long postgresCpuBefore = a.postgresCpuMillis();
                long jvmCpuBefore = jvmCpuMillis();
                long brokerCpuBefore = broker.cpuMillis();
                AtomicLong accepted = new AtomicLong();
                Timeline timeline = System.getenv("BENCH_TIMELINE") != null ? Timeline.start() : null;
                long started = System.nanoTime();
                LatencyRun acks = LatencyRun.of(batches, clients, rate / (double) batch, index -> accepted.addAndGet(
                        IngestionBenchmark.send(http, index % 2 == 0 ? a : b, IngestionBenchmark.body(index, batch, customers, at, "e"))));
                double acknowledgedSeconds = (System.nanoTime() - started) / 1e9;
                long stored = awaitStored(a, "e-%", events);
                double foldedSeconds = (System.nanoTime() - started) / 1e9;
                double thousands = events / 1000.0;
                double postgresCpu = (a.postgresCpuMillis() - postgresCpuBefore) / thousands;
                double jvmCpu = (jvmCpuMillis() - jvmCpuBefore) / thousands;
                double brokerCpu = (broker.cpuMillis() - brokerCpuBefore) / thousands;
                FoldDelays delays = FoldDelays.now().since(before);
                gc.stop();
                if (timeline != null) {
                    timeline.stopAndPrint();
                }

                System.out.printf("Kafka intake, 2 nodes × %d fold consumers, 1 broker (%d partitions), 1 PostgreSQL: %d events in %d batches of %d, "
                                + "%d clients, %s, %d cores (shared by all)%n", kafka.foldConsumers(), kafka.partitions(), events, batches, batch, clients,
                        rate > 0 ? "offered open loop at " + rate + " events/s" : "closed loop", Runtime.getRuntime().availableProcessors());
                System.out.printf("  acknowledged (durable in Kafka): %.2f s, %.0f events/s; %d acknowledged; batch answered p50 %.0f ms, p99 %.0f ms%n",
                        acknowledgedSeconds, events / acknowledgedSeconds, accepted.get(), acks.percentileMs(0.50), acks.percentileMs(0.99));
                if (rate > 0 && events / acknowledgedSeconds < 0.95 * rate) {
                    System.out.println("  (the offered rate was not sustained: the acknowledging side is saturated)");
                }
                System.out.printf("  folded into PostgreSQL: %.2f s, %.0f events/s; %d stored%n", foldedSeconds, stored / foldedSeconds, stored);
                System.out.printf("  fold lag (append to the log → fold committed, per event, %.0f events, warm-up excluded): p50 %.0f ms, p99 %.0f ms; "
                                + "over 1 s: %.2f%%, over 2 s: %.2f%%%n", delays.count, delays.quantileMs(0.50), delays.quantileMs(0.99),
                        100 * delays.shareOver(1_000), 100 * delays.shareOver(2_000));
                long foldCount = folds.count() - foldsBefore;
                System.out.printf("  folds: %d, %.0f events and %.0f ms each on average%n", foldCount, events / (double) Math.max(1, foldCount),
                        (folds.totalTime(TimeUnit.MILLISECONDS) - foldMsBefore) / Math.max(1, foldCount));
                if (statements != null) {
                    statements.print(events / 1000, "1,000 events");
                }
                // CPU per event depends far less on what else runs on the machine than events/s or the lag does
                System.out.printf("  CPU per 1,000 events: PostgreSQL %.1f ms, the broker's JVM %.1f ms, this JVM (both nodes, load generator) %.1f ms%n",
                        postgresCpu, brokerCpu, jvmCpu);
                System.out.printf("  GC in the window: %d pauses, %d ms in all, longest %d ms; load average at the end %.2f%n", gc.pauses(), gc.totalMs(),
                        gc.longestMs(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    private static void awaitBalanced(List<KafkaUsageFolder> folders, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            int held = folders.stream().mapToInt(KafkaUsageFolder::partitions).sum();
            int target = Math.min(folders.size(), partitions);
            if (held == partitions && folders.stream().filter(f -> f.partitions() > 0).count() == target) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the fold's consumer group did not settle within 2 minutes");
    }

    private static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
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

    /** Where in the run the slow folds were: the fold lag p99 of what was folded in each 5 s (BENCH_TIMELINE=1). */
    private static final class Timeline {
        private final List<FoldDelays> snapshots = new ArrayList<>();
        private final Thread sampler;

        private Timeline() {
            snapshots.add(FoldDelays.now());
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    synchronized (snapshots) {
                        snapshots.add(FoldDelays.now());
                    }
                }
            });
        }

        static Timeline start() {
            return new Timeline();
        }

        void stopAndPrint() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            StringBuilder line = new StringBuilder("  fold lag p99 (ms) / events folded, per 5 s:");
            synchronized (snapshots) {
                snapshots.add(FoldDelays.now());
                for (int i = 1; i < snapshots.size(); i++) {
                    FoldDelays window = snapshots.get(i).since(snapshots.get(i - 1));
                    line.append(String.format(" %.0f/%.0f", window.count == 0 ? 0 : window.quantileMs(0.99), window.count));
                }
            }
            System.out.println(line);
        }
    }

    /** Garbage-collection pauses of this JVM while watched: a stop-the-world pause stops the fold with the rest. */
    private static final class GcPauses {
        private final AtomicLong pauses = new AtomicLong();
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong longest = new AtomicLong();
        private final List<Runnable> detach = new ArrayList<>();

        static GcPauses watch() {
            GcPauses p = new GcPauses();
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter emitter) {
                    javax.management.NotificationListener listener = (n, h) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            long ms = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo().getDuration();
                            p.pauses.incrementAndGet();
                            p.total.addAndGet(ms);
                            p.longest.accumulateAndGet(ms, Math::max);
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    p.detach.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException ignored) {
                            // already gone
                        }
                    });
                }
            }
            return p;
        }

        void stop() {
            detach.forEach(Runnable::run);
        }

        long pauses() {
            return pauses.get();
        }

        long totalMs() {
            return total.get();
        }

        long longestMs() {
            return longest.get();
        }
    }
}
