package dev.accrue.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Call authorization over HTTP: C concurrent clients ask "may this call start?" (POST /v1/authorizations)
 * for spread-out customers, N requests in all; prints the achieved rate, latency percentiles of the full
 * HTTP round trip, refusals and the server's peak heap. The server runs in a JVM of its own ({@link ServerProcess}:
 * 4 GiB, parallel collector, as {@code ./accrue} runs it), so the figure is the server's, not the load generator's;
 * clients, server and PostgreSQL still share the machine's cores.
 * <p>
 * Arguments: {@code REQUESTS CLIENTS RATE} (default 40000 64 2000). With {@code RATE > 0} the run is open
 * loop: requests are due at RATE per second on a fixed schedule and latency counts from each one's due
 * time (see {@link LatencyRun}); {@code RATE = 0} runs closed loop (back-to-back) for maximum throughput.
 * <p>
 * {@code BENCH_AUTHORIZE_BATCH=N} (N > 1) sends the checks N at a time (POST /v1/authorizations/batch), each
 * batch for N different customers as a gateway batching its calls would: REQUESTS and RATE then count checks
 * (REQUESTS / N batches at RATE / N batches per second), latency is a batch's, and the run also prints
 * checks/s and the server's CPU per check.
 * <p>
 * {@code BENCH_CALL_SECONDS=S} ends every granted call S seconds later, its hold committed ({@link CallEnds}); without it
 * no hold is ever settled and their number per subscription is whatever the warm-up left.
 */
