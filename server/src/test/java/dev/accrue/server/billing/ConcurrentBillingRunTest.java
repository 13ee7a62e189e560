package dev.accrue.server.billing;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.server.Services;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several billing runs at once (as several nodes would run them) bill every due period exactly once, and the
 * invoice numbers of the tenant stay gapless: 1..n with no hole and no repeat.
 */
class ConcurrentBillingRunTest {

    @Test
    void parallelRunsInvoiceEachPeriodOnceWithGaplessNumbers() throws Exception {
        Services services = TestNode.get().accrue().services();
        var tenant = TestNode.get().newTenant("concurrent billing");
        Caller caller = Caller.operator(tenant.id());
        tenant.api().postYaml("/v1/catalog/versions", SubscriptionLifecycleTest.TIERS);
        int subscriptions = 40;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // started three months ago and not billed yet: each has 3 or 4 periods due (an in-advance invoice each)
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            var draft = services.customers().create(caller, customerDraft("Parallel " + i));
            int offset = i % 5;
            ids.add(insertUnbilled(services, tenant.id(), draft.id(), today.minusMonths(3).minusDays(offset)));
        }
        List<Callable<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(() -> services.billing().runDue(7));
        }
        int issued = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (Future<Integer> f : pool.invokeAll(runs)) {
                issued += f.get();
            }
        }
        List<dev.accrue.app.invoice.Invoice> invoices = new ArrayList<>();
        PageRequest page = PageRequest.first(100);
        while (true) {
            var batch = services.invoices().list(caller, new InvoiceQuery(null, null, null, null, null), page);
            invoices.addAll(batch.items());
            if (!batch.hasMore()) {
                break;
            }
            page = new PageRequest(100, batch.items().getLast().id());
        }
        List<Long> numbers = new ArrayList<>(invoices.stream().map(inv -> Long.parseLong(inv.number().substring(4))).sorted().toList());
        assertThat(issued).isEqualTo(invoices.size());
        assertThat(invoices).hasSizeGreaterThanOrEqualTo(subscriptions * 3);
        assertThat(new HashSet<>(invoices.stream().map(inv -> inv.billingKey()).toList())).hasSize(invoices.size());
        for (int n = 0; n < numbers.size(); n++) {
            assertThat(numbers.get(n)).isEqualTo(n + 1L);
        }
        assertThat(services.billing().runDue(10)).as("a rerun finds nothing due").isZero();
    }

    private static CustomerDraft customerDraft(String name) {
        return new CustomerDraft(null, name, List.of("billing@parallel.example"),
                new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "anniversary",
                null, null, null, null);
    }

    /** A subscription created through the service but with its first invoice not yet issued, as after an outage. */
    private static String insertUnbilled(Services services, String tenantId, String customerId, LocalDate start) {
        var sub = services.subscriptions().createWithoutBilling(Caller.operator(tenantId),
                new CreateSubscription(customerId, "basic", "month", start, 0, "anniversary", null));
        return sub.id();
    }
}
