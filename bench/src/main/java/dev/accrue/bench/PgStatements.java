package dev.accrue.bench;

import org.jdbi.v3.core.Jdbi;

import java.io.PrintStream;
import java.util.List;

/**
 * The statements a server process sent, counted by PostgreSQL itself ({@code pg_stat_statements}, loaded only when a
 * benchmark asks: {@code BENCH_STATEMENTS=1}). Unlike a JDBI logger ({@link StatementCounter}) it sees the statements
 * sent on a raw JDBC connection (the authorization path's), each statement of a multi-statement round trip, BEGIN and
 * COMMIT, and the statements run inside functions (nested), each with its execution time. Top-level statements are what
 * the server sent; BEGIN goes out with the transaction's first statement (pgjdbc), so round trips are the top-level
 * statements less the BEGINs. Everything the server did counts — its background jobs too. Loading the extension costs
 * CPU: the run's CPU figures are not comparable with a run without it.
 */
final class PgStatements {
    private final Jdbi jdbi;

    private PgStatements(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    static PgStatements attachIfAsked(Jdbi jdbi) {
        if (!"1".equals(System.getenv("BENCH_STATEMENTS"))) {
            return null;
        }
        jdbi.useHandle(h -> h.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"));
        return new PgStatements(jdbi);
    }

    void reset() {
        jdbi.useHandle(h -> h.createQuery("SELECT pg_stat_statements_reset()").mapTo(String.class).one());
    }

    /** {@code blocks}: shared buffers hit or read — a lookup that visits many per call is scanning, not probing. */
    private record Row(boolean toplevel, long calls, double millis, long rows, long blocks, String query) {
    }

    void print(PrintStream out, long units, String unit) {
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.toplevel, s.calls, s.total_exec_time, s.rows, s.shared_blks_hit + s.shared_blks_read, s.query FROM pg_stat_statements s
                        WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND s.query NOT LIKE '%pg_stat_statements%' ORDER BY s.calls DESC, s.total_exec_time DESC""")
                .map((rs, ctx) -> new Row(rs.getBoolean(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6))).list());
        long top = rows.stream().filter(Row::toplevel).mapToLong(Row::calls).sum();
        long begins = rows.stream().filter(r -> r.toplevel() && r.query().trim().equalsIgnoreCase("BEGIN")).mapToLong(Row::calls).sum();
        long nested = rows.stream().filter(r -> !r.toplevel()).mapToLong(Row::calls).sum();
        out.printf("statements seen by PostgreSQL (pg_stat_statements, loaded for this run: its CPU figures are inflated): per %s%n", unit);
        out.printf("  %.2f sent (top level), of which %.2f BEGIN (sent with the next statement): %.2f round trips; %.2f run inside functions%n",
                top / (double) units, begins / (double) units, (top - begins) / (double) units, nested / (double) units);
        out.printf("  %8s %8s %10s %8s  %s%n", "calls", "rows", "exec ms", "blk/call",
                "per " + unit + ", by statement (top = sent, in = inside a function); blocks per call");
        rows.stream().limit(30).forEach(r -> {
            String sql = r.query().replaceAll("\\s+", " ");
            out.printf("  %8.3f %8.3f %10.4f %8.1f  %s %s%n", r.calls() / (double) units, r.rows() / (double) units, r.millis() / units,
                    r.blocks() / (double) Math.max(1, r.calls()), r.toplevel() ? "top" : "in ", sql.substring(0, Math.min(140, sql.length())));
        });
    }
}
