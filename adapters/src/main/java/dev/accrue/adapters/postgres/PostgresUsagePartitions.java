package dev.accrue.adapters.postgres;

import dev.accrue.app.lifecycle.UsagePartitionRepository;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * usage_events' month partitions (V375), named {@code usage_events_YYYY_MM}, by range of the event's day, beside the
 * default partition that holds what no month covers.
 */
public final class PostgresUsagePartitions implements UsagePartitionRepository {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");
    /** A window can end up to a month after the partition's last day (an anniversary-aligned month). */
    private static final int LONGEST_MONTHLY_WINDOW_DAYS = 31;
    private final JdbiTransactions tx;

    public PostgresUsagePartitions(JdbiTransactions tx) {
        this.tx = tx;
    }

    static String name(LocalDate month) {
        return "usage_events_" + month.format(MONTH);
    }

    /**
     * The rows of the month waiting in the default partition move into a new table, which is then attached: PostgreSQL
     * refuses to attach a range the default partition still holds rows of, and checks it here under lock.
     */
    @Override
    public boolean createMonth(LocalDate month) {
        LocalDate start = month.withDayOfMonth(1);
        String table = name(start);
        Handle h = tx.handle();
        boolean exists = h.createQuery("SELECT to_regclass(:t) IS NOT NULL").bind("t", table).mapTo(Boolean.class).one();
        if (exists) {
            return false;
        }
        h.execute("CREATE TABLE " + table + " (LIKE usage_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        h.createUpdate("""
                        WITH moved AS (DELETE FROM usage_events_default WHERE day >= :from AND day < :to RETURNING *)
                        INSERT INTO %s SELECT * FROM moved""".formatted(table))
                .bind("from", start).bind("to", start.plusMonths(1)).execute();
        h.execute("ALTER TABLE usage_events ATTACH PARTITION " + table + " FOR VALUES FROM ('" + start + "') TO ('" + start.plusMonths(1) + "')");
        return true;
    }

    @Override
    public List<String> dueForCompaction(Instant now) {
        return tx.handle().createQuery("""
                        WITH months AS (
                            SELECT c.relname AS name, to_date(right(c.relname, 7), 'YYYY_MM') AS month
                            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                            WHERE i.inhparent = 'usage_events'::regclass AND c.relname ~ '^usage_events_[0-9]{4}_[0-9]{2}$'
                        ), bounds AS (
                            SELECT coalesce(max(t.event_lateness_days), 0) AS lateness,
                                   coalesce(min(coalesce(r.usage_days_after_invoiced, :defaultDays)), :defaultDays) AS retention
                            FROM tenants t LEFT JOIN data_retention_settings r ON r.tenant_id = t.id
                        )
                        SELECT m.name FROM months m, bounds b
                        WHERE NOT EXISTS (SELECT 1 FROM usage_partition_compactions p WHERE p.partition_name = m.name)
                          AND (m.month + interval '1 month')::date + b.lateness + 1 <= CAST(CAST(:now AS timestamptz) AT TIME ZONE 'UTC' AS date)
                          AND (m.month + interval '1 month')::date + :window + b.retention <= CAST(CAST(:now AS timestamptz) AT TIME ZONE 'UTC' AS date)
                        ORDER BY m.month""")
                .bind("now", Rows.utc(now)).bind("defaultDays", UsageRetentionRule.DEFAULT_DAYS).bind("window", LONGEST_MONTHLY_WINDOW_DAYS)
                .mapTo(String.class).list();
    }

    /**
     * Under an EXCLUSIVE lock on the partition (reads go on, writes to this month wait): the rows the rule keeps are
     * copied aside, the ids of the others deleted, the partition truncated and the kept rows put back.
     */
    @Override
    public Compaction compact(String partition, Instant now) {
        if (!partition.matches("usage_events_[0-9]{4}_[0-9]{2}")) {
            throw new IllegalArgumentException("not a month partition of usage_events: " + partition);
        }
        Handle h = tx.handle();
        h.execute("LOCK TABLE " + partition + " IN EXCLUSIVE MODE");
        long total = h.createQuery("SELECT count(*) FROM " + partition).mapTo(Long.class).one();
        h.createUpdate("CREATE TEMPORARY TABLE usage_compaction_keep ON COMMIT DROP AS " + UsageRetentionRule.kept(partition))
                .bind("now", Rows.utc(now)).bind("defaultDays", UsageRetentionRule.DEFAULT_DAYS).execute();
        long kept = h.createQuery("SELECT count(*) FROM usage_compaction_keep").mapTo(Long.class).one();
        h.execute("""
                DELETE FROM usage_event_ids i USING %s e
                WHERE i.tenant_id = e.tenant_id AND i.event_id = e.event_id
                  AND NOT EXISTS (SELECT 1 FROM usage_compaction_keep k WHERE k.tenant_id = e.tenant_id AND k.event_id = e.event_id)""".formatted(partition));
        h.execute("TRUNCATE " + partition);
        h.execute("INSERT INTO " + partition + " SELECT * FROM usage_compaction_keep");
        h.createUpdate("INSERT INTO usage_partition_compactions (partition_name, compacted_at, kept, dropped) VALUES (:p, :at, :kept, :dropped)")
                .bind("p", partition).bind("at", Rows.utc(now)).bind("kept", kept).bind("dropped", total - kept).execute();
        return new Compaction(partition, kept, total - kept);
    }
}
