package dev.accrue.adapters.postgres;

import dev.accrue.app.lifecycle.CustomerDataRepository;
import dev.accrue.app.lifecycle.RetentionSettings;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data lifecycle in SQL. A customer's rows are found through PostgreSQL's catalog (every table with a
 * {@code customer_id} or {@code subscription_id} column), so the export includes a new table by itself, and erasure
 * refuses to run while a table holding the customer's rows has no rule in {@link #RULES}: whoever adds such a table
 * decides whether tax law keeps it.
 */
public final class PostgresCustomerData implements CustomerDataRepository {
    /** What erasure does to a table's rows of the customer. */
    enum Rule {
        /** Tax law or the books keep it: documents, payments, ledgers, and what they refer to (subscriptions, usage totals). */
        KEEP,
        /** Personal or operational data with no legal reason to stay. */
        DELETE,
        /** Handled by its own statements in {@link #erase}. */
        SCRUB
    }

    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("customers", Rule.SCRUB),
            Map.entry("payment_methods", Rule.SCRUB),
            Map.entry("outbound_emails", Rule.SCRUB),
            Map.entry("invoices", Rule.KEEP),
            Map.entry("invoice_sections", Rule.KEEP), // a consolidated invoice's sections: the parent's legal document
            Map.entry("credit_notes", Rule.KEEP),
            Map.entry("payments", Rule.KEEP),
            Map.entry("refunds", Rule.KEEP),
            Map.entry("disputes", Rule.KEEP),
            Map.entry("receipts", Rule.KEEP),
            Map.entry("wallets", Rule.KEEP),
            Map.entry("wallet_entries", Rule.KEEP),
            Map.entry("wallet_statements", Rule.KEEP),
            Map.entry("customer_credit_entries", Rule.KEEP),
            Map.entry("credit_wallets", Rule.KEEP),
            Map.entry("credit_wallet_entries", Rule.KEEP),
            Map.entry("credit_wallet_top_ups", Rule.KEEP),
            Map.entry("collections", Rule.KEEP),
            Map.entry("dunning_suspensions", Rule.KEEP),
            Map.entry("coupon_redemptions", Rule.KEEP),
            Map.entry("pending_items", Rule.KEEP),
            Map.entry("subscriptions", Rule.KEEP),
            Map.entry("subscription_add_ons", Rule.KEEP),
            Map.entry("billed_usage", Rule.KEEP),
            Map.entry("usage_daily", Rule.KEEP),
            // usage_daily's closed-days rollups follow it (a version deleted alone could make an old rollup look current)
            Map.entry("usage_past_versions", Rule.KEEP),
            Map.entry("usage_rollup_heads", Rule.KEEP),
            Map.entry("usage_rollup_rows", Rule.KEEP),
            Map.entry("counted_renewals", Rule.KEEP),
            Map.entry("contact_counts", Rule.KEEP),
            Map.entry("phone_numbers", Rule.KEEP),
            Map.entry("quota_items", Rule.KEEP),
            // what invoices billed, the subscription terms and changes behind them, and the per-transaction aggregates
            // that priced them stay with the books
            Map.entry("progressive_invoices", Rule.KEEP),
            Map.entry("usage_values", Rule.KEEP),
            Map.entry("one_off_charges", Rule.KEEP),
            Map.entry("subscription_phases", Rule.KEEP),
            Map.entry("subscription_scheduled_actions", Rule.KEEP),
            Map.entry("subscription_pauses", Rule.KEEP),
            Map.entry("price_migration_moves", Rule.KEEP),
            Map.entry("usage_events", Rule.DELETE),
            Map.entry("usage_event_ids", Rule.DELETE),
            Map.entry("usage_unique", Rule.DELETE),
            Map.entry("authorizations", Rule.DELETE),
            // a number per subscription and metric, no personal data: the triggers on authorizations bring it to zero
            // as their DELETE removes the customer's holds
            Map.entry("authorization_held", Rule.KEEP),
            Map.entry("contacts", Rule.DELETE),
            Map.entry("notifications", Rule.DELETE),
            Map.entry("notification_digest_items", Rule.DELETE),
            Map.entry("notification_email_pacing", Rule.DELETE),
            Map.entry("notification_preferences", Rule.DELETE),
            Map.entry("customer_notification_locales", Rule.DELETE),
            Map.entry("portal_links", Rule.DELETE),
            Map.entry("fired_alerts", Rule.DELETE),
            Map.entry("usage_alert_rules", Rule.DELETE),
            Map.entry("budgets", Rule.DELETE),
            Map.entry("gateway_customers", Rule.DELETE),
            Map.entry("domain_events", Rule.DELETE),
            Map.entry("subscription_reminders", Rule.DELETE));
    /** Deleted in this order (children before what they reference); the others after, in any order. */
    private static final List<String> DELETE_FIRST = List.of("fired_alerts", "usage_alert_rules", "budgets");
    /** Columns an export never carries: credentials and gateway tokens are not the customer's data to take away. */
    private static final String[] SECRET_COLUMNS = {"token", "token_hash", "secret", "secret_hash", "key_hash", "password_hash"};
    /** What erasure keeps of the customer row itself: the identity the kept invoices show (tax law), and its settings. */
    private static final String[] KEPT_CUSTOMER_FIELDS = {"id", "legal_name", "billing_address", "tax_id", "currency", "time_zone"};
    /** Audit entries about these kinds of objects of the customer keep their snapshots (they describe kept records). */
    private static final String[] KEPT_AUDIT_OBJECTS = {"invoice", "credit_note", "payment", "subscription", "coupon"};
    private static final String CUSTOMER_NOW = UsageRetentionRule.CUSTOMER_NOW;
    private final JdbiTransactions tx;

    public PostgresCustomerData(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public RetentionSettings settings(String tenantId) {
        return tx.handle().createQuery("""
                        SELECT usage_days_after_invoiced, customer_days_after_cancellation FROM data_retention_settings WHERE tenant_id = :tenant""")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new RetentionSettings(rs.getInt(1), rs.getInt(2)))
                .findOne().orElse(RetentionSettings.DEFAULT);
    }

    @Override
    public void saveSettings(String tenantId, RetentionSettings s, Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO data_retention_settings (tenant_id, usage_days_after_invoiced, customer_days_after_cancellation, updated_at)
                        VALUES (:tenant, :usage, :customer, :at)
                        ON CONFLICT (tenant_id) DO UPDATE SET usage_days_after_invoiced = excluded.usage_days_after_invoiced,
                            customer_days_after_cancellation = excluded.customer_days_after_cancellation, updated_at = excluded.updated_at""")
                .bind("tenant", tenantId).bind("usage", s.usageDaysAfterInvoiced()).bind("customer", s.customerDaysAfterCancellation())
                .bind("at", Rows.utc(at)).execute();
    }

    /**
     * Deletes events {@link UsageRetentionRule} lets go, with their ids (usage_event_ids), by key: the table is
     * partitioned, so a row's ctid alone names no row.
     */
    @Override
    public int dropInvoicedUsage(Instant now, int limit) {
        return tx.handle().createUpdate("""
                        WITH doomed AS (
                            %s
                            LIMIT :limit
                        ), gone AS (
                            DELETE FROM usage_events u USING doomed d
                            WHERE u.tenant_id = d.tenant_id AND u.event_id = d.event_id AND u.day = d.day
                            RETURNING u.tenant_id, u.event_id
                        )
                        DELETE FROM usage_event_ids i USING gone g WHERE i.tenant_id = g.tenant_id AND i.event_id = g.event_id"""
                        .formatted(UsageRetentionRule.droppable("e.tenant_id, e.event_id, e.day", "usage_events")))
                .bind("now", Rows.utc(now)).bind("defaultDays", UsageRetentionRule.DEFAULT_DAYS).bind("limit", limit)
                .execute();
    }

    /**
     * Due: the customer had subscriptions, all of them ended (their final usage invoiced) more than the retention ago
     * in the customer's own time zone and clock, and nothing is still owed (no draft, no unpaid invoice): a debt still
     * open keeps what the seller needs to collect it.
     */
    @Override
    public List<CustomerRef> dueForErasure(Instant now, int limit) {
        return tx.handle().createQuery("""
                        SELECT c.tenant_id, c.id FROM customers c
                        LEFT JOIN data_retention_settings r ON r.tenant_id = c.tenant_id
                        LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
                        WHERE c.erased_at IS NULL
                          AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id)
                          AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id
                              AND (s.ended_on IS NULL OR NOT s.usage_closed
                                   OR s.ended_on + COALESCE(r.customer_days_after_cancellation, :defaultDays) > CAST((%s AT TIME ZONE c.time_zone) AS date)))
                          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id
                              AND i.status IN ('draft', 'finalized'))
                        ORDER BY c.tenant_id, c.id
                        LIMIT :limit""".formatted(CUSTOMER_NOW))
                .bind("now", Rows.utc(now)).bind("defaultDays", RetentionSettings.DEFAULT.customerDaysAfterCancellation()).bind("limit", limit)
                .map((rs, ctx) -> new CustomerRef(rs.getString(1), rs.getString(2)))
                .list();
    }

    @Override
    public Map<String, Integer> erase(String tenantId, String customerId, Instant at) {
        tx.flushDeferred(); // events and audit entries this transaction recorded are erased like the others
        Handle h = tx.handle();
        Map<String, String> tables = customerTables(h);
        var unclassified = new TreeSet<>(tables.keySet());
        unclassified.removeAll(RULES.keySet());
        if (!unclassified.isEmpty()) {
            throw new IllegalStateException("Tables " + unclassified + " hold customers' rows but have no erasure rule in PostgresCustomerData.RULES");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        // emails: their attempts first (they reference the email)
        int attempts = h.createUpdate("""
                        DELETE FROM email_attempts a USING outbound_emails m
                        WHERE a.tenant_id = m.tenant_id AND a.email_id = m.id AND m.tenant_id = :tenant AND m.customer_id = :customer""")
                .bind("tenant", tenantId).bind("customer", customerId).execute();
        put(counts, "email_attempts", attempts);
        put(counts, "outbound_emails", delete(h, "outbound_emails", "customer_id", tenantId, customerId));
        // webhook deliveries copy the customer's events into their payloads and name no customer: they go with those
        // events, before the events themselves
        put(counts, "webhook_attempts", h.createUpdate("""
                        DELETE FROM webhook_attempts a USING webhook_deliveries d, domain_events e
                        WHERE a.tenant_id = d.tenant_id AND a.delivery_id = d.id AND d.tenant_id = e.tenant_id AND d.event_id = e.id
                          AND e.tenant_id = :tenant AND e.customer_id = :customer""")
                .bind("tenant", tenantId).bind("customer", customerId).execute());
        put(counts, "webhook_deliveries", h.createUpdate("""
                        DELETE FROM webhook_deliveries d USING domain_events e
                        WHERE d.tenant_id = e.tenant_id AND d.event_id = e.id AND e.tenant_id = :tenant AND e.customer_id = :customer""")
                .bind("tenant", tenantId).bind("customer", customerId).execute());
        var deletions = new java.util.ArrayList<>(DELETE_FIRST);
        tables.keySet().stream().filter(t -> RULES.get(t) == Rule.DELETE && !DELETE_FIRST.contains(t)).sorted().forEach(deletions::add);
        for (String table : deletions) {
            if (tables.containsKey(table)) {
                put(counts, table, delete(h, table, tables.get(table), tenantId, customerId));
            }
        }
        // saved payment methods: those no payment names go; the others stay as the payments' record, token and address gone
        put(counts, "payment_methods", h.createUpdate("""
                        DELETE FROM payment_methods pm WHERE pm.tenant_id = :tenant AND pm.customer_id = :customer
                          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = pm.tenant_id AND p.method_id = pm.id)""")
                .bind("tenant", tenantId).bind("customer", customerId).execute()
                + h.createUpdate("""
                        UPDATE payment_methods SET token = 'erased', billing_address = NULL, mandate_reference = NULL, status = 'removed',
                            priority = NULL, updated_at = :at
                        WHERE tenant_id = :tenant AND customer_id = :customer""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("at", Rows.utc(at)).execute());
        // the audit trail keeps who did what when; its snapshots lose what the customer row loses
        put(counts, "audit_events", h.createUpdate("""
                        UPDATE audit_events SET
                            before = (SELECT jsonb_object_agg(k, v) FROM jsonb_each(before) AS f(k, v) WHERE k = ANY (:kept)),
                            after = (SELECT jsonb_object_agg(k, v) FROM jsonb_each(after) AS f(k, v) WHERE k = ANY (:kept))
                        WHERE tenant_id = :tenant AND object_type = 'customer' AND object_id = :customer
                          AND (jsonb_typeof(before) = 'object' OR jsonb_typeof(after) = 'object')""")
                .bind("tenant", tenantId).bind("customer", customerId).bindArray("kept", String.class, (Object[]) KEPT_CUSTOMER_FIELDS).execute()
                + h.createUpdate("""
                        UPDATE audit_events SET before = NULL, after = NULL
                        WHERE tenant_id = :tenant AND object_type <> 'customer' AND NOT (object_type = ANY (:keptObjects))
                          AND (before ->> 'customer_id' = :customer OR after ->> 'customer_id' = :customer)""")
                .bind("tenant", tenantId).bind("customer", customerId).bindArray("keptObjects", String.class, (Object[]) KEPT_AUDIT_OBJECTS)
                .execute());
        tx.forget(new PostgresCustomers.Key(tenantId, customerId));
        put(counts, "customers", h.createUpdate("""
                        UPDATE customers SET billing_emails = '{}', external_id = NULL, metadata = '{}', erased_at = :at, updated_at = :at,
                            version = version + 1
                        WHERE tenant_id = :tenant AND id = :customer""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("at", Rows.utc(at)).execute());
        return counts;
    }

    private static void put(Map<String, Integer> counts, String table, int n) {
        if (n > 0) {
            counts.merge(table, n, Integer::sum);
        }
    }

    /** Deletes the customer's rows of {@code table}, found by its customer_id, else through its subscriptions. */
    private static int delete(Handle h, String table, String column, String tenantId, String customerId) {
        String where = column.equals("customer_id") ? "customer_id = :customer"
                : "subscription_id IN (SELECT id FROM subscriptions WHERE tenant_id = :tenant AND customer_id = :customer)";
        return h.createUpdate("DELETE FROM " + table + " WHERE tenant_id = :tenant AND " + where)
                .bind("tenant", tenantId).bind("customer", customerId).execute();
    }

    /** Tables holding a customer's rows and the column that names them (customer_id, else subscription_id). */
    private static Map<String, String> customerTables(Handle h) {
        return h.createQuery("""
                        SELECT table_name, min(column_name) FROM information_schema.columns
                        WHERE table_schema = current_schema() AND column_name IN ('customer_id', 'subscription_id')
                          AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
                          -- a partitioned table's partitions hold its rows: read and erased through the table itself
                          AND table_name NOT IN (SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                                 WHERE n.nspname = current_schema() AND c.relispartition)
                          AND table_name IN (SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'tenant_id')
                        GROUP BY table_name""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    }

    /**
     * The customer row, then every table with the customer's rows (by customer_id, else through its subscriptions),
     * then the rows under its invoices, credit notes and emails (lines, attempts), each ordered by its columns.
     */
    @Override
    public void export(String tenantId, String customerId, ExportSink sink) {
        Handle h = tx.handle();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("customers", "tenant_id = :tenant AND id = :customer");
        customerTables(h).forEach((table, column) -> sources.put(table, column.equals("customer_id") ? "tenant_id = :tenant AND customer_id = :customer"
                : "tenant_id = :tenant AND subscription_id IN (SELECT id FROM subscriptions WHERE tenant_id = :tenant AND customer_id = :customer)"));
        sources.put("invoice_lines", "tenant_id = :tenant AND invoice_id IN (SELECT id FROM invoices WHERE tenant_id = :tenant AND customer_id = :customer)");
        sources.put("credit_note_lines",
                "tenant_id = :tenant AND credit_note_id IN (SELECT id FROM credit_notes WHERE tenant_id = :tenant AND customer_id = :customer)");
        sources.put("email_attempts", "tenant_id = :tenant AND email_id IN (SELECT id FROM outbound_emails WHERE tenant_id = :tenant AND customer_id = :customer)");
        for (var source : sources.entrySet()) {
            String table = source.getKey();
            List<String> columns = h.createQuery("""
                            SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = :table
                              AND NOT (column_name = ANY (:secret)) ORDER BY ordinal_position""")
                    .bind("table", table).bindArray("secret", String.class, (Object[]) SECRET_COLUMNS).mapTo(String.class).list();
            if (columns.isEmpty()) {
                continue;
            }
            sink.table(table, columns);
            h.createQuery("SELECT CAST(to_jsonb(t) - CAST(:secret AS text[]) AS text) FROM " + table + " t WHERE " + source.getValue()
                            + " ORDER BY " + String.join(", ", columns.stream().map(c -> "t." + c).limit(3).toList()))
                    .bind("tenant", tenantId).bind("customer", customerId).bindArray("secret", String.class, (Object[]) SECRET_COLUMNS)
                    .setFetchSize(1000)
                    .mapTo(String.class)
                    .useStream(rows -> rows.forEach(sink::row));
        }
    }

    @Override
    public int pruneJobHistory(Instant before) {
        return tx.handle().createUpdate("DELETE FROM scheduled_job_runs WHERE started_at < :before").bind("before", Rows.utc(before)).execute();
    }
}
