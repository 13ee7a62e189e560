package dev.accrue.bench;

import dev.accrue.app.alert.AlertMeters;
import dev.accrue.app.alert.UsageAlertEvaluator;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Usage alerts under full-speed ingestion, on one node. Phases of the same size alternate, each on its own customers
 * (so no phase's crossings leak into another's measurement):
 * <ul>
 * <li><b>without alerts</b>: the node's alert evaluator is held (this thread owns its monitor, so its thread waits);
 * ingestion still marks what moved, which is all alerting costs the ingesting request;</li>
 * <li><b>with alerts</b>: the evaluator runs as in production, every customer crossing its plan's 50/75/90/100 %
 * thresholds during the phase.</li>
 * </ul>
 * Before the rounds, 60 batches on a customer of its own, then unmeasured rounds with evaluation on customers of their
 * own until the JIT compiler threads' CPU stays under 1 % of a round ({@link CompiledWarmUp}), warm the JIT (ingestion's
 * code, the evaluator's per-key code, the delivery of what fired).
 * Rounds alternate which comes first (without/with, with/without, …) so neither kind always runs on a warmer JIT,
 * a fuller table or a quieter minute of a shared machine; the figures are the medians of each kind. Between phases
 * the benchmark waits until the evaluator has caught up (the held phase's marks are evaluated then, outside any
 * measurement).
 * Latency of an alert = the domain event's {@code recorded_at} (PostgreSQL's clock_timestamp) minus the moment the
 * client got the acknowledgement of the batch whose events took the customer's usage across the threshold (batches are
 * replayed in acknowledgement order to find it). Server, clients and PostgreSQL share this machine.
 *
 * <p>With a RATE (6th argument, events/s) the clients send <b>open loop</b>: batch b leaves at b × BATCH / RATE seconds
 * from the phase's start (or as soon as one of the CLIENTS connections is free, when the node falls behind: it says so),
 * so both kinds of phase offer the same load, and the overhead is
 * read as CPU per 1,000 events (this JVM — server and load generator — and PostgreSQL, over the phase's sending) rather
 * than as events/s, which a busy machine distorts far more. RATE 0 (the default) sends back to back (closed loop).
 * Each phase also prints its CPU per 1,000 events and the evaluator's passes during it.
 */
public final class AlertLatencyBenchmark {
    private static final long ALLOWANCE = 100_000;
    private static final int WARM_BATCHES = 60;
    /**
     * Warm-up rounds at most (each a quarter phase with evaluation, on customers of their own crossing their thresholds), run
     * until the JIT compiler threads' CPU stays under 1 % of a round twice in a row ({@link CompiledWarmUp}, as the other
     * benchmarks warm up) or 3 minutes. Until 2026-12-01 the warm-up was at most six whole phases, stopped at 5 ms of
     * compiling per 1,000 events: it never got there on the loaded machine (6.8-9.3 ms in the last one).
     */
    private static final int MAX_WARM_ROUNDS = 200; // more than 3 minutes of rounds even for small phases (a no-op round would look settled)
    /**
     * The node delivers the events (webhook fan-out, in-app notifications, paced emails and digest items) every second,
     * as {@code ./accrue serve} does: what a fired alert sets off is part of its cost. Before 2026-12-01 evening the
     * benchmark did not, and its figures left that out; {@code BENCH_DELIVERY=0} leaves it out again, to compare.
     */
    private static final boolean DELIVERY = !"0".equals(System.getenv("BENCH_DELIVERY"));
    private static final int[] PERCENTS = {50, 75, 90, 100};
    /**
     * A measured phase's CPU window runs this long past its last acknowledgement, the evaluator still held in a held phase:
     * the last pace and pass (200 ms + a pass) and the delivery round after it (every second) belong to the phase's alerts.
     * Until 2026-12-02 the window ended with the sending, so a with-phase's last second of firing and delivering fell
     * outside its figure (of a 10 s phase, about a tenth of what alerting costs); both kinds of phase get the same tail,
     * so the node's idle work in it cancels out.
     */
    private static final long TAIL_MILLIS = 3_000;
    private static final String CATALOG = """
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
                usage_alerts: [{ metric: call_seconds, percents: [50, 75, 90, 100] }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: %d }],
                      pricing: { model: per_unit, unit_price: { USD: "0.12" }, per_units: 60 } }
            """.formatted(ALLOWANCE);

    private AlertLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int customers = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int rate = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int warmCustomer = 2 * rounds * customers; // a customer of its own (0-based offset): no phase's crossing fires during the warm-up
        int warmPhase = warmCustomer + 1; // then rounds' worth of customers of their own, for the evaluator's warm-up
        // a warm-up round: a quarter of a phase's events, on customers that each get enough of them to cross all their
        // thresholds (400 events of 300 s on average: 120 % of the allowance), so the firing and delivery paths warm too
        int warmRoundEvents = Math.max(batch, total / 4 / batch * batch);
        int warmRoundCustomers = Math.max(1, Math.min(customers / 4, warmRoundEvents / 400));
        boolean pgWrites = PgWrites.asked(); // before the node's PostgreSQL starts
        try (BenchNode node = new BenchNode(CATALOG, "pro", warmPhase + MAX_WARM_ROUNDS * warmRoundCustomers)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String now = Instant.now().minusSeconds(60).toString();
            UsageAlertEvaluator evaluator = node.accrue.services().alertEvaluator();
            // BENCH_STATEMENTS=1: the statements each measured phase sent, per 1,000 events, by SQL text (with minus without
            // is what evaluating and firing sends)
            StatementCounter statements = StatementCounter.attachIfAsked(node.accrue.database().jdbi());
            // and, counted by PostgreSQL, each statement's execution time and WAL, the rows written per table and the WAL in all
            PgWrites writes = pgWrites ? PgWrites.attach(node.accrue.database().jdbi()) : null;
            if (DELIVERY) {
                // what the fired alerts' events set off, as a served node (./accrue serve) runs it every second: webhook
                // fan-out, in-app notifications, paced emails and digest items, all inside the measured CPU
                node.accrue.deliverEvents(Duration.ofSeconds(1));
            }
            // JIT, connections and the evaluator's code paths, on a customer of its own: without it the first rounds measure
            // the compiler (the first phase's JVM CPU per event was twice the third's)
            for (int w = 0; w < WARM_BATCHES; w++) {
                IngestionBenchmark.send(http, node, body("warm", w, batch, 1, warmCustomer, now));
            }
            waitQuiet(node);
            // and the evaluator's per-key code (a pass reads, compares and fires for dozens of keys) and the delivery of what
            // fired: unmeasured rounds with evaluation, every customer crossing its thresholds, until the JIT has settled. At
            // f3e1752 one warm-up phase left the compilers spending 25 ms per 1,000 events in the first measured with-phases and
            // 3-4 ms in the last ones, and as the rounds alternate, the medians compared an early (compiling) with-phase to a
            // late without-phase — most of the "overhead" was the compiler, which a running node pays once
            int[] warmRound = {0};
            String warmed = CompiledWarmUp.untilSettled(() -> {
                if (warmRound[0] < MAX_WARM_ROUNDS) {
                    int w = warmRound[0]++;
                    run(http, node, "wr" + w, warmRoundEvents, batch, clients, warmRoundCustomers, warmPhase + w * warmRoundCustomers, now, rate, 0);
                    waitQuiet(node, 1_000_000_000L); // the evaluator's and the delivery's work of the round inside it
                }
            }, CompiledWarmUp.HERE);
            waitQuiet(node);
            System.out.printf("  %s, of %d events on %d customers each, with evaluation%s%n", warmed, warmRoundEvents, warmRoundCustomers,
                    warmRound[0] >= MAX_WARM_ROUNDS ? " (ALL " + MAX_WARM_ROUNDS + " warm-up rounds' customers used: the last rounds were empty)" : "");
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            List<double[]> cpuWithout = new ArrayList<>();
            List<double[]> cpuWith = new ArrayList<>();
            List<double[]> pairs = new ArrayList<>(); // per round: with - without, total, JVM, PostgreSQL (ms per 1,000 events)
            List<Long> latencies = new ArrayList<>();
            int expected = 0;
            int recorded = 0;
            int phase = 0;
            for (int round = 0; round < rounds; round++) {
                for (boolean evaluating : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    int offset = phase * customers;
                    String prefix = "p" + phase;
                    phase++;
                    Phase p;
                    if (statements != null) {
                        statements.reset();
                    }
                    if (writes != null) {
                        writes.reset();
                    }
                    if (evaluating) {
                        p = run(http, node, prefix, total, batch, clients, customers, offset, now, rate, TAIL_MILLIS);
                        long atTailEnd = recordedCount(node);
                        waitQuiet(node);
                        long late = recordedCount(node) - atTailEnd;
                        if (late > 0) {
                            System.out.printf("    (%d events and notifications recorded after the measured tail of %d ms: their cost is not in the figure)%n",
                                    late, TAIL_MILLIS);
                        }
                        Fired mine = fired(node, p, customers, offset);
                        latencies.addAll(mine.latencies());
                        expected += mine.expected();
                        recorded += mine.recorded();
                        long[] sorted = mine.latencies().stream().mapToLong(Long::longValue).sorted().toArray();
                        System.out.printf("    %d of %d crossings fired (%d events recorded)%s%n", sorted.length, mine.expected(), mine.recorded(),
                                sorted.length == 0 ? "" : String.format(", p50 %d ms, p99 %d ms", pct(sorted, 50), pct(sorted, 99)));
                        with.add(total / p.seconds);
                        cpuWith.add(p.cpuPerThousand());
                    } else {
                        synchronized (evaluator) { // the alert thread waits for this monitor: nothing is evaluated during the phase
                            p = run(http, node, prefix, total, batch, clients, customers, offset, now, rate, TAIL_MILLIS);
                        }
                        waitQuiet(node);
                        without.add(total / p.seconds);
                        cpuWithout.add(p.cpuPerThousand());
                    }
                    System.out.printf("  round %d %-8s %8.0f events/s (%.2f s), CPU per 1,000 events: JVM %.1f ms + PostgreSQL %.1f ms = %.1f ms"
                                    + " (JVM's JIT compiling %.1f ms, GC %.1f ms); %d passes, %.0f keys per pass%n", round + 1, evaluating ? "with" : "without",
                            total / p.seconds, p.seconds, p.cpuPerThousand()[0], p.cpuPerThousand()[1], p.cpuPerThousand()[0] + p.cpuPerThousand()[1],
                            p.cpuPerThousand()[2], p.cpuPerThousand()[3], p.passes(), p.passes() == 0 ? 0.0 : p.keys() / p.passes());
                    if (statements != null && round == 0) {
                        // the phase and its catching up (waitQuiet): a held phase's marks are evaluated after it, outside its CPU figure
                        statements.print(total / 1000, "1,000 events (" + (evaluating ? "with" : "without") + " evaluation, the phase and its catching up)");
                    }
                    if (writes != null && round == 0) {
                        writes.print(System.out, total / 1000, "1,000 events (" + (evaluating ? "with" : "without") + " evaluation, the phase and its catching up)");
                    }
                }
                double[] on = cpuWith.getLast();
                double[] off = cpuWithout.getLast();
                double diff = on[0] + on[1] - off[0] - off[1];
                pairs.add(new double[] {diff, on[0] - off[0], on[1] - off[1]});
                System.out.printf("  round %d with - without: %+.1f ms per 1,000 events (JVM %+.1f, PostgreSQL %+.1f) = %+.1f %%%n", round + 1, diff,
                        on[0] - off[0], on[1] - off[1], 100.0 * diff / (off[0] + off[1]));
            }
            double withoutMedian = median(without);
            double withMedian = median(with);
            System.out.printf("Usage alerts under ingestion: %d rounds of two phases of %d events in batches of %d, %s, %d customers per phase,"
                    + " %d cores, load average %.1f at the end%s%n", rounds, total, batch,
                    rate > 0 ? "open loop at " + rate + " events/s offered" : clients + " clients back to back", customers,
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    DELIVERY ? ", events delivered (notifications, webhooks) every second" : ", events NOT delivered (BENCH_DELIVERY=0)");
            System.out.printf("  ingestion without alert evaluation: median %.0f events/s %s%n", withoutMedian, rates(without));
            System.out.printf("  ingestion with alert evaluation:    median %.0f events/s %s%n", withMedian, rates(with));
            System.out.printf("  overhead of alert evaluation on ingestion: %.1f %% (1 - median with / median without)%n",
                    100.0 * (1 - withMedian / withoutMedian));
            double[] cpuOff = medians(cpuWithout);
            double[] cpuOn = medians(cpuWith);
            // what the machine's load distorts least: the CPU the same events cost with and without evaluation
            System.out.printf("  CPU per 1,000 events without evaluation: median JVM %.1f ms + PostgreSQL %.1f ms = %.1f ms%n", cpuOff[0], cpuOff[1],
                    cpuOff[0] + cpuOff[1]);
            System.out.printf("  CPU per 1,000 events with evaluation:    median JVM %.1f ms + PostgreSQL %.1f ms = %.1f ms%n", cpuOn[0], cpuOn[1],
                    cpuOn[0] + cpuOn[1]);
            System.out.printf("  of the JVM's, per 1,000 events: JIT compiling %.1f → %.1f ms, GC %.1f → %.1f ms (elapsed; medians without → with)%n",
                    cpuOff[2], cpuOn[2], cpuOff[3], cpuOn[3]);
            System.out.printf("  CPU overhead of alert evaluation: %.1f %% (median with / median without - 1, JVM and PostgreSQL together)%n",
                    100.0 * ((cpuOn[0] + cpuOn[1]) / (cpuOff[0] + cpuOff[1]) - 1));
            // the two phases of a round run back to back, so their difference carries less of the machine's drift than
            // two medians taken over different minutes: a round whose phases a burst of other work split shows as one outlier
            double pairMedian = median(pairs.stream().map(d -> d[0]).toList());
            System.out.printf("  CPU overhead, pairwise: median of the rounds' with - without %+.1f ms per 1,000 events (JVM %+.1f, PostgreSQL %+.1f)"
                            + " = %+.1f %% of the median without %s%n", pairMedian, median(pairs.stream().map(d -> d[1]).toList()),
                    median(pairs.stream().map(d -> d[2]).toList()), 100.0 * pairMedian / (cpuOff[0] + cpuOff[1]),
                    pairs.stream().map(d -> String.format("%+.1f", d[0])).toList());
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            // expected: the crossings the batches sent made (replayed), not customers × thresholds: with small phases a
            // customer's 60 events reach none of its thresholds, and "0 of 2,000 fired" was the benchmark's arithmetic
            System.out.printf("  alerts: %d of %d crossings fired (%d events recorded%s); latency from the crossing batch's acknowledgement to the recorded event:%n",
                    sorted.length, expected, recorded, sorted.length == expected && recorded == expected ? ", each crossing once" : ": MISMATCH");
            if (sorted.length > 0) {
                System.out.printf("    p50 %d ms, p99 %d ms, max %d ms, min %d ms%n", pct(sorted, 50), pct(sorted, 99), sorted[sorted.length - 1], sorted[0]);
            }
            Timer passes = Metrics.globalRegistry.find(AlertMeters.PASS_SECONDS).timer();
            DistributionSummary keys = Metrics.globalRegistry.find(AlertMeters.PASS_KEYS).summary();
            if (passes != null && keys != null) {
                System.out.printf("  evaluator: %d passes, %.0f keys per pass on average (max %.0f), pass mean %.0f ms, max %.0f ms%n", passes.count(),
                        keys.mean(), keys.max(), passes.mean(TimeUnit.MILLISECONDS), passes.max(TimeUnit.MILLISECONDS));
            }
            System.out.printf("  server peak heap %d MiB%n", BenchNode.peakHeapMiB());
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The medians of each column: JVM and PostgreSQL CPU per 1,000 events, the JVM's JIT and GC time per 1,000 events. */
    private static double[] medians(List<double[]> values) {
        return new double[] {median(values.stream().map(v -> v[0]).toList()), median(values.stream().map(v -> v[1]).toList()),
                median(values.stream().map(v -> v[2]).toList()), median(values.stream().map(v -> v[3]).toList())};
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
    }

    /**
     * One phase: when each batch was acknowledged, and what it carried per customer; the CPU it cost per 1,000 events
     * ({JVM, PostgreSQL} in ms) and the evaluator's passes and keys evaluated while it ran.
     */
    private record Phase(double seconds, long[] ackedAtMillis, int batches, int batch, int customers, int firstCustomer, double[] cpuPerThousand,
                         long passes, double keys) {
    }

    private static Phase run(HttpClient http, BenchNode node, String prefix, int total, int batch, int clients, int customers, int offset,
                             String now, int rate, long tailMillis) throws Exception {
        int batches = total / batch;
        long[] acked = new long[batches];
        AtomicLong accepted = new AtomicLong();
        long passesBefore = passes();
        double keysBefore = keys();
        long postgresCpuBefore = node.postgresCpuMillis();
        long jvmCpuBefore = jvmCpuMillis();
        long jitBefore = jitMillis();
        long gcBefore = gcMillis();
        long started = System.nanoTime();
        // open loop: each batch leaves at its scheduled time, on the first of the CLIENTS connections free by then (a node
        // that cannot keep up sees CLIENTS batches in flight, as closed loop, rather than an ever-growing pile of requests)
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                int index = b;
                long leaves = started + (rate > 0 ? (long) (index * (double) batch / rate * 1e9) : 0);
                futures.add(pool.submit(() -> {
                    long wait = leaves - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    accepted.addAndGet(IngestionBenchmark.send(http, node, body(prefix, index, batch, customers, offset, now)));
                    acked[index] = System.currentTimeMillis();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(tailMillis); // the phase's last pass and delivery round inside its CPU window (a held phase: still held)
        double thousands = batches * batch / 1000.0;
        double[] cpu = {(jvmCpuMillis() - jvmCpuBefore) / thousands, (node.postgresCpuMillis() - postgresCpuBefore) / thousands,
                (jitMillis() - jitBefore) / thousands, (gcMillis() - gcBefore) / thousands};
        if (accepted.get() != (long) batches * batch) {
            throw new IllegalStateException("accepted " + accepted.get() + " of " + batches * batch);
        }
        if (rate > 0 && batches * batch / seconds < 0.95 * rate) {
            System.out.printf("    (the node fell behind the offered %d events/s: %.0f events/s acknowledged)%n", rate, batches * batch / seconds);
        }
        return new Phase(seconds, acked, batches, batch, customers, offset + 1, cpu, passes() - passesBefore, keys() - keysBefore);
    }

    private static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    /**
     * The CPU the JIT compiler threads used (/proc, as {@link CompiledWarmUp} measures it — not CompilationMXBean's elapsed
     * total, which a busy machine inflates and which counts a compilation only when it ends): part of the JVM's CPU, and a
     * phase that first runs a code path often pays its compilation.
     */
    private static long jitMillis() {
        return ThreadCpu.compilerMillis();
    }

    /** The collectors' accumulated elapsed time (parallel collectors use both cores meanwhile). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    private static long passes() {
        Timer passes = Metrics.globalRegistry.find(AlertMeters.PASS_SECONDS).timer();
        return passes == null ? 0 : passes.count();
    }

    private static double keys() {
        DistributionSummary keys = Metrics.globalRegistry.find(AlertMeters.PASS_KEYS).summary();
        return keys == null ? 0 : keys.totalAmount();
    }

    /** Event n of a phase goes to customer offset + 1 + n % customers and lasts 1 + n % 600 seconds (300 on average). */
    private static String body(String prefix, int batchIndex, int size, int customers, int offset, String at) {
        StringBuilder sb = new StringBuilder(size * 160).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            int n = batchIndex * size + i;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"event_id\":\"").append(prefix).append('-').append(n).append("\",\"customer_id\":\"cus_b").append(offset + 1 + n % customers)
                    .append("\",\"metric\":\"call_seconds\",\"timestamp\":\"").append(at)
                    .append("\",\"properties\":{\"duration_seconds\":").append(quantity(n)).append(",\"direction\":\"")
                    .append(n % 2 == 0 ? "inbound" : "outbound").append("\"}}");
        }
        return sb.append("]}").toString();
    }

    private static long quantity(int n) {
        return 1 + n % 600;
    }

    /**
     * A with-phase's alerts: the crossings its batches made (expected), the events recorded for its customers (each
     * crossing once: more is a duplicate) and the latency of each crossing that fired.
     */
    private record Fired(int expected, int recorded, List<Long> latencies) {
    }

    /** Replays the batches in acknowledgement order to find when each (customer, threshold) was crossed; joins the recorded events. */
    private static Fired fired(BenchNode node, Phase p, int customers, int offset) {
        Integer[] order = new Integer[p.batches()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(p.ackedAtMillis()[a], p.ackedAtMillis()[b]));
        long[] used = new long[customers];
        int[] next = new int[customers];
        Map<String, Long> crossedAt = new HashMap<>();
        for (int b : order) {
            for (int i = 0; i < p.batch(); i++) {
                int n = b * p.batch() + i;
                int c = n % customers;
                used[c] += quantity(n);
                while (next[c] < PERCENTS.length && used[c] * 100 >= ALLOWANCE * PERCENTS[next[c]]) {
                    crossedAt.put("cus_b" + (offset + 1 + c) + " " + PERCENTS[next[c]] + "%", p.ackedAtMillis()[b]);
                    next[c]++;
                }
            }
        }
        Map<String, Long> recorded = new ConcurrentHashMap<>();
        AtomicLong events = new AtomicLong();
        node.accrue.database().jdbi().useHandle(h -> h.createQuery("""
                        SELECT e.customer_id, e.data->>'threshold' AS threshold, (extract(epoch FROM e.recorded_at) * 1000)::bigint AS at
                        FROM domain_events e WHERE e.tenant_id = :t AND e.type = 'usage.threshold_reached'
                          AND e.customer_id = ANY(CAST(:customers AS text[]))""")
                .bind("t", node.tenantId)
                .bindArray("customers", String.class, java.util.stream.IntStream.range(0, customers).mapToObj(c -> "cus_b" + (offset + 1 + c)).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("customer_id") + " " + rs.getString("threshold"), rs.getLong("at")))
                .forEach(e -> {
                    recorded.put(e.getKey(), e.getValue());
                    events.incrementAndGet();
                }));
        List<Long> out = new ArrayList<>();
        crossedAt.forEach((key, at) -> {
            Long firedAt = recorded.get(key);
            if (firedAt != null) {
                out.add(firedAt - at);
            }
        });
        return new Fired(crossedAt.size(), (int) events.get(), out);
    }

    /** Domain events and notifications recorded so far: what the evaluator and the delivery have done. */
    private static long recordedCount(BenchNode node) {
        return node.accrue.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT (SELECT count(*) FROM domain_events WHERE tenant_id = :t) + (SELECT count(*) FROM notifications WHERE tenant_id = :t)")
                .bind("t", node.tenantId).mapTo(Long.class).one());
    }

    /** Waits until no alert has been recorded (nor, when delivering, notified) for five seconds: the evaluator caught up. */
    private static void waitQuiet(BenchNode node) throws InterruptedException {
        waitQuiet(node, 5_000_000_000L);
    }

    private static void waitQuiet(BenchNode node, long quietNanos) throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < quietNanos) {
            long count = recordedCount(node);
            if (count != last) {
                last = count;
                stableSince = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
