package dev.accrue.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batch ingestion over HTTP into PostgreSQL: clients POST /v1/events/batch (1,000 events each) concurrently;
 * every acknowledged event is durable (committed) and de-duplicated by the primary key. Prints events/s, the
 * rows stored (must equal the events sent) and the server's peak heap. Server and load generator share this
 * JVM and the 2 cores with PostgreSQL, so the figure is conservative. With {@code BENCH_STATEMENTS=1} also the
 * statements sent per batch, by SQL text.
 */
public final class IngestionBenchmark {
    static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 18000 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 } }
            """;

    /** Events per warm-up round: a few seconds of load. */
    private static final int WARM_ROUND_EVENTS = 50_000;

    private IngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int customers = 1_000;
        try (BenchNode node = new BenchNode(CATALOG, "pro", customers)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String now = Instant.now().minusSeconds(60).toString();
            int batches = total / batch;
            // warm-up, not counted: the same load (other ids) until the JIT settles
            int[] warmRounds = {0};
            System.out.println("  " + CompiledWarmUp.untilSettled(
                    () -> sendAll(http, node, WARM_ROUND_EVENTS / batch, batch, customers, now, "warm" + warmRounds[0]++, clients), CompiledWarmUp.HERE));
            StatementCounter statements = StatementCounter.attachIfAsked(node.accrue.database().jdbi());
            BenchNode.resetPeaks();
            AtomicLong accepted = new AtomicLong();
            long postgresCpuBefore = node.postgresCpuMillis();
            long jvmCpuBefore = jvmCpuMillis();
            long[] walBefore = node.walWritten();
            long started = System.nanoTime();
            accepted.addAndGet(sendAll(http, node, batches, batch, customers, now, "e", clients));
            double seconds = (System.nanoTime() - started) / 1e9;
            double thousands = batches * batch / 1000.0;
            double postgresCpu = (node.postgresCpuMillis() - postgresCpuBefore) / thousands;
            double jvmCpu = (jvmCpuMillis() - jvmCpuBefore) / thousands;
            long[] walAfter = node.walWritten();
            if (statements != null) {
                statements.print(batches, "batch");
            }
            long stored = node.accrue.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM usage_events WHERE tenant_id = :t AND event_id LIKE 'e-%'")
                    .bind("t", node.tenantId).mapTo(Long.class).one());
            long duplicates = send(http, node, body(0, batch, customers, now, "e"));
            System.out.printf("Ingestion over HTTP: %d events in %d batches of %d, %d clients, %d cores%n", batches * batch, batches, batch, clients,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  %.2f s, %.0f events/s, %d stored (%d acknowledged), resend of a batch accepted %d (duplicates ignored)%n",
                    seconds, batches * batch / seconds, stored, accepted.get(), duplicates);
            System.out.printf("  server peak heap %d MiB%n", BenchNode.peakHeapMiB());
            // CPU per event depends far less on what else runs on the machine than events/s does
            System.out.printf("  CPU per 1,000 events: PostgreSQL %.1f ms, this JVM (server and load generator) %.1f ms%n", postgresCpu, jvmCpu);
            System.out.printf("  WAL per event: %.0f bytes, %.3f full-page images%n", (walAfter[0] - walBefore[0]) / (thousands * 1000),
                    (walAfter[1] - walBefore[1]) / (thousands * 1000));
        }
    }

    private static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    /**
     * {@code BENCH_IDS=random}: event ids as clients that send UUIDs make them ({@code PREFIX-<uuid>}) — each a
     * random point of the ids' index — instead of {@code PREFIX-n}, whose inserts land on a few neighbouring leaf pages.
     * Still PREFIX-…, so a run's events are counted by prefix as before.
     */
    static final boolean RANDOM_IDS = "random".equals(System.getenv("BENCH_IDS"));

    /** A bijective 64-bit mix (SplitMix64's finaliser) of the run's seed and n: distinct n give distinct ids. */
    static long scrambled(long seed, long n) {
        long z = n + seed * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static String body(int batchIndex, int size, int customers, String at, String prefix) {
        StringBuilder sb = new StringBuilder(size * 160).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            int n = batchIndex * size + i;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"event_id\":\"").append(prefix).append('-');
            if (RANDOM_IDS) {
                sb.append(new java.util.UUID(scrambled(prefix.hashCode(), n), scrambled(~prefix.hashCode(), n)));
            } else {
                sb.append(n);
            }
            sb.append("\",\"customer_id\":\"cus_b").append(1 + n % customers)
                    .append("\",\"metric\":\"call_seconds\",\"timestamp\":\"").append(at)
                    .append("\",\"properties\":{\"duration_seconds\":").append(1 + n % 600).append(",\"direction\":\"")
                    .append(n % 2 == 0 ? "inbound" : "outbound").append("\"}}");
        }
        return sb.append("]}").toString();
    }

    /** Sends BATCHES batches (ids PREFIX-0 …) from CLIENTS threads at once; returns how many events they accepted. */
    static long sendAll(HttpClient http, BenchNode node, int batches, int batch, int customers, String at, String prefix, int clients) throws Exception {
        long accepted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                int index = b;
                futures.add(pool.submit(() -> send(http, node, body(index, batch, customers, at, prefix))));
            }
            for (Future<Long> f : futures) {
                accepted += f.get();
            }
        }
        return accepted;
    }

    /** Sends one batch; returns how many events it accepted. */
    static long send(HttpClient http, BenchNode node, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl + "/v1/events/batch"))
                    .header("Authorization", "Bearer " + node.apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("batch refused: " + r.statusCode() + " " + r.body());
            }
            String text = r.body();
            int at = text.indexOf("\"accepted\":") + 11;
            return Long.parseLong(text.substring(at, text.indexOf(',', at)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
