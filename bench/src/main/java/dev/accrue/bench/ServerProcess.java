package dev.accrue.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchNode} in a JVM of its own, so that a load generator's threads, allocations and collections are
 * not counted as the server's (issue 18 point 3). The child runs with the heap and collector {@code ./accrue}
 * gives a server and the same class path (plus {@code BENCH_SERVER_OPTS}, e.g. a JFR recording); it prints
 * {@code READY <url> <api key>} once its data is in place and answers {@code usage N} (seed usage events),
 * {@code reset} (peak heap counters) and {@code peak} (peak heap in MiB) on its standard input; closing that input
 * stops it.
 */
final class ServerProcess implements AutoCloseable {
    final String baseUrl;
    final String apiKey;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    ServerProcess(String catalogYaml, String plan, int customers, String heap) throws IOException {
        Path catalog = BenchDirs.file("accrue-bench-catalog-", ".yaml");
        Files.writeString(catalog, catalogYaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        // the collector ./accrue runs the server with, unless BENCH_SERVER_GC names another (e.g. -XX:+UseZGC) to compare
        String gc = System.getenv().getOrDefault("BENCH_SERVER_GC", "-XX:+UseParallelGC");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xms" + heap, gc));
        if (STATEMENTS) { // counted by PostgreSQL itself (PgStatements), which needs pg_stat_statements loaded at its start
            command.add("-Daccrue.embedded.statementStatistics=true");
        }
        String extra = System.getenv("BENCH_SERVER_OPTS"); // e.g. a JFR recording of the server alone: -XX:StartFlightRecording=...
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(), catalog.toString(), plan,
                Integer.toString(customers)));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the server's own log lines
        }
        if (line == null) {
            throw new IllegalStateException("the benchmark server exited before it was ready");
        }
        String[] ready = line.split(" ");
        baseUrl = ready[1];
        apiKey = ready[2];
    }

    /** The server JVM's process id (for {@code jcmd <pid> JFR.start} while a run is under way). */
    long pid() {
        return process.pid();
    }

    /**
     * Stores EVENTS usage events in the current period of {@code cus_b1}'s subscription, folded into the daily aggregates
     * by bulk SQL inside the server process (see {@link UsageQueryBenchmark#seed}); answers the seconds it took.
     */
    double seedUsage(int events) throws IOException {
        return Double.parseDouble(ask("usage " + events));
    }

    /**
     * CPU time used so far, in ms: the server's JVM and, separately, its child processes (the embedded PostgreSQL:
     * postmaster and backends — the pool keeps its backends, so their time is not lost to exits). Per request, the
     * difference between two reads is less at the mercy of a busy machine than latency is.
     */
    long[] cpuMillis() throws IOException {
        String[] both = ask("cpu").split(" ");
        return new long[] {Long.parseLong(both[0]), Long.parseLong(both[1])};
    }

    /**
     * Scrapes the server's {@code /metrics} as a Prometheus would, and as the benchmarks do just before and after a
     * measured run: called in every warm-up round, so that the scrape's code is compiled (and the JIT criterion sees
     * it settle) before the measured window rather than in its first second — the JIT threads used ~2 s of CPU in
     * authorization runs that started right after the warm-up had settled, and the run's first ~300 ms were its slowest.
     */
    void scrape() throws IOException {
        try (KeepAliveHttp http = new KeepAliveHttp(baseUrl)) {
            http.get("/metrics", null);
        }
    }

    /** Run-queue waits so far of the server JVM's threads and of its PostgreSQL's processes ({@link RunQueue}). */
    RunQueue[] runQueue() throws IOException {
        String[] all = ask("sched").split(" ");
        return new RunQueue[] {RunQueue.decode(all, 0), RunQueue.decode(all, 3)};
    }

    /** Context switches so far: {PostgreSQL's processes, the server JVM's threads by kind} ({@link ContextSwitches}). */
    ContextSwitches.Server contextSwitches() throws IOException {
        String[] all = ask("ctx").split(" ");
        return new ContextSwitches.Server(new ContextSwitches(Long.parseLong(all[0]), Long.parseLong(all[1])), ContextSwitches.decode(all, 2));
    }

    /**
     * The CPU time of the server JVM's JIT compiler threads so far, in ms (/proc): still growing means still compiling.
     * (Not CompilationMXBean's total: that is elapsed time, counted when a compilation ends — inflated on a loaded machine
     * and blind to a long C2 compilation under way.)
     */
    long compilationMillis() throws IOException {
        return Long.parseLong(ask("jit"));
    }

    /**
     * The database's work so far, cumulative: {transactions committed, rolled back, WAL records, WAL bytes, WAL writes,
     * WAL syncs} ({@code pg_stat_database}, {@code pg_stat_wal}; backends report theirs within about a second).
     */
    long[] databaseWork() throws IOException {
        String[] all = ask("db").split(" ");
        long[] work = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            work[i] = Long.parseLong(all[i]);
        }
        return work;
    }

    /**
     * Inserts {@code perSubscription} live holds (60 s each, expiring in 2 h) on every benchmark subscription, as calls
     * under way leave them: a check's cost may depend on how many its subscription holds, so the benchmark sets that
     * number instead of leaving it to how long the warm-up ran. Answers the seconds it took.
     */
    double seedHolds(int perSubscription) throws IOException {
        return Double.parseDouble(ask("holds " + perSubscription));
    }

    /** Live holds per subscription now, on average over those that have any. */
    double liveHoldsPerSubscription() throws IOException {
        return Double.parseDouble(ask("held"));
    }

    void resetPeaks() throws IOException {
        ask("reset");
    }

    long peakHeapMiB() throws IOException {
        return Long.parseLong(ask("peak"));
    }

    /** Bytes the server's threads allocated so far (virtual threads' on their carriers), its collections and their ms. */
    long[] allocation() throws IOException {
        String[] all = ask("alloc").split(" ");
        return new long[] {Long.parseLong(all[0]), Long.parseLong(all[1]), Long.parseLong(all[2])};
    }

    /** "bytes collections ms", read in the server JVM (see {@link #allocation()}). */
    private static String allocationHere() {
        long bytes = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
        long count = 0;
        long millis = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return bytes + " " + count + " " + millis;
    }

    private String ask(String command) throws IOException {
        in.println(command);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ANSWER ")) {
            if (line.startsWith(PRINT)) { // what the child prints for the benchmark's own output
                System.out.println(line.substring(PRINT.length()));
            }
        }
        if (line == null) {
            throw new IllegalStateException("the benchmark server exited");
        }
        return line.substring("ANSWER ".length());
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * With {@code BENCH_THREADS=1}, starts counting the server JVM's CPU by kind of thread ({@code units} = 0), or prints
     * it per {@code unit} since the previous call.
     */
    void threads(long units, String unit) throws IOException {
        if (THREADS) {
            ask("threads " + units + " " + unit);
        }
    }

    /**
     * With {@code BENCH_STATEMENTS=1}, prints the SQL statements the server sent since the last {@link #resetPeaks()}, per
     * {@code unit} of work ({@code units} of them), as PostgreSQL counted them (see {@link PgStatements}).
     */
    void printStatements(long units, String unit) throws IOException {
        if (STATEMENTS) {
            ask("statements " + units + " " + unit);
        }
    }

    /** With {@code BENCH_PROBE=1}, starts sampling how long work waits for a CPU in the server JVM ({@link SchedulingProbe}). */
    void probe() throws IOException {
        if (PROBE) {
            ask("probe");
        }
    }

    /** Prints what {@link #probe()} sampled since it started. */
    void probeStop() throws IOException {
        if (PROBE) {
            ask("probe stop");
        }
    }

    private static final boolean PROBE = "1".equals(System.getenv("BENCH_PROBE"));
    private static final String PRINT = "PRINT ";
    private static final boolean STATEMENTS = "1".equals(System.getenv("BENCH_STATEMENTS"));
    private static final boolean THREADS = "1".equals(System.getenv("BENCH_THREADS"));

    /** The child: a node with the catalog and customers, serving until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (BenchNode node = new BenchNode(Files.readString(Path.of(args[0])), args[1], Integer.parseInt(args[2]));
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            PgStatements statements = PgStatements.attachIfAsked(node.accrue.database().jdbi());
            ThreadCpu threads = new ThreadCpu();
            SchedulingProbe probe = null;
            System.out.println("READY " + node.baseUrl + " " + node.apiKey);
            System.out.flush();
            String command;
            while ((command = commands.readLine()) != null) {
                String[] words = command.trim().split(" ");
                switch (words[0]) {
                    case "usage" -> System.out.println("ANSWER " + UsageQueryBenchmark.seed(node, Integer.parseInt(words[1])));
                    case "cpu" -> {
                        long jvm = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
                        long database = node.postgresCpuMillis();
                        System.out.println("ANSWER " + jvm + " " + database);
                    }
                    case "threads" -> {
                        // CPU by kind of thread since the previous "threads" (the first one starts counting)
                        long units = Long.parseLong(words[1]);
                        String counted = threads.delta(Math.max(1, units), words[2]);
                        if (units > 0) {
                            counted.lines().forEach(l -> System.out.println(PRINT + l));
                        }
                        System.out.println("ANSWER ok");
                    }
                    case "statements" -> {
                        ByteArrayOutputStream table = new ByteArrayOutputStream();
                        statements.print(new PrintStream(table, true, StandardCharsets.UTF_8), Long.parseLong(words[1]), words[2]);
                        table.toString(StandardCharsets.UTF_8).lines().forEach(l -> System.out.println(PRINT + l));
                        System.out.println("ANSWER ok");
                    }
                    case "reset" -> {
                        BenchNode.resetPeaks();
                        if (statements != null) {
                            statements.reset();
                        }
                        System.out.println("ANSWER ok");
                    }
                    case "probe" -> { // "probe": start sampling how long work waits for a CPU; "probe stop": print it (BENCH_PROBE=1)
                        if (words.length == 1) {
                            probe = new SchedulingProbe();
                        } else if (probe != null) {
                            System.out.println(PRINT + "  " + probe.stop());
                            probe = null;
                        }
                        System.out.println("ANSWER ok");
                    }
                    case "peak" -> System.out.println("ANSWER " + BenchNode.peakHeapMiB());
                    case "alloc" -> System.out.println("ANSWER " + allocationHere());
                    case "sched" -> System.out.println("ANSWER " + RunQueue.ofSelf().encode() + " " + node.postgresRunQueue().encode());
                    case "ctx" -> {
                        ContextSwitches pg = node.postgresContextSwitches();
                        System.out.println("ANSWER " + pg.voluntary() + " " + pg.involuntary() + " "
                                + ContextSwitches.encode(ContextSwitches.byKind(ProcessHandle.current().pid())));
                    }
                    case "jit" -> System.out.println("ANSWER " + ThreadCpu.compilerMillis());
                    case "holds" -> {
                        long started = System.nanoTime();
                        node.accrue.database().jdbi().useHandle(h -> h.createUpdate("""
                                        INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
                                        SELECT s.tenant_id, 'auth_seed_' || s.id || '_' || k, s.id, s.customer_id, 'call_seconds', 60, 'held',
                                               now() + interval '2 hours', now()
                                        FROM subscriptions s, generate_series(1, :n) k WHERE s.tenant_id = :t""")
                                .bind("n", Integer.parseInt(words[1])).bind("t", node.tenantId).execute());
                        node.accrue.database().jdbi().useHandle(h -> h.execute("VACUUM (ANALYZE) authorizations")); // as a table of long-held rows would be
                        System.out.println("ANSWER " + (System.nanoTime() - started) / 1e9);
                    }
                    case "held" -> System.out.println("ANSWER " + node.accrue.database().jdbi().withHandle(h -> h.createQuery("""
                                    SELECT coalesce(avg(n), 0) FROM (SELECT count(*) AS n FROM authorizations
                                                                     WHERE status = 'held' AND expires_at > now() GROUP BY subscription_id) x""")
                            .mapTo(Double.class).one()));
                    case "db" -> System.out.println("ANSWER " + node.accrue.database().jdbi().withHandle(h -> h.createQuery("""
                                    SELECT d.xact_commit || ' ' || d.xact_rollback || ' ' || w.wal_records || ' ' || w.wal_bytes || ' ' || w.wal_write
                                      || ' ' || w.wal_sync
                                    FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()""").mapTo(String.class).one()));
                    default -> System.out.println("ANSWER unknown");
                }
                System.out.flush();
            }
        }
    }
}