public final class AuthorizationBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: pro
                product: voice
                name: Pro
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 100000000 }], overage: { policy: block } }
            """;

    private AuthorizationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 2_000;
        int customers = 2_000;
        int batch = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("BENCH_AUTHORIZE_BATCH", "1")));
        if (batch > 1) {
            batched(total, clients, rate, customers, batch);
            return;
        }
        try (ServerProcess node = new ServerProcess(CATALOG, "pro", customers, "4g");
             CallEnds calls = CallEnds.fromEnvironment(node, REQUESTED)) {
            CALLS = calls;
            seedHolds(node);
            for (int i = 0; i < 2_000; i++) { // warm-up: every customer once, then the JIT at full concurrency
                authorize(node, 1 + i % customers);
            }
            LatencyRun.closedLoop(10_000, clients, i -> authorize(node, 1 + (int) ((i * 7919L) % customers)));
            if (rate > 0) { // and 10 s at the measured rate: the first seconds of a fresh JVM at this load stall for up to ~1 s
                LatencyRun.openLoop((int) (rate * 10), clients, rate, i -> authorize(node, 1 + (int) ((i * 7919L) % customers)));
            }
            String warmed = untilCompiled(node, clients, rate, i -> authorize(node, 1 + (int) ((i * 7919L) % customers)));
            node.resetPeaks();
            node.threads(0, "check");
            long jitBefore = node.compilationMillis();
            long[] dbBefore = node.databaseWork();
            double[] groupsBefore = groups(node);
            long[] cpuBefore = node.cpuMillis();
            long[] allocBefore = node.allocation();
            long generatorBefore = generatorCpuMillis();
            RunQueue[] queuedBefore = node.runQueue();
            RunQueue generatorQueued = RunQueue.ofSelf();
            ContextSwitches.Server switchesBefore = node.contextSwitches();
            ContextSwitches generatorSwitches = ContextSwitches.ofSelf();
            node.probe();
            double holdsBefore = node.liveHoldsPerSubscription();
            long commitsBefore = calls == null ? 0 : calls.committed();
            long runStart = System.nanoTime();
            ServerLatency server = ServerLatency.from(node.baseUrl, "POST", "/v1/authorizations");
            AtomicInteger refused = new AtomicInteger();
            LatencyRun run = LatencyRun.of(total, clients, rate, i -> {
                if (!authorize(node, 1 + (int) ((i * 7919L) % customers))) {
                    refused.incrementAndGet();
                }
            });
            System.out.printf("Call authorization over HTTP: %d requests, %d concurrent clients, %d customers, %d cores%n",
                    total, clients, customers, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %s; after a discarded warm-up (2,000 sequential, 10,000 closed loop%s, %s)%n", run.mode(),
                    rate > 0 ? ", 10 s at the same rate" : "", warmed);
            System.out.printf("  %.2f s, %s, refused %d%n", run.seconds, run.summary(), refused.get());
            System.out.printf("  live holds per subscription: %.0f at the run's start, %.0f at its end%n", holdsBefore, node.liveHoldsPerSubscription());
            printCallEnds(calls, commitsBefore, total, runStart);
            long generatorCpu = generatorCpuMillis() - generatorBefore;
            node.probeStop();
            if (rate > 0) {
                System.out.printf("  %s%n", LatencyRun.LAST_SPLIT);
            }
            System.out.printf("  load generator CPU per check %.3f ms (%.0f %% of a core)%n", generatorCpu / (double) total,
                    100.0 * generatorCpu / (run.seconds * 1000));
            long[] cpuAfter = node.cpuMillis();
            RunQueue.print(queuedBefore, node.runQueue(), generatorQueued, total, "check");
            ContextSwitches.print(switchesBefore, node.contextSwitches(), generatorSwitches, total, "check");
            System.out.printf("  %s%n", server.summary());
            System.out.printf("  server CPU per %s: JVM %.3f ms, PostgreSQL %.3f ms (JIT threads %d ms during the run)%n", "check",
                    (cpuAfter[0] - cpuBefore[0]) / (double) total, (cpuAfter[1] - cpuBefore[1]) / (double) total, node.compilationMillis() - jitBefore);
            printAllocation(allocBefore, node.allocation(), total);
            Thread.sleep(1_500); // backends report their transactions to pg_stat_database within about a second
            printDatabaseWork(dbBefore, node.databaseWork(), groupsBefore, groups(node), total);
            node.threads(total, "check");
            node.printStatements(total, "check");
            System.out.printf("  server peak heap %d MiB (server in its own JVM, pid %d)%n", node.peakHeapMiB(), node.pid());
        }
    }


    /**
     * {@code BENCH_HOLDS=N}: N live holds per subscription before the warm-up — calls under way, as 2,000 call starts a
     * second over the benchmark's 2,000 customers leave 180 of them with calls of three minutes. Without it the number
     * is what the warm-up left (every check holds 60 s for 2 h, and the warm-up runs until the JIT settles).
     */
    private static void seedHolds(ServerProcess node) throws IOException {
        int holds = Integer.parseInt(System.getenv().getOrDefault("BENCH_HOLDS", "0"));
        if (holds > 0) {
            System.out.printf("  seeded %d live holds per subscription in %.1f s%n", holds, node.seedHolds(holds));
        }
    }

    /** This load generator's CPU so far, in ms (all its threads, its JIT and collector included). */
    static long generatorCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    /** More warm-up, in windows of 3 s at {@code rate} (closed loop when 0), until the server's JIT settles. */
    static String untilCompiled(ServerProcess node, int clients, double rate, LatencyRun.Request request) {
        return "then " + CompiledWarmUp.untilSettled(() -> {
            node.scrape(); // as the measured run's own scrapes (server latency, group counts) will: compiled before it
            if (rate > 0) {
                LatencyRun.openLoop((int) (rate * 3), clients, rate, request);
            } else {
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 3_000_000_000L) {
                    LatencyRun.closedLoop(clients * 20, clients, request);
                }
            }
        }, node::compilationMillis);
    }

    /**
     * The server's accrue_authorization_group_checks and accrue_authorization_group_commits: {group statements, checks in
     * them, group transactions of call ends, ends in them}.
     */
    static double[] groups(ServerProcess node) throws IOException {
        String[] names = {"accrue_authorization_group_checks_count", "accrue_authorization_group_checks_sum",
                "accrue_authorization_group_commits_count", "accrue_authorization_group_commits_sum"};
        try (KeepAliveHttp http = new KeepAliveHttp(node.baseUrl)) {
            double[] groups = new double[names.length];
            for (String line : http.get("/metrics", null).body().split("\n")) {
                for (int i = 0; i < names.length; i++) {
                    if (line.startsWith(names[i])) {
                        groups[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
            return groups;
        }
    }

    /**
     * Transactions, WAL and (single checks: {@code groupsBefore} not null) the shared group statements per check over the
     * run (see {@link ServerProcess#databaseWork}), and the shared transactions of call ends when calls ended.
     */
    static void printDatabaseWork(long[] before, long[] after, double[] groupsBefore, double[] groupsAfter, long checks) {
        String groups = "";
        if (groupsBefore != null) {
            double statements = groupsAfter[0] - groupsBefore[0];
            groups = String.format("; %.0f group statements, %.1f checks each, %.0f %% of checks", statements,
                    statements == 0 ? 0 : (groupsAfter[1] - groupsBefore[1]) / statements, 100 * (groupsAfter[1] - groupsBefore[1]) / checks);
            double ends = groupsAfter[2] - groupsBefore[2];
            if (ends > 0) {
                groups += String.format("; %.0f call-end transactions, %.1f ends each", ends, (groupsAfter[3] - groupsBefore[3]) / ends);
            }
        }
        System.out.printf("  database per check: %.2f transactions committed, %.3f rolled back, %.2f WAL records, %.0f WAL bytes, %.3f WAL writes, "
                        + "%.3f WAL syncs%s%n",
                (after[0] - before[0]) / (double) checks, (after[1] - before[1]) / (double) checks, (after[2] - before[2]) / (double) checks,
                (after[3] - before[3]) / (double) checks, (after[4] - before[4]) / (double) checks, (after[5] - before[5]) / (double) checks,
                groups);
    }

    /** As {@link #main}, with every request a batch of {@code batch} checks for as many different customers. */
    private static void batched(int checks, int clients, double rate, int customers, int batch) throws Exception {
        int total = checks / batch;
        try (ServerProcess node = new ServerProcess(CATALOG, "pro", customers, "4g");
             CallEnds calls = CallEnds.fromEnvironment(node, REQUESTED)) {
            CALLS = calls;
            seedHolds(node);
            for (int i = 0; i < 2_000; i++) { // warm-up as for single checks: every customer once, then the JIT at full concurrency
                authorize(node, 1 + i % customers);
            }
            LatencyRun.closedLoop(10_000 / batch, clients, i -> authorizeBatch(node, i, batch, customers));
            if (rate > 0) {
                LatencyRun.openLoop((int) (rate * 10 / batch), clients, rate / batch, i -> authorizeBatch(node, i, batch, customers));
            }
            // as for single checks: until the JIT settles, or the batch path compiles during a run of a few seconds
            String warmed = untilCompiled(node, clients, rate / batch, i -> authorizeBatch(node, i, batch, customers));
            node.resetPeaks();
            double[] pathsBefore = batchPaths(node);
            double holdsBefore = node.liveHoldsPerSubscription();
            long commitsBefore = calls == null ? 0 : calls.committed();
            long runStart = System.nanoTime();
            long jitBefore = node.compilationMillis();
            long[] dbBefore = node.databaseWork();
            long[] allocBefore = node.allocation();
            long generatorBefore = generatorCpuMillis();
            long[] cpuBefore = node.cpuMillis();
            ServerLatency server = ServerLatency.from(node.baseUrl, "POST", "/v1/authorizations/batch");
            AtomicInteger refused = new AtomicInteger();
            LatencyRun run = LatencyRun.of(total, clients, rate / batch, i -> refused.addAndGet(batch - authorizeBatch(node, i, batch, customers)));
            long n = (long) total * batch;
            System.out.printf("Call authorization over HTTP in batches of %d: %d checks (%d batches), %d concurrent clients, %d customers, %d cores%n",
                    batch, n, total, clients, customers, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %s (batches); after a discarded warm-up (2,000 single checks, 10,000 checks closed loop%s, %s)%n", run.mode(),
                    rate > 0 ? ", 10 s at the same rate" : "", warmed);
            System.out.printf("  %.2f s, %.0f checks/s; batches: %s, refused checks %d%n", run.seconds, n / run.seconds, run.summary(), refused.get());
            System.out.printf("  live holds per subscription: %.0f at the run's start, %.0f at its end%n", holdsBefore, node.liveHoldsPerSubscription());
            printCallEnds(calls, commitsBefore, n, runStart);
            long[] cpuAfter = node.cpuMillis();
            long generatorCpu = generatorCpuMillis() - generatorBefore;
            System.out.printf("  load generator CPU per check %.3f ms (%.0f %% of a core)%n", generatorCpu / (double) n,
                    100.0 * generatorCpu / (run.seconds * 1000));
            System.out.printf("  %s%n", server.summary());
            System.out.printf("  server CPU per check: JVM %.3f ms, PostgreSQL %.3f ms (JIT threads %d ms during the run)%n",
                    (cpuAfter[0] - cpuBefore[0]) / (double) n, (cpuAfter[1] - cpuBefore[1]) / (double) n, node.compilationMillis() - jitBefore);
            printAllocation(allocBefore, node.allocation(), n);
            Thread.sleep(1_500); // backends report their transactions to pg_stat_database within about a second
            printDatabaseWork(dbBefore, node.databaseWork(), null, null, n);
            double[] pathsAfter = batchPaths(node);
            System.out.printf("  checks answered in the batch's group statement %.0f, one at a time %.0f%n", pathsAfter[0] - pathsBefore[0],
                    pathsAfter[1] - pathsBefore[1]);
            node.printStatements(n, "check");
            System.out.printf("  server peak heap %d MiB (server in its own JVM, pid %d)%n", node.peakHeapMiB(), node.pid());
        }
    }

    /** The server's accrue_authorization_batch_checks_total: {group, single}. */
    private static double[] batchPaths(ServerProcess node) throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(node.baseUrl)) {
            double[] paths = new double[2];
            for (String line : http.get("/metrics", null).body().split("\n")) {
                if (line.startsWith("accrue_authorization_batch_checks_total{")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    paths[line.contains("path=\"group\"") ? 0 : 1] += v;
                }
            }
            return paths;
        }
    }

    /** Batch {@code index}: checks {@code index × batch …} spread over the customers as single checks are; answers how many were granted. */
    private static int authorizeBatch(ServerProcess node, int index, int batch, int customers) {
        StringBuilder body = new StringBuilder("{\"checks\":[");
        for (int k = 0; k < batch; k++) {
            int i = index * batch + k;
            body.append(k == 0 ? "" : ",").append("{\"customer_id\":\"cus_b").append(1 + (int) ((i * 7919L) % customers))
                    .append("\",\"metric\":\"call_seconds\",\"requested\":" + REQUESTED + "}");
        }
        try {
            KeepAliveHttp http = connection(node);
            KeepAliveHttp.Response r = http.post("/v1/authorizations/batch", node.apiKey, body.append("]}").toString());
            if (r.status() != 200) {
                throw new IllegalStateException("authorization batch failed: " + r.status() + " " + r.body());
            }
            int granted = 0;
            for (int at = r.body().indexOf("\"authorized\":true"); at >= 0; at = r.body().indexOf("\"authorized\":true", at + 1)) {
                granted++;
            }
            CallEnds calls = CALLS;
            if (calls != null) {
                calls.startedIn(r.body());
            }
            return granted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeepAliveHttp connection(ServerProcess node) {
        KeepAliveHttp http = CONNECTION.get();
        if (http == null) {
            http = new KeepAliveHttp(node.baseUrl);
            CONNECTION.set(http);
        }
        return http;
    }

    /** With BENCH_CALL_SECONDS, the commits sent during the measured run: the server's CPU per check includes them. */
    private static void printCallEnds(CallEnds calls, long commitsBefore, long checks, long runStartNanos) {
        if (calls != null) {
            System.out.printf("  calls ended during the run: %.2f commits per check (in the server's CPU per check below), %s; since the start %s%n",
                    (calls.committed() - commitsBefore) / (double) checks, calls.latencySince(runStartNanos), calls.summary());
        }
    }

    /** Seconds each check asks for (and each ended call commits). */
    private static final String REQUESTED = "60";
    /** BENCH_CALL_SECONDS's call ends for this run, or null. */
    private static volatile CallEnds CALLS;

    /** One kept-alive connection per client thread (see {@link KeepAliveHttp} for why not the JDK client). */
    private static final ThreadLocal<KeepAliveHttp> CONNECTION = new ThreadLocal<>();

    private static boolean authorize(ServerProcess node, int customer) {
        try {
            KeepAliveHttp http = connection(node);
            String body = "{\"customer_id\":\"cus_b" + customer + "\",\"metric\":\"call_seconds\",\"requested\":" + REQUESTED + "}";
            KeepAliveHttp.Response r = http.post("/v1/authorizations", node.apiKey, body);
            if (r.status() != 200) {
                throw new IllegalStateException("authorization failed: " + r.status() + " " + r.body());
            }
            CallEnds calls = CALLS;
            if (calls != null) {
                calls.startedIn(r.body());
            }
            return r.body().contains("\"authorized\":true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's allocation per check during the run and its collections (count, total ms as its collector reports them). */
    private static void printAllocation(long[] before, long[] after, long total) {
        System.out.printf("  server allocation per check %.1f KB; %d collections, %d ms in them during the run%n",
                (after[0] - before[0]) / 1024.0 / total, after[1] - before[1], after[2] - before[2]);
    }
}
