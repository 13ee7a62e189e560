package dev.accrue.bench;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Current-usage query for a customer with E events in the period: the events are stored and aggregated by
 * the same SQL the ingestion runs (bulk, so only the query is timed), then C clients GET
 * /v1/subscriptions/{id}/usage N times back to back (closed loop). The server runs in a JVM of its own
 * ({@link ServerProcess}, 2 GiB, parallel collector) and the clients use one kept-alive connection each, so the
 * figure is the server's, not the load generator's. Prints latency percentiles as the clients saw them and as the
 * server's own histogram has them, and the server's peak heap.
 */
public final class UsageQueryBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction, ai_employee] }
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

    private UsageQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        try (ServerProcess node = new ServerProcess(CATALOG, "pro", 1, "2g")) {
            double seeded = node.seedUsage(events);
            System.out.printf("Seeded %d events (%d days × 20 dimension combinations) and vacuumed them in %.1f s%n", events, DAYS, seeded);
            String sample = view(node);
            for (int i = 0; i < 500; i++) {
                view(node);
            }
            LatencyRun.closedLoop(2_000, clients, i -> view(node)); // the JIT at full concurrency, discarded
            String warmed = CompiledWarmUp.untilSettled(() -> {
                node.scrape(); // as the measured run's own scrapes (server latency) will: compiled before it
                LatencyRun.closedLoop(2_000, clients, i -> view(node));
            }, node::compilationMillis);
            node.resetPeaks();
            long jitBefore = node.compilationMillis();
            long[] cpuBefore = node.cpuMillis();
            long generatorBefore = AuthorizationBenchmark.generatorCpuMillis();
            RunQueue[] queuedBefore = node.runQueue();
            RunQueue generatorQueued = RunQueue.ofSelf();
            ServerLatency server = ServerLatency.from(node.baseUrl, "GET", PATH);
            LatencyRun run = LatencyRun.of(requests, clients, i -> view(node));
            System.out.printf("Current-usage query over HTTP: %d requests, %d clients, %d events in the period, %d cores%n", requests, clients, events,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("  %s; after a discarded warm-up (500 sequential, 2,000 closed loop, then %s)%n", run.mode(), warmed);
            System.out.printf("  %s%n", run.summary());
            long[] cpuAfter = node.cpuMillis();
            long generatorCpu = AuthorizationBenchmark.generatorCpuMillis() - generatorBefore;
            RunQueue.print(queuedBefore, node.runQueue(), generatorQueued, requests, "view");
            System.out.printf("  %s%n", server.summary());
            // the clients share the 2 cores with the server: what they take is not the server's, but the server waits for it
            System.out.printf("  server CPU per %s: JVM %.3f ms, PostgreSQL %.3f ms (JIT threads %d ms during the run); load generator %.3f ms%n", "view",
                    (cpuAfter[0] - cpuBefore[0]) / (double) requests, (cpuAfter[1] - cpuBefore[1]) / (double) requests,
                    node.compilationMillis() - jitBefore, generatorCpu / (double) requests);
            node.printStatements(requests, "view");
            int at = sample.indexOf("used");
            System.out.printf("  server peak heap %d MiB (server in its own JVM, pid %d); response: ...%s...%n", node.peakHeapMiB(), node.pid(),
                    sample.substring(at, Math.min(sample.length(), at + 20)));
        }
    }

    private static final String PATH = "/v1/subscriptions/{id}/usage";
    /** Days of the current period so far, each with events: the period is moved so that this holds on any calendar day. */
    static final int DAYS = 23;

    /** One kept-alive connection per client thread (see {@link KeepAliveHttp} for why not the JDK client). */
    private static final ThreadLocal<KeepAliveHttp> CONNECTION = new ThreadLocal<>();

    private static String view(ServerProcess node) throws IOException {
        KeepAliveHttp http = CONNECTION.get();
        if (http == null) {
            http = new KeepAliveHttp(node.baseUrl);
            CONNECTION.set(http);
        }
        KeepAliveHttp.Response r = http.get("/v1/subscriptions/sub_b1/usage", node.apiKey);
        if (r.status() != 200) {
            throw new IllegalStateException("usage view failed: " + r.status() + " " + r.body());
        }
        return r.body();
    }

    /**
     * In the server's process (see {@link ServerProcess}): EVENTS events of {@code cus_b1} spread over the days of the
     * month so far and 20 dimension combinations (20 AI employees; each employee's calls all go one direction, as
     * i % 20 decides i % 2), stored and aggregated by bulk SQL (only the query is timed). Answers the
     * seconds it took.
     */
    static double seed(BenchNode node, int events) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAYS - 1);
        int days = DAYS;
        long seedStart = System.nanoTime();
        node.accrue.database().jdbi().useTransaction(h -> {
            // the same period so far whatever the calendar day: a monthly anniversary period started DAYS - 1 days ago
            h.createUpdate("""
                    UPDATE subscriptions SET alignment = 'anniversary', start_date = :first, anchor = :first,
                      next_bill_date = (:first + interval '1 month')::date, billed_through = (:first + interval '1 month')::date
                    WHERE tenant_id = :t AND id = 'sub_b1'""").bind("t", node.tenantId).bind("first", first).execute();
            h.createUpdate("""
                    INSERT INTO usage_events (tenant_id, event_id, customer_id, subscription_id, metric, occurred_at, day, quantity,
                                              dimension_key, counted, properties, received_at)
                    SELECT :t, 'q-' || i, 'cus_b1', 'sub_b1', 'call_seconds', (:first + (i % :days)) + interval '12 hours', :first + (i % :days),
                           1 + i % 600, 'ai_employee=e' || (i % 20) || '|direction=' || CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END,
                           true, '{}', now()
                    FROM generate_series(1, :n) i""").bind("t", node.tenantId).bind("first", first).bind("days", days).bind("n", events).execute();
            h.createUpdate("""
                    INSERT INTO usage_daily (tenant_id, subscription_id, metric, day, dimension_key, quantity, events, max_quantity, latest_at, latest_quantity)
                    SELECT tenant_id, subscription_id, metric, day, dimension_key, sum(quantity), count(*), max(quantity), max(occurred_at), max(quantity)
                    FROM usage_events WHERE tenant_id = :t GROUP BY tenant_id, subscription_id, metric, day, dimension_key""")
                    .bind("t", node.tenantId).execute();
        });
        // what autovacuum does within a minute of such a load (1 M fresh rows pass its insert threshold): done here, its
        // vacuum no longer lands in the warm-up or the measured window at random, where its CPU counted as the views' and
        // its competition for the 2 cores as their latency (quiet runs of one build varied 1.2–1.9 ms of CPU per view)
        node.accrue.database().jdbi().useHandle(h -> h.execute("VACUUM (ANALYZE) usage_events, usage_daily"));
        return (System.nanoTime() - seedStart) / 1e9;
    }
}
