package dev.accrue.server.billing;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consolidated invoicing (issue 16 point 13) is decided in one place, so the two ways a real-time subscription is billed —
 * the billing run's batches (claimed with SKIP LOCKED, many subscriptions per transaction) and one subscription at a time
 * (its own transaction, as after a change) — put two consolidated children's month on the same parent invoice, line for
 * line; and billing again (a rerun, a second node) adds nothing.
 */
class ConsolidatedBillingPathsTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void theBatchAndTheSinglePathIssueTheSameConsolidatedInvoicesExactlyOnce() {
        var tenant = TestNode.get().newTenant("consolidated paths");
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        String batchParent = customer(caller, "Batch Parent", null);
        List<String> batchSubs = List.of(subscription(caller, customer(caller, "Batch Child A", batchParent)),
                subscription(caller, customer(caller, "Batch Child B", batchParent)));
        String soloParent = customer(caller, "Solo Parent", null);
        List<String> soloSubs = List.of(subscription(caller, customer(caller, "Solo Child A", soloParent)),
                subscription(caller, customer(caller, "Solo Child B", soloParent)));

        // the single path: each child of one parent in its own transaction, then the drafts finalized
        for (String sub : soloSubs) {
            services.billing().billDue(tenant.id(), sub);
        }
        services.billing().finalizeDueDrafts(500);
        // the batch path: the billing run claims the other parent's children (the solo ones are billed up to today)
        services.billing().runDue(500);
        List<String> batch = invoices(caller, batchParent);
        assertThat(batch).isNotEmpty().isEqualTo(invoices(caller, soloParent));

        // billed again by either path (a rerun, a second node): nothing more
        services.billing().runDue(500);
        for (String sub : List.of(batchSubs.getFirst(), batchSubs.getLast(), soloSubs.getFirst())) {
            services.billing().billDue(tenant.id(), sub);
        }
        services.billing().finalizeDueDrafts(500);
        assertThat(invoices(caller, batchParent)).isEqualTo(batch);
        assertThat(invoices(caller, soloParent)).isEqualTo(batch);
        // every invoice of the tenant final, numbered without a gap
        List<String> numbers = services.invoices().list(caller, new InvoiceQuery(null, null, null, null, null), PageRequest.first(100)).items()
                .stream().map(Invoice::number).sorted().toList();
        List<String> gapless = new ArrayList<>();
        for (int i = 1; i <= numbers.size(); i++) {
            gapless.add("INV-%06d".formatted(i));
        }
        assertThat(numbers).isEqualTo(gapless).hasSize(2 * batch.size());
    }

    @Test
    void aChildBilledAfterItsParentsInvoiceOfTheDayWasFinalizedGoesOnASecondOneAndTheFirstNeverChanges() {
        var tenant = TestNode.get().newTenant("consolidated late child");
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        String parent = customer(caller, "Late Parent", null);
        String early = subscription(caller, customer(caller, "Early Child", parent));
        String late = subscription(caller, customer(caller, "Late Child", parent));
        services.billing().billDue(tenant.id(), early);
        services.billing().finalizeDueDrafts(500);
        List<Invoice> first = all(caller, parent);
        services.billing().billDue(tenant.id(), late);
        services.billing().finalizeDueDrafts(500);
        List<Invoice> after = all(caller, parent);
        assertThat(after).hasSize(2 * first.size());
        // the first ones are as they were, numbers and totals; each day's second one holds the late child alone
        assertThat(after).containsAll(first);
        for (Invoice i : after) {
            String child = first.stream().anyMatch(f -> f.id().equals(i.id())) ? "Early Child" : "Late Child";
            assertThat(i.lines()).isNotEmpty().allMatch(l -> l.section().name().equals(child));
            assertThat(i.billingKey()).endsWith(child.equals("Early Child") ? ":1" : ":2");
        }
    }

    @Test
    void aStepThatDiesAfterAddingItsSectionLeavesNothingAndItsRetryBillsTheSectionOnce() {
        var tenant = TestNode.get().newTenant("consolidated crash");
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        String parent = customer(caller, "Crash Parent", null);
        String sub = subscription(caller, customer(caller, "Crash Child", parent));
        // the step wrote its section (and the parent's draft) and dies before its commit, as a killed node's would
        AtomicReference<Integer> sections = new AtomicReference<>();
        assertThatThrownBy(() -> services.tx().run(() -> {
            services.billing().billDue(tenant.id(), sub);
            sections.set(all(caller, parent).size());
            throw new IllegalStateException("node killed");
        })).hasMessage("node killed");
        assertThat(sections.get()).isPositive();
        assertThat(all(caller, parent)).isEmpty();
        services.billing().billDue(tenant.id(), sub);
        services.billing().billDue(tenant.id(), sub);
        services.billing().finalizeDueDrafts(500);
        List<Invoice> billed = all(caller, parent);
        assertThat(billed).hasSize(sections.get()).allMatch(i -> i.status() == InvoiceStatus.FINALIZED && i.billingKey().endsWith(":1"));
    }

    private List<Invoice> all(Caller caller, String customerId) {
        return services.invoices().list(caller, new InvoiceQuery(customerId, null, null, null, null), PageRequest.first(100)).items();
    }

    private String customer(Caller caller, String name, String parentId) {
        return services.customers().create(caller, new CustomerDraft(null, name, List.of("billing@paths.example"),
                new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                null, null, null, null, null, parentId, parentId == null ? null : "consolidated")).id();
    }

    /** A real-time subscription that started a month ago and was never billed: due now. */
    private String subscription(Caller caller, String customerId) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return services.subscriptions().createWithoutBilling(caller,
                new CreateSubscription(customerId, "basic", "month", today.minusMonths(1), 0, "calendar", null)).id();
    }

    /** "issue date status subtotal total [child n: kind amount, …]" per invoice of the parent, oldest first; children numbered by order. */
    private List<String> invoices(Caller caller, String parentId) {
        List<String> out = new ArrayList<>();
        List<Invoice> all = new ArrayList<>(services.invoices().list(caller, new InvoiceQuery(parentId, null, null, null, null), PageRequest.first(100))
                .items());
        all.sort(Comparator.comparing(Invoice::issueDate).thenComparing(Invoice::id));
        for (Invoice i : all) {
            assertThat(i.status()).isEqualTo(InvoiceStatus.FINALIZED);
            List<String> children = i.lines().stream().map(InvoiceLine::section).filter(Objects::nonNull).map(s -> s.customerId()).distinct().toList();
            assertThat(children).as("a section per child").hasSize(2);
            List<String> lines = i.lines().stream().map(l -> "child " + children.indexOf(l.section().customerId()) + ": " + l.kind() + " "
                                                            + l.amount().toPlainMinorString()).toList();
            out.add(i.issueDate() + " " + i.status() + " " + i.subtotal().toPlainMinorString() + " " + i.total().toPlainMinorString() + " " + lines);
        }
        return out;
    }
}
