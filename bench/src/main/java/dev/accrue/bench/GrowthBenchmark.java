package dev.accrue.bench;

import dev.accrue.adapters.postgres.PostgresUsagePartitions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Growth (issue 18 point 5): ingestion and the usage view as stored raw events grow. For each SIZE (ascending), stored
 * events are bulk-loaded up to SIZE — spread over the twelve months before this one, one month partition each, ids in
 * usage_event_ids as ingestion writes them — then INGEST events are sent over HTTP (batches of 1,000, 4 clients) and the
 * current-usage view is read 2,000 times by 8 clients. Prints one line per size: stored events and their size on disk,
 * events/s and CPU per 1,000 events, view p50/p99 and CPU per view (the CPU figures are the ones to compare on a busy machine).
 * Flat lines are the point: ingestion touches this month's partition and the ids' index, the view reads aggregates.
 * With {@code BENCH_IDS=random} the stored and the ingested ids are random points of the ids' index (clients sending
 * UUIDs), so each new id lands on a random leaf of an index as large as the stored events make it.
 */
public final class GrowthBenchmark {
    private static final int CUSTOMERS = 1_000;
    private static final int BATCH = 1_000;
    private static final int CLIENTS = 4;
    private static final int LOAD_CHUNK = 1_000_000;

    private GrowthBenchmark() {
    }

    /** CPU ms per unit since {@code before} ({this JVM, PostgreSQL}). */
    private static double[] perUnit(long[] before, BenchNode node, double units) throws IOException {
        return new double[] {(BenchNode.jvmCpuMillis() - before[0]) / units, (node.postgresCpuMillis() - before[1]) / units};
    }

    public static void main(String[] args) throws Exception {
        int ingest = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<Long> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Long.parseLong(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000_000L, 100_000_000L);
        }
        try (BenchNode node = new BenchNode(IngestionBenchmark.CATALOG, "pro", CUSTOMERS)) {
            LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
            var partitions = new PostgresUsagePartitions(node.accrue.services().tx());
            for (int m = 1; m <= 12; m++) {
                LocalDate month = thisMonth.minusMonths(m);
                node.accrue.services().tx().inTransaction(() -> partitions.createMonth(month));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest view = HttpRequest.newBuilder(URI.create(node.baseUrl + "/v1/subscriptions/sub_b1/usage"))
                    .header("Authorization", "Bearer " + node.apiKey).GET().build();
            long loaded = 0;
            int step = 0;
            System.out.printf("Growth: %d events ingested per size (batches of %d, %d clients), usage view 2000 requests × 8 clients, %d cores, %s ids%n",
                    ingest, BATCH, CLIENTS, Runtime.getRuntime().availableProcessors(),
                    IngestionBenchmark.RANDOM_IDS ? "random (BENCH_IDS=random)" : "sequential");
            List<Long> steps = new ArrayList<>(sizes);
            steps.addFirst(0L); // a first round on the empty table warms the JIT (until it settles) and the pools; its line is not one to compare
            for (long size : steps) {
                long loadStart = System.nanoTime();
                long before = loaded;
                while (loaded < size) {
                    long from = loaded + 1;
                    long to = Math.min(size, loaded + LOAD_CHUNK);
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
                    loaded = to;
                }
                long added = loaded - before;
                node.accrue.database().jdbi().useHandle(h -> {
                    h.execute("ANALYZE usage_events");
                    h.execute("ANALYZE usage_event_ids");
                });
                double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                String now = Instant.now().minusSeconds(60).toString();
                String prefix = "s" + step++;
                if (size == 0) { // ingestion and views until the JIT settles, so that no size's CPU includes compiling
                    int[] round = {0};
                    System.out.println("  " + CompiledWarmUp.untilSettled(() -> {
                        IngestionBenchmark.sendAll(http, node, 50, BATCH, CUSTOMERS, now, prefix + "w" + round[0]++, CLIENTS);
                        for (int i = 0; i < 200; i++) {
                            http.send(view, HttpResponse.BodyHandlers.ofString());
                        }
                    }, CompiledWarmUp.HERE));
                }
                IngestionBenchmark.send(http, node, IngestionBenchmark.body(0, BATCH, CUSTOMERS, now, prefix + "w")); // pools at this size
                AtomicLong accepted = new AtomicLong();
                long[] cpuBefore = {BenchNode.jvmCpuMillis(), node.postgresCpuMillis()};
                long[] walBefore = node.walWritten();
                long started = System.nanoTime();
                accepted.addAndGet(IngestionBenchmark.sendAll(http, node, ingest / BATCH, BATCH, CUSTOMERS, now, prefix, CLIENTS));
                double ingestSeconds = (System.nanoTime() - started) / 1e9;
                // CPU per unit (this JVM: server and load generator; PostgreSQL) moves far less with a busy machine than events/s
                double[] ingestCpu = perUnit(cpuBefore, node, accepted.get() / 1000.0);
                long[] walAfter = node.walWritten();
                // random ids touch a random leaf of the ids' index each: once per checkpoint, its first change writes
                // the whole page to the WAL — the column that should grow with the index if anything does
                double walBytes = (walAfter[0] - walBefore[0]) / (double) accepted.get();
                double walPages = (walAfter[1] - walBefore[1]) / (double) accepted.get();
                for (int i = 0; i < 200; i++) {
                    http.send(view, HttpResponse.BodyHandlers.ofString());
                }
                long[] viewCpuBefore = {BenchNode.jvmCpuMillis(), node.postgresCpuMillis()};
                LatencyRun run = LatencyRun.of(2_000, 8, i -> {
                    HttpResponse<String> r = http.send(view, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(r.body());
                    }
                });
                double[] viewCpu = perUnit(viewCpuBefore, node, 2_000);
                String onDisk = node.accrue.database().jdbi().withHandle(h -> h.createQuery("""
                                SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) || ' events, '
                                       || pg_size_pretty(pg_total_relation_size('usage_event_ids')) || ' ids'
                                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_events'::regclass""")
                        .mapTo(String.class).one());
                System.out.printf((size == 0 ? "  (warm-up) " : "  ") + "%,d stored (+%,d loaded in %.0f s; %s; load average %.1f): ingestion %.0f events/s (%d accepted), CPU per 1,000 events "
                                + "JVM %.1f + PostgreSQL %.1f ms, WAL %.0f bytes and %.3f full-page images per event; usage view p50 %.2f ms, p99 %.2f ms, CPU per view JVM %.2f + PostgreSQL %.2f ms%n",
                        size, added, loadSeconds, onDisk, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        accepted.get() / ingestSeconds, accepted.get(), ingestCpu[0], ingestCpu[1], walBytes, walPages, run.percentileMs(0.50), run.percentileMs(0.99),
                        viewCpu[0], viewCpu[1]);
            }
            // tens of GB of dirty pages: written now, so that stopping PostgreSQL does not outlast its 5 s stop timeout
            node.accrue.database().jdbi().useHandle(h -> h.execute("CHECKPOINT"));
        }
    }
}
