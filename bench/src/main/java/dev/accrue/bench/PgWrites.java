package dev.accrue.bench;

import org.jdbi.v3.core.Jdbi;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a phase's PostgreSQL work goes, by statement and by table: each statement's calls, rows, execution time and WAL
 * bytes ({@code pg_stat_statements}, ordered by execution time), the rows written per table (each insert, or update that
 * is not HOT, also writes an entry into every index of its table) and the WAL written. Opt-in with
 * {@code BENCH_STATEMENTS=1}, which loads {@code pg_stat_statements} into the embedded PostgreSQL at its start (the
 * benchmark sets {@code accrue.embedded.statementStatistics} before starting its node): its CPU figures are then
 * inflated, not comparable with a run without it. {@link PgStatements} lists the same statements by calls, for the
 * benchmarks whose server is a process of its own.
 */
final class PgWrites {
    private final Jdbi jdbi;
    private Map<String, long[]> tablesAtReset = Map.of();
    private Map<String, Long> indexScansAtReset = Map.of();
    private String walAtReset;

    private PgWrites(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Call before the node's database starts: PostgreSQL loads the extension's library only at its start. */
    static boolean asked() {
        boolean asked = "1".equals(System.getenv("BENCH_STATEMENTS"));
        if (asked) {
            System.setProperty("accrue.embedded.statementStatistics", "true");
        }
        return asked;
    }

    static PgWrites attach(Jdbi jdbi) {
        jdbi.useHandle(h -> h.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
        return new PgWrites(jdbi);
    }

    void reset() {
        jdbi.useHandle(h -> h.createQuery("SELECT pg_stat_statements_reset()").mapTo(String.class).one());
        tablesAtReset = tableWrites();
        indexScansAtReset = indexScans();
        walAtReset = jdbi.withHandle(h -> h.createQuery("SELECT pg_current_wal_lsn()::text").mapTo(String.class).one());
    }

    private record Row(boolean toplevel, long calls, double millis, long rows, long walBytes, String query) {
    }

    private Map<String, long[]> tableWrites() {
        Map<String, long[]> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT t.relname, t.n_tup_ins, t.n_tup_upd - t.n_tup_hot_upd, t.n_tup_del,
                               (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) AS indexes
                        FROM pg_stat_user_tables t""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Each index's scans so far (pg_stat_user_indexes), by "table.index". */
    private Map<String, Long> indexScans() {
        Map<String, Long> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT relname || '.' || indexrelname, idx_scan FROM pg_stat_user_indexes")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * Prints, per {@code unit}, the statements since {@link #reset} by execution time and the rows written by table.
     * PostgreSQL's table statistics lag their transactions by up to a second: call it after the work has settled.
     */
    void print(PrintStream out, long units, String unit) {
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.toplevel, s.calls, s.total_exec_time, s.rows, s.wal_bytes, s.query FROM pg_stat_statements s
                        WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND s.query NOT LIKE '%pg_stat_statements%' AND s.query NOT LIKE '%pg_stat_user_tables%'
                        ORDER BY s.total_exec_time DESC""")
                .map((rs, ctx) -> new Row(rs.getBoolean(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5), rs.getString(6))).list());
        double millis = rows.stream().filter(Row::toplevel).mapToDouble(Row::millis).sum();
        long wal = rows.stream().filter(Row::toplevel).mapToLong(Row::walBytes).sum();
        out.printf("  PostgreSQL per %s (pg_stat_statements, loaded for this run: CPU figures inflated): %.2f ms executing, %.0f WAL bytes by statements%n",
                unit, millis / units, wal / (double) units);
        out.printf("  %8s %8s %9s %9s  %s%n", "calls", "rows", "exec ms", "WAL B", "by statement, most execution time first (top = sent, in = inside a function)");
        rows.stream().limit(25).forEach(r -> {
            String sql = r.query().replaceAll("\\s+", " ");
            out.printf("  %8.3f %8.3f %9.4f %9.0f  %s %s%n", r.calls() / (double) units, r.rows() / (double) units, r.millis() / units,
                    r.walBytes() / (double) units, r.toplevel() ? "top" : "in ", sql.substring(0, Math.min(150, sql.length())));
        });
        Map<String, long[]> now = tableWrites();
        long walTotal = jdbi.withHandle(h -> h.createQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:at AS pg_lsn))::bigint")
                .bind("at", walAtReset).mapTo(Long.class).one());
        out.printf("  rows written per %s by table (inserted / updated not HOT / deleted; indexes on the table); all WAL: %.0f bytes per %s%n", unit,
                walTotal / (double) units, unit);
        now.entrySet().stream()
                .map(e -> {
                    long[] before = tablesAtReset.getOrDefault(e.getKey(), new long[4]);
                    long[] v = e.getValue();
                    return Map.entry(e.getKey(), new long[] {v[0] - before[0], v[1] - before[1], v[2] - before[2], v[3]});
                })
                .filter(e -> e.getValue()[0] + e.getValue()[1] + e.getValue()[2] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1] + b.getValue()[2], a.getValue()[0] + a.getValue()[1] + a.getValue()[2]))
                .forEach(e -> out.printf("  %10.3f / %8.3f / %8.3f  (%d indexes)  %s%n", e.getValue()[0] / (double) units, e.getValue()[1] / (double) units,
                        e.getValue()[2] / (double) units, e.getValue()[3], e.getKey()));
        // an index every written row pays an entry into, that no statement of the phase scanned, is a candidate to drop
        // (its scans count every use: lookups, ON CONFLICT arbiters, foreign-key checks, ordered reads)
        Map<String, Long> scans = indexScans();
        out.println("  indexes of the tables written (scans during the phase, per " + unit + "; 0 = no statement used it)");
        now.forEach((table, v) -> {
            long[] before = tablesAtReset.getOrDefault(table, new long[4]);
            if (v[0] - before[0] + v[1] - before[1] == 0) {
                return;
            }
            scans.entrySet().stream().filter(e -> e.getKey().startsWith(table + ".")).sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("  %10.3f  %s%n", (e.getValue() - indexScansAtReset.getOrDefault(e.getKey(), 0L)) / (double) units, e.getKey()));
        });
    }
}
