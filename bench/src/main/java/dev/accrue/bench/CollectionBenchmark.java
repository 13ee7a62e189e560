package dev.accrue.bench;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;

import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast collection charges finalized invoices with the sandbox gateway: for each N, N auto-pay customers with a
 * saved card each get an invoice from a billing run (not timed); then one collection run charges them all — per
 * invoice a pending payment committed before the gateway call, the sandbox's own idempotent books, and the
 * outcome's transaction (invoice paid, receipt numbered and queued, events). Prints invoices/s per N, the SQL statements sent
 * per invoice, and checks that the sandbox moved exactly N charges.
 */
public final class CollectionBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
            plans:
              - { code: basic, product: app, name: Basic, tier: 1, intervals: [{ interval: month }],
                  charges: [{ type: recurring, code: base, name: Basic, monthly_price: { USD: "10.00" } }] }
            """;

    private CollectionBenchmark() {
    }

    /**
     * Counts the SQL statements the collection run sends (a JDBI prepared batch counts once: it is one round trip),
     * apart: Accrue's own, and the sandbox gateway's books (which a real gateway keeps on its side of the network).
     */
    private static final class StatementCounter implements SqlLogger {
        private final LongAdder accrue = new LongAdder();
        private final LongAdder gateway = new LongAdder();

        @Override
        public void logAfterExecution(StatementContext context) {
            String sql = context.getRawSql();
            (sql != null && (sql.contains("sandbox_") || sql.contains("synchronous_commit")) ? gateway : accrue).increment();
        }

        @Override
        public void logException(StatementContext context, SQLException ex) {
            logAfterExecution(context);
        }

        long accrue() {
            return accrue.sum();
        }

        long gateway() {
            return gateway.sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Path dir = BenchDirs.directory("accrue-bench-");
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of()).withDataDir(dir);
        System.out.printf("Collection benchmark (sandbox gateway): %d cores, JDK %s, embedded PostgreSQL under %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), dir);
        System.out.printf("%10s %12s %12s %14s %14s %14s%n", "invoices", "paid", "seconds", "invoices/s", "stmts/invoice", "gateway stmts");
        try (Accrue accrue = Accrue.open(config, Clock.systemUTC())) {
            for (int n : sizes) {
                var tenant = accrue.services().tenants().create("bench " + n + " " + System.nanoTime(), TenantMode.SANDBOX).tenant();
                accrue.services().catalogs().importCatalog(Caller.operator(tenant.id()), "bench.yaml", CATALOG);
                seed(accrue, tenant.id(), n);
                int issued = accrue.services().billing().runDue(500);
                if (issued != n) {
                    throw new IllegalStateException("expected " + n + " invoices, issued " + issued);
                }
                StatementCounter counter = new StatementCounter();
                accrue.database().jdbi().getConfig(SqlStatements.class).setSqlLogger(counter);
                long start = System.nanoTime();
                accrue.services().collections().runDue(500, CollectionRunner.DEFAULT_STALE_AFTER);
                double seconds = (System.nanoTime() - start) / 1e9;
                accrue.database().jdbi().getConfig(SqlStatements.class).setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
                long paid = accrue.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM invoices WHERE tenant_id = :t AND status = 'paid'")
                        .bind("t", tenant.id()).mapTo(Long.class).one());
                long charges = accrue.database().jdbi().withHandle(h -> h.createQuery(
                                "SELECT count(*) FROM sandbox_movements WHERE kind = 'charge' AND token LIKE :prefix")
                        .bind("prefix", "tok_" + tenant.id() + "_%").mapTo(Long.class).one());
                if (paid != n || charges != n) {
                    throw new IllegalStateException("expected " + n + " paid invoices and charges, got " + paid + " and " + charges);
                }
                System.out.printf("%10d %12d %12.2f %14.0f %14.1f %14.1f%n", n, paid, seconds, paid / seconds, counter.accrue() / (double) n,
                        counter.gateway() / (double) n);
            }
        }
    }

    /** N auto-pay customers, each with an attached sandbox card (saved as a payment method) and a monthly subscription due today. */
    private static void seed(Accrue accrue, String tenantId, int n) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        accrue.database().jdbi().useTransaction(h -> {
            BenchCustomers.insert(h, tenantId, n, 0);
            h.createUpdate("""
                    INSERT INTO sandbox_tokens (token, kind, brand, last4, exp_month, exp_year, behaviour, gateway_customer, created_at)
                    SELECT 'tok_' || :t || '_' || i, 'card', 'visa', '4242', 12, 2030, 'succeed', 'scus_' || :t || '_' || i, now()
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", n).execute();
            h.createUpdate("""
                    INSERT INTO gateway_customers (tenant_id, customer_id, gateway, reference)
                    SELECT :t, 'cus_' || :t || '_' || i, 'sandbox', 'scus_' || :t || '_' || i FROM generate_series(1, :n) i""")
                    .bind("t", tenantId).bind("n", n).execute();
            h.createUpdate("""
                    INSERT INTO payment_methods (tenant_id, id, customer_id, gateway, token, kind, brand, last4, exp_month, exp_year, priority, status,
                      created_at, updated_at)
                    SELECT :t, 'pm_' || :t || '_' || i, 'cus_' || :t || '_' || i, 'sandbox', 'tok_' || :t || '_' || i, 'card', 'visa', '4242', 12, 2030, 1,
                      'active', now(), now()
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", n).execute();
            h.createUpdate("""
                    INSERT INTO subscriptions (tenant_id, id, customer_id, catalog_version, plan_code, billing_interval, alignment, start_date,
                      anchor, next_bill_date, created_at, updated_at, version)
                    SELECT :t, 'sub_' || :t || '_' || i, 'cus_' || :t || '_' || i, 1, 'basic', 'month', 'anniversary', :today, :today, :today, now(), now(), 1
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", n).bind("today", today).execute();
        });
    }
}
