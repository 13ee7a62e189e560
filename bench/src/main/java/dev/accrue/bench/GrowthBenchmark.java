package dev.accrue.bench;

import dev.accrue.adapters.postgres.PostgresUsagePartitions;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Growth (issue 18 point 5): ingestion and the usage view with few and with many stored raw events, <b>paired</b>.
 * Two nodes, each with its own embedded PostgreSQL, are bulk-loaded to SMALL and LARGE stored events — spread over the
 * twelve months before this one, one month partition each, ids in usage_event_ids as ingestion writes them. Then
 * ROUNDS rounds each measure both, in alternating order (small–large, large–small, …): INGEST events over HTTP
 * (batches of 1,000, 4 clients) and the current-usage view read 2,000 times by 8 clients. The two sides of a round run
 * a few seconds apart, so whatever else the machine does weighs on both alike: each round's large/small ratio of CPU
 * per 1,000 events, events/s and view p99 is the figure, and the median of the rounds' ratios is the answer (1.00 is
 * flat). Sizes measured one after the other, as this benchmark did before, compared the load of one hour with another's.
 * CPU per unit: PostgreSQL's is each node's own cluster; the JVM's is this whole process (both nodes and the load
 * generator — the idle node's background work counts on both sides alike).
 * With {@code BENCH_IDS=random} the stored and the ingested ids are random points of the ids' index (clients sending
 * UUIDs), so each new id lands on a random leaf of an index as large as the stored events make it; loading stops,
 * with a message, when the disk would keep less than {@link #KEEP_FREE_BYTES} free.
 */
public final class GrowthBenchmark {
    private static final int CUSTOMERS = 1_000;
    private static final int BATCH = 1_000;
    private static final int CLIENTS = 4;
    private static final int VIEWS = 2_000;
    private static final int LOAD_CHUNK = 1_000_000;
    private static final long KEEP_FREE_BYTES = 8L << 30;

    private GrowthBenchmark() {
    }

    /** One node and its stored events. */
    private static final class Side implements AutoCloseable {
        final String name;
        final BenchNode node;
        final HttpRequest view;
        long stored;
        final List<Round> rounds = new ArrayList<>();

        Side(String name) throws Exception {
            this.name = name;
            node = new BenchNode(IngestionBenchmark.CATALOG, "pro", CUSTOMERS);
            LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            var partitions = new PostgresUsagePartitions(node.accrue.services().tx());
            for (int m = 1; m <= 12; m++) {
                LocalDate month = thisMonth.minusMonths(m);
                node.accrue.services().tx().inTransaction(() -> partitions.createMonth(month));
            }
            view = HttpRequest.newBuilder(URI.create(node.baseUrl + "/v1/subscriptions/sub_b1/usage"))
                    .header("Authorization", "Bearer " + node.apiKey).GET().build();
        }

        /** Bulk-loads stored events up to {@code size}, 1,000,000 per transaction; false if the disk ran short first. */
        boolean load(long size) throws Exception {
            LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            String dataDirectory = node.accrue.database().jdbi().withHandle(h -> h.createQuery("SHOW data_directory").mapTo(String.class).one());
            Path dataDir = Path.of(dataDirectory);
            long started = System.nanoTime();
            while (stored < size) {
                long free = Files.getFileStore(dataDir).getUsableSpace();
                if (free < KEEP_FREE_BYTES) {
                    System.out.printf("  %s: stopped loading at %,d stored events: %,d MB free on the disk%n", name, stored, free >> 20);
                    return false;
                }
                long from = stored + 1;
                long to = Math.min(size, stored + LOAD_CHUNK);
                node.accrue.database().jdbi().useTransaction(h -> h.createUpdate("""
                                WITH e AS (
                                    INSERT INTO usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity,
                                                              dimension_key, counted, properties, received_at)
                                    SELECT :t, 'g-' || <id>, 'cus_b' || (1 + i % :n), 'sub_b' || (1 + i % :n), 'call_seconds', d + interval '12 hours', d,
                                           1 + i % 600, 'direction=inbound', true, '{"duration_seconds": 60, "direction": "inbound"}', now()
                                    FROM generate_series(CAST(:from AS bigint), CAST(:to AS bigint)) i,
                                         LATERAL (SELECT CAST(:first AS date) - 1 - CAST(i % 360 AS integer) AS d) x
                                    RETURNING tenant_id, event_id, customer_id, day)
                                INSERT INTO usage_event_ids (tenant_id, event_id, customer_id, day) SELECT * FROM e"""
                                .replace("<id>", IngestionBenchmark.RANDOM_IDS ? "CAST(gen_random_uuid() AS text)" : "i"))
                        .bind("t", node.tenantId).bind("n", CUSTOMERS).bind("from", from).bind("to", to).bind("first", thisMonth).execute());
                stored = to;
            }
            node.accrue.database().jdbi().useHandle(h -> {
                // stored months are long vacuumed in a real database; left to autovacuum, the loaded rows' first vacuum
                // (insert-triggered, tens of millions of rows) would run during the measured rounds and count as ingestion's
                h.execute("VACUUM (ANALYZE) usage_events");
                h.execute("VACUUM (ANALYZE) usage_event_ids");
                // the loaded pages written now, not by the checkpointer during a measured round of the other side
                h.execute("CHECKPOINT");
            });
            System.out.printf("  %s: %,d stored events (%s), loaded in %.0f s%n", name, stored, onDisk(), (System.nanoTime() - started) / 1e9);
            return true;
        }

        String onDisk() {
            return node.accrue.database().jdbi().withHandle(h -> h.createQuery("""
                            SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) || ' events, '
                                   || pg_size_pretty(pg_total_relation_size('usage_event_ids')) || ' ids'
                            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass""")
                    .mapTo(String.class).one());
        }

        /** Ingestion then the view, once. */
        Round measure(HttpClient http, int ingest, String prefix) throws Exception {
            String now = Instant.now().minusSeconds(60).toString();
            IngestionBenchmark.send(http, node, IngestionBenchmark.body(0, BATCH, CUSTOMERS, now, prefix + "w")); // this node's pools, after the other's round
            long jvm = BenchNode.jvmCpuMillis();
            long pg = node.postgresCpuMillis();
            long[] walBefore = node.walWritten();
            long started = System.nanoTime();
            long accepted = IngestionBenchmark.sendAll(http, node, ingest / BATCH, BATCH, CUSTOMERS, now, prefix, CLIENTS);
            double seconds = (System.nanoTime() - started) / 1e9;
            double thousands = accepted / 1000.0;
            double ingestJvm = (BenchNode.jvmCpuMillis() - jvm) / thousands;
            double ingestPg = (node.postgresCpuMillis() - pg) / thousands;
            double walBytes = (node.walWritten()[0] - walBefore[0]) / (double) accepted;
            for (int i = 0; i < 200; i++) {
                http.send(view, HttpResponse.BodyHandlers.ofString());
            }
            jvm = BenchNode.jvmCpuMillis();
            pg = node.postgresCpuMillis();
            LatencyRun run = LatencyRun.of(VIEWS, 8, i -> {
                HttpResponse<String> r = http.send(view, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.body());
                }
            });
            Round round = new Round(accepted / seconds, ingestJvm, ingestPg, walBytes, run.percentileMs(0.50), run.percentileMs(0.99),
                    (BenchNode.jvmCpuMillis() - jvm) / (double) VIEWS, (node.postgresCpuMillis() - pg) / (double) VIEWS,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            rounds.add(round);
            System.out.printf("    %-5s %,13d stored: %,7.0f events/s, CPU/1,000 events JVM %5.1f + PG %5.1f = %5.1f ms, WAL %4.0f B/event;"
                            + " view p50 %5.2f p99 %6.2f ms, CPU/view JVM %.2f + PG %.2f ms (load %.1f)%n",
                    name, stored, round.eventsPerSecond, round.ingestJvm, round.ingestPg, round.ingestCpu(), round.walBytes,
                    round.viewP50, round.viewP99, round.viewJvm, round.viewPg, round.load);
            return round;
        }

        @Override
        public void close() throws Exception {
            // tens of GB of dirty pages: written now, so that stopping PostgreSQL does not outlast its 5 s stop timeout
            node.accrue.database().jdbi().useHandle(h -> h.execute("CHECKPOINT"));
            node.close();
        }
    }

    record Round(double eventsPerSecond, double ingestJvm, double ingestPg, double walBytes, double viewP50, double viewP99,
                 double viewJvm, double viewPg, double load) {
        double ingestCpu() {
            return ingestJvm + ingestPg;
        }

        double viewCpu() {
            return viewJvm + viewPg;
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private interface Figure {
        double of(Round r);
    }

    /** The rounds' large/small ratios of one figure, and their median. */
    private static void ratio(String what, Side small, Side large, Figure figure) {
        int n = small.rounds.size();
        double[] ratios = new double[n];
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ratios[i] = figure.of(large.rounds.get(i)) / figure.of(small.rounds.get(i));
            each.append(i == 0 ? "" : " · ").append(String.format("%.2f", ratios[i]));
        }
        double[] s = small.rounds.stream().mapToDouble(figure::of).toArray();
        double[] l = large.rounds.stream().mapToDouble(figure::of).toArray();
        System.out.printf("  %-32s small median %8.2f, large median %8.2f; large/small by round %s: median %.2f%n",
                what, median(s), median(l), each, median(ratios));
    }

    public static void main(String[] args) throws Exception {
        int ingest = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long smallSize = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        long largeSize = args.length > 2 ? Long.parseLong(args[2]) : 100_000_000L;
        int roundCount = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        System.out.printf("Growth, paired: %,d and %,d stored events on two nodes; %d rounds of %,d events ingested (batches of %d, %d clients)"
                        + " and %d usage views (8 clients) on each, alternating; %d cores, %s ids%n",
                smallSize, largeSize, roundCount, ingest, BATCH, CLIENTS, VIEWS, Runtime.getRuntime().availableProcessors(),
                IngestionBenchmark.RANDOM_IDS ? "random (BENCH_IDS=random)" : "sequential");
        try (Side small = new Side("small"); Side large = new Side("large")) {
            small.load(smallSize);
            if (!large.load(largeSize)) {
                System.out.println("  the large side holds fewer events than asked: its figures are for what it holds");
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int[] warm = {0};
            // ingestion and views on both until the JIT settles, so that no round's CPU includes compiling
            System.out.println("  " + CompiledWarmUp.untilSettled(() -> {
                for (Side side : List.of(small, large)) {
                    String now = Instant.now().minusSeconds(60).toString();
                    IngestionBenchmark.sendAll(http, side.node, 50, BATCH, CUSTOMERS, now, "w" + warm[0]++, CLIENTS);
                    for (int i = 0; i < 200; i++) {
                        http.send(side.view, HttpResponse.BodyHandlers.ofString());
                    }
                }
            }, CompiledWarmUp.HERE));
            for (int r = 0; r < roundCount; r++) {
                System.out.printf("  round %d%n", r + 1);
                List<Side> order = r % 2 == 0 ? List.of(small, large) : List.of(large, small);
                for (Side side : order) {
                    side.measure(http, ingest, "r" + r);
                }
            }
            System.out.printf("  stored: small %,d (%s), large %,d (%s)%n", small.stored, small.onDisk(), large.stored, large.onDisk());
            ratio("CPU per 1,000 events (ms)", small, large, Round::ingestCpu);
            ratio("  of which PostgreSQL (ms)", small, large, Round::ingestPg);
            ratio("events/s", small, large, Round::eventsPerSecond);
            ratio("WAL bytes per event", small, large, Round::walBytes);
            ratio("usage view p99 (ms)", small, large, Round::viewP99);
            ratio("usage view p50 (ms)", small, large, Round::viewP50);
            ratio("CPU per view (ms)", small, large, Round::viewCpu);
        }
    }
}
