package dev.accrue.server.billing;

import dev.accrue.adapters.postgres.PostgresCredits;
import dev.accrue.adapters.postgres.PostgresPendingItems;
import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A billing batch reads and writes across its subscriptions (issue 18 point 1): what it learns at claim time (which
 * subscriptions have nothing parked), what it writes before commit (events, audit) and the invoices it inserts final
 * must bill exactly as one subscription at a time did — parked items on their invoice, gapless numbers, every event.
 */
class BatchedBillingRunTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aBatchBillsParkedItemsNumbersGaplesslyAndRecordsEveryEventAndAuditEntry() {
        var tenant = TestNode.get().newTenant("batched billing");
        List<String[]> subs = unbilledSubscriptions(tenant, 4);
        String parkedOn = subs.get(1)[0];
        services.tx().run(() -> new PostgresPendingItems(services.tx()).add(tenant.id(), parkedOn, subs.get(1)[1], line("Parked setup fee", "12.50"),
                Instant.now()));
        String credited = subs.get(2)[1];
        services.tx().run(() -> new PostgresCredits(services.tx()).append(tenant.id(), credit(credited, "5.00")));

        int issued = services.billing().runDue(500);

        assertThat(issued).isGreaterThanOrEqualTo(4);
        var jdbi = TestNode.get().accrue().database().jdbi();
        List<String> numbers = jdbi.withHandle(h -> h.createQuery("SELECT number FROM invoices WHERE tenant_id = :t ORDER BY number")
                .bind("t", tenant.id()).mapTo(String.class).list());
        List<String> gapless = new ArrayList<>();
        for (int i = 1; i <= numbers.size(); i++) {
            gapless.add("INV-%06d".formatted(i));
        }
        assertThat(numbers).isEqualTo(gapless);
        long parkedLines = jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM invoice_lines l JOIN pending_items p ON p.tenant_id = l.tenant_id AND p.invoice_id = l.invoice_id
                        WHERE l.tenant_id = :t AND p.subscription_id = :s AND l.description = 'Parked setup fee'""")
                .bind("t", tenant.id()).bind("s", parkedOn).mapTo(Long.class).one());
        assertThat(parkedLines).isEqualTo(1);
        // the customer with credit has it consumed by its invoice; the others, known to have none, consume nothing
        List<String> consumedBy = jdbi.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT customer_id FROM customer_credit_entries WHERE tenant_id = :t AND kind = 'applied'")
                .bind("t", tenant.id()).mapTo(String.class).list());
        assertThat(consumedBy).containsExactly(credited);
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND type = 'invoice.finalized'", tenant.id())).isEqualTo(numbers.size());
        assertThat(count("SELECT count(*) FROM domain_events WHERE tenant_id = :t AND type = 'invoice.created'", tenant.id())).isEqualTo(numbers.size());
        assertThat(count("SELECT count(*) FROM audit_events WHERE tenant_id = :t AND action = 'invoice.finalized'", tenant.id())).isEqualTo(numbers.size());
        assertThat(count("SELECT count(*) FROM invoices WHERE tenant_id = :t AND (status <> 'finalized' OR finalized_at IS NULL)", tenant.id())).isZero();
    }

    @Test
    void whatAClaimLearnsIsForgottenWhenTheBatchAddsARow() {
        var tenant = TestNode.get().newTenant("batched billing learns");
        List<String[]> subs = unbilledSubscriptions(tenant, 2);
        var tx = services.tx();
        services.tx().run(() -> new PostgresPendingItems(tx).add(tenant.id(), subs.get(1)[0], subs.get(1)[1], line("Parked", "3.00"), Instant.now()));
        List<Integer> credits = new ArrayList<>();
        List<List<InvoiceLine>> seen = tx.rolledBack(() -> {
            var pending = new PostgresPendingItems(tx);
            var credit = new PostgresCredits(tx);
            var claimed = new PostgresSubscriptions(tx).claimDue(Instant.now(), 500, Set.of());
            assertThat(claimed).extracting(d -> d.subscriptionId()).contains(subs.get(0)[0], subs.get(1)[0]);
            List<InvoiceLine> none = pending.open(tenant.id(), subs.get(0)[0]);
            pending.add(tenant.id(), subs.get(0)[0], subs.get(0)[1], line("Added in the batch", "1.00"), Instant.now());
            credits.add(credit.entries(tenant.id(), subs.get(0)[1]).size());
            credit.append(tenant.id(), credit(subs.get(0)[1], "2.00"));
            credits.add(credit.entries(tenant.id(), subs.get(0)[1]).size());
            return List.of(none, pending.open(tenant.id(), subs.get(0)[0]), pending.open(tenant.id(), subs.get(1)[0]));
        });
        assertThat(credits).containsExactly(0, 1);
        assertThat(seen.get(0)).isEmpty();
        assertThat(seen.get(1)).extracting(InvoiceLine::description).containsExactly("Added in the batch");
        assertThat(seen.get(2)).extracting(InvoiceLine::description).containsExactly("Parked");
    }

    private long count(String sql, String tenantId) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(sql).bind("t", tenantId).mapTo(Long.class).one());
    }

    private static CreditEntry credit(String customerId, String amount) {
        return new CreditEntry(Ids.next("ccr"), customerId, new Money(new BigDecimal(amount), Currency.getInstance("USD")), CreditEntry.GRANTED,
                Ids.next("src"), "Goodwill", Instant.now());
    }

    private static InvoiceLine line(String description, String amount) {
        Money money = new Money(new BigDecimal(amount), Currency.getInstance("USD"));
        return new InvoiceLine("one_off", null, description, null, BigDecimal.ONE, money, money);
    }

    /** {subscription id, customer id} of {@code n} real-time subscriptions due today. */
    private List<String[]> unbilledSubscriptions(TestNode.TestTenant tenant, int n) {
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String[]> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var customer = services.customers().create(caller, new CustomerDraft(null, "Batch " + i, List.of("billing@batch.example"),
                    new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                    null, null, null, null));
            ids.add(new String[] {services.subscriptions().createWithoutBilling(caller,
                    new CreateSubscription(customer.id(), "basic", "month", today.minusMonths(1), 0, "calendar", null)).id(), customer.id()});
        }
        return ids;
    }
}
