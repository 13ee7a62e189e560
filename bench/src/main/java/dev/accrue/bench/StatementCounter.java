package dev.accrue.bench;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the statements a benchmark sends through JDBI (a prepared batch counts once: one round trip), by SQL
 * text, so a run can say where its round trips go. Opt-in ({@code BENCH_STATEMENTS=1}): the logger costs a map
 * update per statement.
 */
final class StatementCounter implements SqlLogger {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** Microseconds from execution to completion, per SQL text: where a sequential run (billing) waits on the database. */
    private final Map<String, LongAdder> micros = new ConcurrentHashMap<>();

    static StatementCounter attachIfAsked(Jdbi jdbi) {
        if (!"1".equals(System.getenv("BENCH_STATEMENTS"))) {
            return null;
        }
        StatementCounter counter = new StatementCounter();
        jdbi.setSqlLogger(counter);
        return counter;
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        counts.computeIfAbsent(context.getRawSql(), k -> new LongAdder()).increment();
        if (context.getExecutionMoment() != null && context.getCompletionMoment() != null) {
            micros.computeIfAbsent(context.getRawSql(), k -> new LongAdder())
                    .add(java.time.Duration.between(context.getExecutionMoment(), context.getCompletionMoment()).toNanos() / 1000);
        }
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        logAfterExecution(context);
    }

    void reset() {
        counts.clear();
        micros.clear();
    }

    /** Prints the statements per unit of work ({@code units}, e.g. the subscriptions billed), most frequent first. */
    void print(long units, String unit) {
        print(System.out, units, unit);
    }

    void print(PrintStream out, long units, String unit) {
        long total = counts.values().stream().mapToLong(LongAdder::sum).sum();
        out.printf("statements: %d, %.2f per %s (per %s, and the total time from execution to completion of each kind)%n", total,
                (double) total / units, unit, unit);
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum())).limit(40)
                .forEach(e -> out.printf("%8.2f %9.1f ms  %s%n", (double) e.getValue().sum() / units,
                        micros.getOrDefault(e.getKey(), new LongAdder()).sum() / 1000.0,
                        e.getKey().replaceAll("\\s+", " ").substring(0, Math.min(150, e.getKey().replaceAll("\\s+", " ").length()))));
    }
}
