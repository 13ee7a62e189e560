package dev.accrue.bench;

import org.jdbi.v3.core.Handle;

/**
 * Seeds N billable customers straight into the database (ids {@code cus_<tenant>_<i>}), so that benchmarks of billing
 * runs and collection measure the run, not the API calls that would create them.
 */
final class BenchCustomers {
    private BenchCustomers() {
    }

    /** N US-dollar, UTC, postpaid auto-pay customers paying {@code netDays} after issue. */
    static void insert(Handle h, String tenantId, int n, int netDays) {
        h.createUpdate("""
                INSERT INTO customers (tenant_id, id, legal_name, billing_emails, billing_address, currency, time_zone, collection_method,
                  net_days, account_type, metadata, created_at, updated_at, version)
                SELECT :t, 'cus_' || :t || '_' || i, 'Bench customer ' || i, ARRAY['billing@bench.example'],
                  '{"line1": "1 Bench St", "city": "Benchville", "country": "US"}', 'USD', 'UTC', 'auto_pay', :netDays, 'postpaid', '{}', now(), now(), 1
                FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", n).bind("netDays", netDays).execute();
    }
}
