package dev.accrue.server.billing;

import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingPaths;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 18 point 1: a claimed billing batch writes its invoices, their lines and their outbox events with one statement
 * per kind for the whole batch ({@code InvoiceWrites}, {@code JdbiTransactions.writeBehind}), and a normal run takes that
 * path rather than silently falling back to one subscription per transaction (each path bills correctly, so only the
 * /metrics counters of {@link BillingPaths} and the statements sent tell them apart). A batch that dies half-way, or
 * whose billing key another transaction invoiced behind its back, leaves nothing behind, and a rerun bills every period
 * once with gapless numbers.
 */
class BillingBatchPathTest {
    private final Services services = TestNode.get().accrue().services();
    private final Jdbi jdbi = TestNode.get().accrue().database().jdbi();

    @Test
    void aRunBillsItsBatchWithOneStatementPerKindAndDoesNotFallBack() {
        var tenant = TestNode.get().newTenant("batch path");
        int subscriptions = 30;
        unbilledSubscriptions(tenant, subscriptions);
        Map<String, Double> before = counters();

        Map<String, Integer> statements = new ConcurrentHashMap<>();
        int issued = countingStatements(statements, () -> services.billing().runDue(500));

        assertThat(delta(before)).containsEntry("fallbacks", 0.0).containsEntry(BillingPaths.ONE_AT_A_TIME, 0.0);
        assertThat(delta(before).get(BillingPaths.BATCH)).isGreaterThanOrEqualTo(subscriptions);
        long invoices = count("SELECT count(*) FROM invoices WHERE tenant_id = :t", tenant.id());
        assertThat(invoices).isGreaterThanOrEqualTo(subscriptions);
        assertThat(issued).isGreaterThanOrEqualTo((int) invoices);
        // one batch (fewer due than its size): one insert of invoices, of lines and of events, whatever the number of invoices
        assertThat(startingWith(statements, "INSERT INTO invoices ")).as("statements by SQL: %s", statements).isEqualTo(1);
        assertThat(startingWith(statements, "INSERT INTO invoice_lines ")).as("statements by SQL: %s", statements).isEqualTo(1);
        assertThat(startingWith(statements, "INSERT INTO domain_events ")).as("statements by SQL: %s", statements).isEqualTo(1);
        int total = statements.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("statements of the whole run, by SQL: %s", statements).isLessThan(subscriptions);
        assertThat(count("SELECT count(*) FROM invoice_lines WHERE tenant_id = :t", tenant.id())).isGreaterThanOrEqualTo(invoices);
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND type IN ('invoice.created', 'invoice.finalized')", tenant.id()))
                .isEqualTo(2 * invoices);
        assertGapless(tenant.id());
    }

    @Test
    void aBatchThatDiesHalfWayLeavesNothingAndARerunBillsEveryPeriodOnceGapless() {
        var tenant = TestNode.get().newTenant("batch crash");
        Caller caller = Caller.operator(tenant.id());
        List<String> subs = unbilledSubscriptions(tenant, 6);
        List<Integer> seenInBatch = new ArrayList<>();

        assertThatThrownBy(() -> services.tx().run(() -> {
            var claimed = new PostgresSubscriptions(services.tx()).claimDue(Instant.now(), 500, Set.of());
            List<String> ours = claimed.stream().filter(d -> d.tenantId().equals(tenant.id())).map(d -> d.subscriptionId()).toList();
            assertThat(ours).containsExactlyInAnyOrderElementsOf(subs);
            for (int i = 0; i < 3; i++) {
                services.billing().billDue(tenant.id(), ours.get(i));
            }
            // a read inside the batch sees the invoices it has not sent yet: they go out before any other statement
            seenInBatch.add(services.invoices().list(caller, new InvoiceQuery(null, null, null, null, null), PageRequest.first(100)).items().size());
            for (int i = 3; i < ours.size(); i++) {
                services.billing().billDue(tenant.id(), ours.get(i)); // these stay written behind until the crash
            }
            throw new IllegalStateException("power cut half-way through the batch");
        })).hasMessageContaining("power cut");

        assertThat(seenInBatch.getFirst()).isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t", tenant.id())).isZero();
        assertThat(count("SELECT count(*) FROM invoice_lines WHERE tenant_id = :t", tenant.id())).isZero();
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND object_type = 'invoice'", tenant.id())).isZero();
        assertThat(count("SELECT coalesce(max(last_number), 0) FROM invoice_counters WHERE tenant_id = :t", tenant.id())).isZero();
        assertThat(count("SELECT count(*) FROM subscriptions WHERE tenant_id = :t AND billed_through IS NOT NULL", tenant.id())).isZero();

        services.billing().runDue(500);

        long invoices = count("SELECT count(*) FROM invoices WHERE tenant_id = :t", tenant.id());
        assertThat(invoices).isGreaterThanOrEqualTo(6);
        assertThat(count("SELECT count(DISTINCT billing_key) FROM invoices WHERE tenant_id = :t", tenant.id())).isEqualTo(invoices);
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND type = 'invoice.finalized'", tenant.id())).isEqualTo(invoices);
        assertGapless(tenant.id());
        assertThat(services.billing().runDue(500)).as("a rerun finds nothing due").isZero();
    }

