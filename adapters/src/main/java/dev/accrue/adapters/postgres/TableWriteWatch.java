package dev.accrue.adapters.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.app.cache.Caches;
import dev.accrue.app.cache.TableWrites;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

import java.sql.PreparedStatement;
import java.util.regex.Pattern;

/**
 * Tells {@link TableWrites} of every statement this node sends that inserts, updates or deletes rows of the tables
 * ingestion's lookups are built from — at once, and again after its transaction commits (a read that ran between the
 * two saw the old rows). Watching the SQL itself, in one place, means a new use case that writes these tables cannot
 * forget to invalidate the caches.
 */
public final class TableWriteWatch implements StatementCustomizer {
    /** The tables whose rows {@code IngestionLookups} remembers: customers, subscriptions, billed windows, tenants. */
    static final Pattern WRITES = Pattern.compile(
            "\\b(?:insert\\s+into|update|delete\\s+from)\\s+(?:subscriptions|customers|billed_usage|tenants)\\b", Pattern.CASE_INSENSITIVE);
    /**
     * The verdict per SQL text: statements are a few hundred texts sent again and again, and the case-insensitive search
     * of a whole text per execution was ~2 % of a usage view's server CPU. Bounded, for SQL built with values inlined.
     */
    private final Cache<String, Boolean> verdicts = Caches.bounded(4_096).build();
    private final TableWrites writes;
    private final JdbiTransactions tx;

    private TableWriteWatch(TableWrites writes, JdbiTransactions tx) {
        this.writes = writes;
        this.tx = tx;
    }

    /** Watches every statement {@code jdbi} runs. */
    public static void install(Jdbi jdbi, JdbiTransactions tx, TableWrites writes) {
        jdbi.getConfig(SqlStatements.class).addCustomizer(new TableWriteWatch(writes, tx));
    }

    private static boolean writesWatchedTable(String sql) {
        return WRITES.matcher(sql).find();
    }

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
        String sql = ctx.getRenderedSql();
        if (sql == null || !verdicts.get(sql, TableWriteWatch::writesWatchedTable)) {
            return;
        }
        writes.changed();
        Handle handle = tx.currentHandle();
        if (handle != null && handle.isInTransaction()) {
            handle.afterCommit(writes::changed);
        }
    }
}
