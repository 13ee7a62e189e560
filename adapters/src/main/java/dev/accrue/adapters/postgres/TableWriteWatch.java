package dev.accrue.adapters.postgres;

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
    /** The tables whose rows {@code IngestionLookups} (and {@code PrepaidDrawdown}) remember: customers, subscriptions, billed windows, tenants. */
    static final Pattern WRITES = Pattern.compile(
            "\\b(?:insert\\s+into|update|delete\\s+from)\\s+(?:subscriptions|customers|billed_usage|tenants)\\b", Pattern.CASE_INSENSITIVE);
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

    @Override
    public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
        String sql = ctx.getRenderedSql();
        if (sql == null || !WRITES.matcher(sql).find()) {
            return;
        }
        writes.changed();
        Handle handle = tx.currentHandle();
        if (handle != null && handle.isInTransaction()) {
            handle.afterCommit(writes::changed);
        }
    }
}
