package dev.accrue.bench;

import dev.accrue.app.auth.Caller;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * How fast a billing run invoices due subscriptions on this machine: for each N, N subscriptions (monthly,
 * quarterly and yearly, three plans) are due today; the run claims them in batches with SKIP LOCKED, rates
 * them and writes and finalizes one invoice each. Set-up rows are bulk-inserted with SQL so only the run is
 * timed. Prints invoices/s per N and the CPU per invoice of PostgreSQL and of this JVM (which a busy machine distorts far
 * less); with {@code BENCH_STATEMENTS=1} also the statements sent per subscription.
 */
public final class BillingRunBenchmark {
    private static final String CATALOG = """
            name: bench
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: app, name: App }
            plans:
              - { code: basic, product: app, name: Basic, tier: 1, intervals: [{ interval: month }, { interval: quarter, discount_percent: 5 }, { interval: year, discount_percent: 10 }],
                  charges: [{ type: recurring, code: base, name: Basic, monthly_price: { USD: "10.00" } }] }
              - { code: plus, product: app, name: Plus, tier: 2, intervals: [{ interval: month }, { interval: quarter, discount_percent: 5 }, { interval: year, discount_percent: 10 }],
                  charges: [{ type: recurring, code: base, name: Plus, monthly_price: { USD: "20.00" } }, { type: recurring, code: seats, name: Seats, monthly_price: { USD: "4.99" } }] }
              - { code: pro, product: app, name: Pro, tier: 3, intervals: [{ interval: month }, { interval: quarter, discount_percent: 5 }, { interval: year, discount_percent: 10 }],
                  charges: [{ type: recurring, code: base, name: Pro, monthly_price: { USD: "40.00" } }] }
            """;

    private BillingRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 100_000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Path dir = BenchDirs.directory("accrue-bench-");
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of()).withDataDir(dir);
        System.out.printf("Billing run benchmark: %d cores, JDK %s, embedded PostgreSQL under %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), dir);
        // CPU per invoice depends far less on what else runs on the machine than invoices/s does
        System.out.printf("%10s %12s %12s %14s %22s %16s%n", "subs", "invoices", "seconds", "invoices/s", "PostgreSQL CPU ms/inv", "JVM CPU ms/inv");
        try (Accrue accrue = Accrue.open(config, Clock.systemUTC())) {
            StatementCounter statements = StatementCounter.attachIfAsked(accrue.database().jdbi());
            for (int n : sizes) {
                var tenant = accrue.services().tenants().create("bench " + n + " " + System.nanoTime(), TenantMode.SANDBOX).tenant();
                accrue.services().catalogs().importCatalog(Caller.operator(tenant.id()), "bench.yaml", CATALOG);
                seed(accrue, tenant.id(), n);
                if (statements != null) {
                    statements.reset();
                }
                long postgresCpuBefore = BenchNode.postgresCpuMillis(accrue);
                long jvmCpuBefore = BenchNode.jvmCpuMillis();
                long start = System.nanoTime();
                int issued = accrue.services().billing().runDue(500);
                double seconds = (System.nanoTime() - start) / 1e9;
                double postgresCpu = (BenchNode.postgresCpuMillis(accrue) - postgresCpuBefore) / (double) issued;
                double jvmCpu = (BenchNode.jvmCpuMillis() - jvmCpuBefore) / (double) issued;
                long stored = accrue.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM invoices WHERE tenant_id = :t")
                        .bind("t", tenant.id()).mapTo(Long.class).one());
                if (stored != n || issued != n) {
                    throw new IllegalStateException("expected " + n + " invoices, issued " + issued + ", stored " + stored);
                }
                System.out.printf("%10d %12d %12.2f %14.0f %22.3f %16.3f%n", n, issued, seconds, issued / seconds, postgresCpu, jvmCpu);
                if (statements != null) {
                    statements.print(n, "subscription");
                }
            }
        }
    }

    private static void seed(Accrue accrue, String tenantId, int n) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        accrue.database().jdbi().useTransaction(h -> {
            BenchCustomers.insert(h, tenantId, n, 30);
            h.createUpdate("""
                    INSERT INTO subscriptions (tenant_id, id, customer_id, catalog_version, plan_code, billing_interval, alignment, start_date,
                      anchor, next_bill_date, created_at, updated_at, version)
                    SELECT :t, 'sub_' || :t || '_' || i, 'cus_' || :t || '_' || i, 1, (ARRAY['basic', 'plus', 'pro'])[1 + i % 3],
                      (ARRAY['month', 'quarter', 'year'])[1 + (i / 3) % 3], 'anniversary', :today, :today, :today, now(), now(), 1
                    FROM generate_series(1, :n) i""").bind("t", tenantId).bind("n", n).bind("today", today).execute();
        });
    }
}
