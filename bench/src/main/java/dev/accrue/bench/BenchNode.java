package dev.accrue.bench;

import dev.accrue.app.auth.Caller;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Accrue node (embedded PostgreSQL, HTTP on a free port) with one tenant whose customers are bulk
 * inserted and subscribed, for the HTTP benchmarks. Peak heap is read from the JVM's memory pools.
 */
final class BenchNode implements AutoCloseable {
    final Accrue accrue;
    final String tenantId;
    final String apiKey;
    final String baseUrl;

    BenchNode(String catalogYaml, String plan, int customers) throws Exception {
        this(Accrue.open(AccrueConfig.fromEnvironment(tuning()).withDataDir(BenchDirs.directory("accrue-bench-")).withPort(0), Clock.systemUTC())
                .serve("127.0.0.1", 0), catalogYaml, plan, customers);
    }

    /**
     * The node's tuning settings taken from this process's environment (e.g. ACCRUE_DB_POOL=4 bench/run usage), so that a
     * setting can be compared as an operator would set it; the database and ports stay the benchmark's own.
     */
    private static Map<String, String> tuning() {
        Map<String, String> settings = new java.util.HashMap<>();
        for (String name : java.util.List.of("ACCRUE_DB_POOL")) {
            String value = System.getenv(name);
            if (value != null) {
                settings.put(name, value);
            }
        }
        return settings;
    }

    /** On a node already serving (the Kafka benchmark's, in Kafka mode). */
    BenchNode(Accrue serving, String catalogYaml, String plan, int customers) {
        accrue = serving;
        var created = accrue.services().tenants().create("bench " + System.nanoTime(), TenantMode.SANDBOX);
        tenantId = created.tenant().id();
        apiKey = created.adminKey().secret();
        baseUrl = "http://127.0.0.1:" + accrue.port();
        accrue.services().catalogs().importCatalog(Caller.operator(tenantId), "bench.yaml", catalogYaml);
        LocalDate start = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        accrue.database().jdbi().useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO customers (tenant_id, id, legal_name, billing_emails, billing_address, currency, time_zone, collection_method,
                      net_days, account_type, metadata, created_at, updated_at, version)
                    SELECT :t, 'cus_b' || i, 'Bench customer ' || i, ARRAY['billing@bench.example'],
                      '{"line1": "1 Bench St", "city": "Benchville", "country": "US"}', 'USD', 'UTC', 'auto_pay', 0, 'postpaid', '{}', now(), now(), 1
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", customers).execute();
            h.createUpdate("""
                    INSERT INTO subscriptions (tenant_id, id, customer_id, catalog_version, plan_code, billing_interval, alignment, start_date,
                      anchor, next_bill_date, billed_through, created_at, updated_at, version)
                    SELECT :t, 'sub_b' || i, 'cus_b' || i, 1, :plan, 'month', 'calendar', :start, :start, (:start + interval '1 month')::date,
                      (:start + interval '1 month')::date, now(), now(), 1
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", customers).bind("plan", plan).bind("start", start).execute();
        });
        resetPeaks();
    }

    private BenchNode(BenchNode same, String otherBaseUrl) {
        accrue = same.accrue;
        tenantId = same.tenantId;
        apiKey = same.apiKey;
        baseUrl = otherBaseUrl;
    }

    /** The same tenant and key, sent to another node on the same database. */
    BenchNode at(String otherBaseUrl) {
        return new BenchNode(this, otherBaseUrl);
    }

    static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peak usage since the last reset, in MiB. */
    static long peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }

    /**
     * CPU time of the node's PostgreSQL, in ms: its postmaster (named by {@code postmaster.pid} in the data directory;
     * pg_ctl started it, so it is not a descendant of this JVM) and the backends it forked. The pool keeps its
     * backends, so their time is not lost to exits.
     */
    long postgresCpuMillis() throws IOException {
        return postgresCpuMillis(accrue);
    }

    /** Run-queue waits so far of the node's PostgreSQL processes (postmaster and backends; {@link RunQueue}). */
    RunQueue postgresRunQueue() throws IOException {
        return RunQueue.of(postgresProcesses(postmaster(accrue)));
    }

    /** Context switches so far of the node's PostgreSQL processes (postmaster and live backends; {@link ContextSwitches}). */
    ContextSwitches postgresContextSwitches() throws IOException {
        return ContextSwitches.of(postgresProcesses(postmaster(accrue)));
    }

    /** {@link #postgresCpuMillis()} of any node (the billing benchmark opens one without HTTP). */
    static long postgresCpuMillis(Accrue accrue) throws IOException {
        long postmaster = postmaster(accrue);
        return postgresProcesses(postmaster).mapToLong(p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum() + exitedChildrenMillis(postmaster);
    }

    /** The pid of the node's postmaster, from {@code postmaster.pid} in its data directory. */
    static long postmaster(Accrue accrue) throws IOException {
        String dataDir = accrue.database().jdbi().withHandle(h -> h.createQuery("SHOW data_directory").mapTo(String.class).one());
        return Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).getFirst().trim());
    }

    /** The postmaster and its live children (backends, background workers). */
    private static Stream<ProcessHandle> postgresProcesses(long postmaster) {
        return ProcessHandle.of(postmaster).stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants()));
    }

    /**
     * CPU time of the postmaster's children that have exited, in ms ({@code cutime + cstime} of /proc/PID/stat, which the
     * postmaster collects as it reaps them): autovacuum workers above all — each lives for one visit of the database, so
     * the live processes above never show its time — and backends that closed.
     */
    static long exitedChildrenMillis(long postmaster) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(postmaster), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd (state) on
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10; // cutime, cstime: fields 16 and 17, in 1/100 s
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux, or the process is gone: the live processes' time alone, as before
        }
    }

    /** CPU time of this JVM so far, in ms (all its threads: the node and, in a benchmark, its load generator). */
    static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    /** WAL written since the server started: {bytes, full-page images} ({@code pg_stat_wal}). */
    long[] walWritten() {
        return accrue.database().jdbi().withHandle(h -> h.createQuery("SELECT wal_bytes::bigint, wal_fpi FROM pg_stat_wal")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
    }

    @Override
    public void close() {
        accrue.close();
    }
}