    @Test
    void aKeyInvoicedBehindTheBatchsBackFailsTheWholeBatchAndTheRerunBillsTheRestOnce() {
        var tenant = TestNode.get().newTenant("batch key taken");
        List<String> subs = unbilledSubscriptions(tenant, 4);
        String taken = subs.get(2);
        String key = taken + ":" + jdbi.withHandle(h -> h.createQuery("SELECT next_bill_date FROM subscriptions WHERE tenant_id = :t AND id = :id")
                .bind("t", tenant.id()).bind("id", taken).mapTo(LocalDate.class).one());

        assertThatThrownBy(() -> services.tx().run(() -> {
            var claimed = new PostgresSubscriptions(services.tx()).claimDue(Instant.now(), 500, Set.of());
            // another connection ignores the lock and invoices one of the claimed keys (as a bug or an operator's SQL would; without
            // the subscription id, whose foreign key would wait for the claim's lock)
            // (on another thread: on this one JDBI would lend the batch's own handle)
            CompletableFuture.runAsync(() -> jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, billing_key, status, currency, issue_date, due_date,
                              subtotal, total, created_at, finalize_after)
                            SELECT tenant_id, 'inv_behind_' || id, customer_id, NULL, :key, 'draft', 'USD', current_date, current_date, 0, 0, now(),
                              '2100-01-01' FROM subscriptions WHERE tenant_id = :t AND id = :id""")
                    .bind("key", key).bind("t", tenant.id()).bind("id", taken).execute())).join();
            for (var d : claimed) {
                if (d.tenantId().equals(tenant.id())) {
                    services.billing().billDue(d.tenantId(), d.subscriptionId());
                }
            }
        })).hasStackTraceContaining("invoiced concurrently");

        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t", tenant.id())).as("only the one invoiced behind its back").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND object_type = 'invoice'", tenant.id())).isZero();
        assertThat(count("SELECT coalesce(max(last_number), 0) FROM invoice_counters WHERE tenant_id = :t", tenant.id())).isZero();

        services.billing().runDue(500);

        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t AND billing_key = '" + key + "'", tenant.id())).isEqualTo(1);
        // the three others invoiced once each; the taken key stays the one invoice written behind the batch's back
        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t AND status = 'finalized'", tenant.id())).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t", tenant.id()))
                .isEqualTo(count("SELECT count(DISTINCT billing_key) FROM invoices WHERE tenant_id = :t", tenant.id()));
        assertGapless(tenant.id());
    }

    @Test
    void aBatchThatFailsIsCountedAsAFallbackAndItsOtherSubscriptionsOneAtATime() {
        var tenant = TestNode.get().newTenant("batch fallback");
        List<String> subs = unbilledSubscriptions(tenant, 3);
        // the control: a subscription on a plan its catalog does not have cannot be billed, so its batch fails
        String broken = subs.getFirst();
        setPlan(tenant.id(), broken, "no_such_plan");
        try {
            Map<String, Double> before = counters();
            services.billing().runDue(500);
            Map<String, Double> delta = delta(before);
            assertThat(delta.get("fallbacks")).isGreaterThanOrEqualTo(1.0);
            assertThat(delta.get(BillingPaths.ONE_AT_A_TIME)).isGreaterThanOrEqualTo(2.0);
            assertThat(count("SELECT count(DISTINCT subscription_id) FROM invoices WHERE tenant_id = :t", tenant.id())).isEqualTo(2);
        } finally {
            setPlan(tenant.id(), broken, "basic"); // never left due and failing for the runs of other tests
            services.billing().runDue(500);
        }
        assertThat(count("SELECT count(DISTINCT subscription_id) FROM invoices WHERE tenant_id = :t", tenant.id())).isEqualTo(3);
        assertGapless(tenant.id());
    }

    private void setPlan(String tenantId, String subscriptionId, String plan) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE subscriptions SET plan_code = :p WHERE tenant_id = :t AND id = :id")
                .bind("p", plan).bind("t", tenantId).bind("id", subscriptionId).execute());
    }

    /** Runs {@code work}, counting by SQL text the statements this thread sends through JDBI meanwhile. */
    private <T> T countingStatements(Map<String, Integer> counts, Supplier<T> work) {
        SqlStatements config = jdbi.getConfig(SqlStatements.class);
        SqlLogger previous = config.getSqlLogger();
        Thread me = Thread.currentThread();
        config.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                previous.logAfterExecution(context);
                if (Thread.currentThread() == me) {
                    counts.merge(context.getRawSql().strip().replaceAll("\\s+", " "), 1, Integer::sum);
                }
            }
        });
        try {
            return work.get();
        } finally {
            config.setSqlLogger(previous);
        }
    }

    private static int startingWith(Map<String, Integer> statements, String prefix) {
        return statements.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(Map.Entry::getValue).sum();
    }

    private void assertGapless(String tenantId) {
        List<String> numbers = jdbi.withHandle(h -> h.createQuery("SELECT number FROM invoices WHERE tenant_id = :t AND number IS NOT NULL ORDER BY number")
                .bind("t", tenantId).mapTo(String.class).list());
        List<String> gapless = new ArrayList<>();
        for (int i = 1; i <= numbers.size(); i++) {
            gapless.add("INV-%06d".formatted(i));
        }
        assertThat(numbers).isEqualTo(gapless);
        assertThat(count("SELECT coalesce(max(last_number), 0) FROM invoice_counters WHERE tenant_id = :t", tenantId)).isEqualTo(numbers.size());
    }

    private long count(String sql, String tenantId) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("t", tenantId).mapTo(Long.class).one());
    }

    private static double counter(String name, String path) {
        var search = Metrics.globalRegistry.find(name);
        if (path != null) {
            search = search.tag("path", path);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, Double> counters() {
        return Map.of(BillingPaths.BATCH, counter(BillingPaths.SUBSCRIPTIONS, BillingPaths.BATCH),
                BillingPaths.ONE_AT_A_TIME, counter(BillingPaths.SUBSCRIPTIONS, BillingPaths.ONE_AT_A_TIME),
                "fallbacks", counter(BillingPaths.FALLBACKS, null));
    }

    private static Map<String, Double> delta(Map<String, Double> before) {
        Map<String, Double> out = new TreeMap<>();
        counters().forEach((k, v) -> out.put(k, v - before.get(k)));
        return out;
    }

    /** {@code n} real-time subscriptions starting today, their first invoice not issued yet: one invoice each, as in the benchmark. */
    private List<String> unbilledSubscriptions(TestNode.TestTenant tenant, int n) {
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        AtomicInteger i = new AtomicInteger();
        List<String> ids = new ArrayList<>();
        while (i.get() < n) {
            var customer = services.customers().create(caller, new CustomerDraft(null, "Batch " + i.getAndIncrement(), List.of("billing@batch.example"),
                    new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                    null, null, null, null));
            ids.add(services.subscriptions().createWithoutBilling(caller,
                    new CreateSubscription(customer.id(), "basic", "month", today, 0, "calendar", null)).id());
        }
        return ids;
    }
}
