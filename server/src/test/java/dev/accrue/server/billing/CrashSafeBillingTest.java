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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A billing step that dies half-way leaves nothing behind, and the next run does the whole job. */
class CrashSafeBillingTest {

    @Test
    void aCrashAfterInvoicesWereWrittenRollsEverythingBackAndARerunCompletes() {
        Services services = TestNode.get().accrue().services();
        var tenant = TestNode.get().newTenant("crash");
        Caller caller = Caller.operator(tenant.id());
        tenant.api().postYaml("/v1/catalog/versions", SubscriptionLifecycleTest.TIERS);
        var customer = services.customers().create(caller, new CustomerDraft(null, "Crash Co", List.of("a@crash.example"),
                new CustomerDraft.AddressDraft("1 St", null, "Town", null, null, "US"), "USD", "UTC", null, null, null, null, null, null, null));
        var sub = services.subscriptions().createWithoutBilling(caller,
                new CreateSubscription(customer.id(), "basic", "month", LocalDate.now(ZoneOffset.UTC).minusMonths(5), 0, "anniversary", null));

        assertThatThrownBy(() -> services.tx().run(() -> {
            assertThat(services.billing().billDue(tenant.id(), sub.id())).hasSize(6);
            throw new IllegalStateException("power cut after the invoices were written");
        })).hasMessageContaining("power cut");

        var none = services.invoices().list(caller, new InvoiceQuery(null, sub.id(), null, null, null), PageRequest.first(100));
        assertThat(none.items()).isEmpty();
        assertThat(services.subscriptions().get(caller, sub.id()).billedThrough()).isNull();

        assertThat(services.billing().billDue(tenant.id(), sub.id())).hasSize(6);
        var all = services.invoices().list(caller, new InvoiceQuery(null, sub.id(), null, null, null), PageRequest.first(100)).items();
        assertThat(all).extracting(i -> i.number()).containsExactlyInAnyOrder(
                "INV-000001", "INV-000002", "INV-000003", "INV-000004", "INV-000005", "INV-000006");
        assertThat(services.billing().billDue(tenant.id(), sub.id())).isEmpty();
    }
}
