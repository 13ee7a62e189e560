package dev.accrue.server.demo;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.pricechange.PriceMigrationRequest;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.server.Services;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The demo data loads every seed vendor's tenant, catalog and customers, and a second load adds nothing. */
class DemoLoaderTest {

    @Test
    void loadsEveryDemoTenantOnceWithItsCatalogAndCustomers() throws Exception {
        Services services = TestNode.get().accrue().services();
        Path dir = Files.createTempDirectory("demo-keys");
        DemoLoader.Result first = new DemoLoader(services, dir).load();
        assertThat(first.tenants()).extracting(t -> t.tenant().name()).containsExactly(
                "Numero CRM (demo)", "VoiceAgent (demo)", "AI Employees (demo)", "User.com (demo)", "CALLR (demo)");
        for (DemoLoader.LoadedTenant t : first.tenants()) {
            Caller operator = Caller.operator(t.tenant().id());
            // Numero ships a second version: a price rise for its existing customers
            assertThat(services.catalogs().versions(operator)).as(t.tenant().name()).hasSize(t.tenant().name().startsWith("Numero") ? 2 : 1);
            var customers = services.customers().list(operator, CustomerQuery.all(), PageRequest.first(100)).items();
            assertThat(customers).hasSize(t.customersTotal());
            String currency = customers.getFirst().currency().getCurrencyCode();
            assertThat(services.catalogs().current(operator, null).catalog().currencies()).as(t.tenant().name()).contains(currency);
        }
        var numero = Caller.operator(first.tenants().getFirst().tenant().id());
        assertThat(services.subscriptions().list(numero, null, PageRequest.first(10)).items()).hasSize(6);
        // Numero's reseller pays for its two clinics (issue 16 point 13): children listed by parent, invoices collected from the parent
        var pinecrest = services.customers().list(numero, new CustomerQuery(null, null, "numero-pinecrest"), PageRequest.first(1)).items().getFirst();
        assertThat(services.customers().list(numero, new CustomerQuery(null, null, null, pinecrest.id()), PageRequest.first(10)).items())
                .extracting(c -> c.legalName() + " " + c.invoicing().wire() + " pays " + (c.payerId().equals(pinecrest.id()) ? "reseller" : c.payerId()))
                .containsExactlyInAnyOrder("Pinecrest Dental North separate pays reseller", "Pinecrest Dental South separate pays reseller",
                        "Pinecrest Dental West consolidated pays reseller", "Pinecrest Dental East consolidated pays reseller");
        // the consolidated clinics' charges are sections of the reseller's invoices, one per billing date
        var resellerInvoices = services.invoices().list(numero, new dev.accrue.app.invoice.InvoiceQuery(pinecrest.id(), null, null, null, null),
                PageRequest.first(10)).items();
        assertThat(resellerInvoices).isNotEmpty().allSatisfy(i -> assertThat(i.lines()).allMatch(l -> l.section() != null));
        assertThat(resellerInvoices.stream().flatMap(i -> i.lines().stream()).map(l -> l.section().name()).distinct())
                .containsExactlyInAnyOrder("Pinecrest Dental West", "Pinecrest Dental East");
        assertThat(services.invoices().list(numero, new dev.accrue.app.invoice.InvoiceQuery(null, null, null, null, null), PageRequest.first(10)).items())
                .as("the demo subscriptions started weeks ago are billed up to today").hasSizeGreaterThanOrEqualTo(3);
        // Numero shows a dated upgrade and a one-off fee parked on the next invoice (issue 16 points 9 and 12)
        var numeroSubs = services.subscriptions().list(numero, null, PageRequest.first(10)).items();
        assertThat(numeroSubs.stream().flatMap(sub -> services.scheduledActions().list(numero, sub.id()).stream())
                .filter(a -> a.source().equals("dated")).map(a -> a.action() + " " + a.plan() + " " + a.status()).toList())
                .containsExactly("change_plan crm_plus scheduled");
        assertThat(numeroSubs.stream().flatMap(sub -> services.oneOffCharges().list(numero, sub.customerId(), PageRequest.first(10)).items().stream())
                .map(c -> c.description() + " " + c.amount().toPlainMinorString() + " " + c.invoicing()).toList())
                .containsExactly("Data import from the previous CRM 150.00 next_invoice");
        // VoiceAgent's customer bills on the 25th: its subscription took the customer's billing cycle day (issue 16 point 7)
        var voiceAgent = Caller.operator(first.tenants().get(1).tenant().id());
        var sunrise = services.subscriptions().list(voiceAgent, null, PageRequest.first(1)).items().getFirst();
        assertThat(sunrise.billingCycleDay()).isEqualTo(25);
        assertThat(sunrise.nextBillDate().getDayOfMonth()).isEqualTo(25);
        var aie = Caller.operator(first.tenants().get(2).tenant().id());
        var northwind = services.subscriptions().list(aie, null, PageRequest.first(1)).items().getFirst();
        assertThat(services.pauses().list(aie, northwind.id())).singleElement().satisfies(p -> assertThat(p.resumedOn()).isNull());
        assertThat(services.credits().balance(aie, northwind.customerId()).balance().isPositive()).isTrue();
        var usercom = Caller.operator(first.tenants().get(3).tenant().id());
        var proformas = services.invoices().list(usercom, new dev.accrue.app.invoice.InvoiceQuery(null, null, "proforma", null, null),
                PageRequest.first(10)).items();
        assertThat(proformas).as("User.com renews with a proforma priced by the 3,200 contacts pushed first").singleElement()
                .satisfies(p -> {
                    assertThat(p.number()).isEqualTo("PRO-000001");
                    assertThat(p.total().toPlainMinorString()).isEqualTo("99.00");
                });
        DemoLoader.Result second = new DemoLoader(services, dir).load();
        // the prepaid CALLR customer's wallet was topped up and pays its French number; VoiceAgent rents two numbers
        var callr = Caller.operator(first.tenants().get(4).tenant().id());
        var atelier = services.customers().list(callr, new dev.accrue.app.customer.CustomerQuery(null, null, "callr-prepaid-atelier"), PageRequest.first(1))
                .items().getFirst();
        assertThat(services.wallets().receipts(callr, atelier.id(), PageRequest.first(20)).items()).hasSize(1);
        assertThat(services.wallets().view(callr, atelier.id()).balance().isPositive()).isTrue();
        var voice = Caller.operator(first.tenants().get(1).tenant().id());
        var voiceSub = services.subscriptions().list(voice, null, PageRequest.first(1)).items().getFirst();
        assertThat(services.numbers().list(voice, voiceSub.id())).hasSize(2);
        assertThat(services.addOns().list(voice, voiceSub.id())).hasSize(1);
        // Numero's price rise (issue 16 point 11): version 2 imported after its customers subscribed on version 1, and the
        // decision taken once — its three CRM Essentials subscriptions move to 35.00 after 30 days' notice
        PriceMigrationRequest rise = new PriceMigrationRequest("crm_essentials", 2, "migrate", LocalDate.now(ZoneOffset.UTC), 30);
        assertThat(catchThrowableOfType(AccrueException.class, () -> services.priceMigrations().create(numero, rise)).code())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(services.priceMigrations().preview(numero, rise).moves()).hasSize(3)
                .allSatisfy(m -> assertThat(m.movesOn()).isAfterOrEqualTo(m.noticeOn().plusDays(30)));
        // VoiceAgent's customer holds call credits restricted to minutes (issue 16 point 14)
        assertThat(services.creditWallets().list(voice, voiceSub.customerId())).singleElement().satisfies(w -> {
            assertThat(w.wallet().appliesTo()).containsExactly("minutes");
            assertThat(w.balance().granted()).isEqualByComparingTo("1000");
        });
        assertThat(second.tenants()).allSatisfy(t -> assertThat(t.customersCreated()).isZero());
        assertThat(second.tenants()).extracting(DemoLoader.LoadedTenant::apiKey)
                .containsExactlyElementsOf(first.tenants().stream().map(DemoLoader.LoadedTenant::apiKey).toList());
        for (DemoLoader.LoadedTenant t : second.tenants()) {
            assertThat(services.catalogs().versions(Caller.operator(t.tenant().id()))).hasSize(t.tenant().name().startsWith("Numero") ? 2 : 1);
        }
        assertThat(services.subscriptions().list(numero, null, PageRequest.first(10)).items()).hasSize(6);
    }
}
