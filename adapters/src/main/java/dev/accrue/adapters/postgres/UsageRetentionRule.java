package dev.accrue.adapters.postgres;

import dev.accrue.app.lifecycle.RetentionSettings;

/**
 * Which raw usage events may go, in one place: the row-wise sweep ({@link PostgresCustomerData#dropInvoicedUsage}) and
 * the compaction of a whole month partition ({@link PostgresUsagePartitions}) apply the same predicate, so a month
 * leaving the table never takes an event the sweep would have kept. Binds {@code :now} and {@code :defaultDays}.
 *
 * <p>An event goes when: it is not a persistent metric's unit event (those are the units' state, read back to the
 * beginning by every window); it is older than the tenant's lateness (a replay of it is refused as late, a correction of
 * it too); a document billed its day's window (billed_usage, written when the window closed) and that window ended more
 * than the retention ago in the customer's own time zone and clock (a window is invoiced at its end); no row of the
 * window waits to be re-priced (dirty; re-pricing reads the daily aggregates, which stay); and a later counted event of
 * its subscription and metric exists — the latest one stays, as the level a time-weighted metric carries into its next
 * window. "A later one exists" is read from the daily aggregates' latest instants (a customer's later event is on the
 * same or a later local day), an index range instead of a probe of the raw events.
 */
final class UsageRetentionRule {
    /** A customer's "now": its test clock's frozen time when it has one. */
    static final String CUSTOMER_NOW = "COALESCE(tc.frozen_time, CAST(:now AS timestamptz))";
    static final int DEFAULT_DAYS = RetentionSettings.DEFAULT.usageDaysAfterInvoiced();

    private UsageRetentionRule() {
    }

    /** {@code SELECT <columns> FROM <events> e ... WHERE <e may go>}; {@code events} is usage_events or one of its partitions. */
    static String droppable(String columns, String events) {
        return "SELECT " + columns + " FROM " + events + " e " + JOINS + " WHERE " + predicate();
    }

    /** The complement: {@code SELECT e.* FROM <events> e ... WHERE <e stays>} (a row the joins miss stays). */
    static String kept(String events) {
        return "SELECT e.* FROM " + events + " e " + JOINS + " WHERE NOT coalesce((" + predicate() + "), false)";
    }

    private static final String JOINS = """
            LEFT JOIN tenants t ON t.id = e.tenant_id
            LEFT JOIN data_retention_settings r ON r.tenant_id = e.tenant_id
            LEFT JOIN customers c ON c.tenant_id = e.tenant_id AND c.id = e.customer_id
            LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id""";

    /** The condition on {@code e} (with t, r, c, tc joined as in {@link #droppable}; null when a join missed). */
    static String predicate() {
        return """
                e.unit_op IS NULL
                  AND e.occurred_at < %1$s - make_interval(days => t.event_lateness_days)
                  AND EXISTS (SELECT 1 FROM billed_usage b
                      WHERE b.tenant_id = e.tenant_id AND b.subscription_id = e.subscription_id AND b.metric = e.metric
                        AND b.window_start <= e.day AND e.day < b.window_end
                        AND b.window_end + COALESCE(r.usage_days_after_invoiced, :defaultDays) <= CAST((%1$s AT TIME ZONE c.time_zone) AS date))
                  AND NOT EXISTS (SELECT 1 FROM billed_usage d
                      WHERE d.tenant_id = e.tenant_id AND d.subscription_id = e.subscription_id AND d.metric = e.metric
                        AND d.window_start <= e.day AND e.day < d.window_end AND d.dirty)
                  AND EXISTS (SELECT 1 FROM usage_daily n
                      WHERE n.tenant_id = e.tenant_id AND n.subscription_id = e.subscription_id AND n.metric = e.metric
                        AND n.day >= e.day AND n.latest_at > e.occurred_at)""".formatted(CUSTOMER_NOW);
    }
}
