package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billingrun.BillingRuns;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.server.Services;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's money pages: a customer's payments, payment methods and dunning state; a manual payment recorded by
 * finance (refused for support and read-only staff, for another tenant's invoice, for a forged CSRF token, and with
 * the API's refusals shown as messages); the billing runs list.
 */
class ConsolePaymentsTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static Chromium chromium;
    private static Sandbox s;
    private static String tag;
    private static final AtomicInteger STAFF = new AtomicInteger();

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        s = new Sandbox("console payments", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        tag = Unique.suffix(); // base 36: a long digit run could pass for a card number
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static String staff(String tenantId, String role) {
        String email = role + "-" + STAFF.incrementAndGet() + "-" + tag + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(tenantId), email, "Staff " + role, role, PASSWORD);
        return email;
    }

    private static WebClient signedIn(String email) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        WebClient.Page signed = web.signInToConsole(email, PASSWORD);
        assertThat(signed.status()).as(signed.body()).isEqualTo(302);
        return web;
    }

    /** A customer whose first invoice failed to collect (insufficient funds); returns customer and invoice ids. */
    private static String[] declinedCustomer(String name) {
        String customer = s.customer(name + " " + tag, "USD", "UTC");
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4000000000009995", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        assertThat(s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id"))).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        return new String[] {customer, invoice};
    }

    @Test
    void financeSeesTheDunningStateAndRecordsAManualPaymentThatSettlesIt() {
        String[] declined = declinedCustomer("Overdue Optics");
        s.advanceTo("2026-06-10T09:00:00Z"); // the first try fails
        String customer = declined[0];
        String invoice = declined[1];
        String due = s.api.get("/v1/invoices/" + invoice).json().get("amount_due").asText();

        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", staff(s.tenant.id(), "finance"));
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        assertThat(page.getByTestId("dunning")).containsText("insufficient_funds");
        assertThat(page.getByTestId("dunning")).containsText(invoice);
        assertThat(page.getByTestId("payments")).containsText("failed");
        assertThat(page.getByTestId("payments")).containsText("visa ···· 9995");
        assertThat(page.locator("main")).containsText("visa ···· 9995, expires 12/2030 (default)");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-dunning");

        var form = page.locator("form[action='/console/invoices/" + invoice + "/payments']");
        form.getByLabel("Amount received").fill(due);
        form.getByLabel("Method").selectOption("bank_transfer");
        form.getByLabel("Reference").fill("WIRE-" + tag);
        form.getByRole(AriaRole.BUTTON).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The payment was recorded.");
        assertThat(page.getByTestId("payments")).containsText("WIRE-" + tag);
        assertThat(page.getByTestId("dunning")).containsText("Nothing being collected.");
        assertThat(s.api.get("/v1/invoices/" + invoice).json().get("status").asText()).isEqualTo("paid");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-manual-payment");
        context.close();
    }

    @Test
    void aManualPaymentIsRefusedForOtherRolesForgedTokensAnotherTenantAndBadInputAndTheRefusalIsShown() {
        String[] declined = declinedCustomer("Refused Radio");
        String customer = declined[0];
        String invoice = declined[1];
        String path = "/console/invoices/" + invoice + "/payments";
        for (String role : List.of("support", "read_only")) {
            WebClient web = signedIn(staff(s.tenant.id(), role));
            WebClient.Page page = web.get("/console/customers/" + customer);
            assertThat(page.body()).doesNotContain(path);
            assertThat(web.post(path, Map.of("csrf", page.csrf(), "amount", "1", "method", "cash")).status()).as(role).isEqualTo(403);
        }
        WebClient finance = signedIn(staff(s.tenant.id(), "finance"));
        String csrf = finance.get("/console/customers/" + customer).csrf();
        assertThat(finance.post(path, Map.of("csrf", "forged" + csrf.substring(6), "amount", "1", "method", "cash")).status()).isEqualTo(403);
        assertThat(finance.post(path, Map.of("amount", "1", "method", "cash")).status()).isEqualTo(403);
        // another tenant's finance user cannot reach this invoice
        var other = TestNode.get().newTenant("console payments other");
        WebClient stranger = signedIn(staff(other.id(), "finance"));
        String strangerCsrf = stranger.get("/console/customers").csrf();
        assertThat(stranger.post(path, Map.of("csrf", strangerCsrf, "amount", "1", "method", "cash")).status()).isEqualTo(404);
        assertThat(stranger.get("/console/customers/" + customer).status()).isEqualTo(404);
        // the API's refusals come back to the customer page as messages
        WebClient.Page future = finance.post(path, Map.of("csrf", csrf, "amount", "1", "method", "cash", "received_on", "2099-01-01"));
        assertThat(future.location()).isEqualTo("/console/customers/" + customer + "?refused=validation_failed");
        assertThat(finance.get(future.location()).body()).contains("not in the future");
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "1", "method", "barter")).location()).endsWith("?refused=validation_failed");
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "-1", "method", "cash")).status()).isEqualTo(400);
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "1", "method", "cash", "reference", "r".repeat(101))).status()).isEqualTo(400);
        assertThat(s.api.get("/v1/invoices/" + invoice + "/payments").json().get("data").toString()).doesNotContain("manual");
        // paid in full, a second payment is refused as the invoice is no longer open
        String due = s.api.get("/v1/invoices/" + invoice).json().get("amount_due").asText();
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", due, "method", "check")).location()).endsWith("?notice=payment_recorded");
        WebClient.Page again = finance.post(path, Map.of("csrf", csrf, "amount", "1", "method", "check"));
        assertThat(again.location()).endsWith("?refused=invoice_not_open");
        assertThat(finance.get(again.location()).body()).contains("not open for payments");
        assertThat(s.api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(1);
    }

    @Test
    void theBillingRunsPageListsTheTenantsRunsWithTheirCounts() {
        Services services = TestNode.get().accrue().services();
        var tenant = TestNode.get().newTenant("console runs");
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        var customer = services.customers().create(caller, new CustomerDraft(null, "Run Co", List.of("billing@runs.example"),
                new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                null, null, null, null));
        services.subscriptions().createWithoutBilling(caller, new CreateSubscription(customer.id(), "basic", "month",
                LocalDate.now(ZoneOffset.UTC).minusMonths(1), 0, "calendar", null));
        WebClient readOnly = signedIn(staff(tenant.id(), "read_only"));
        assertThat(readOnly.get("/console/billing_runs").body()).contains("No billing run yet.");
        services.billingRuns().runRequested("cli:console-test", 10, BillingRuns.Watcher.NONE);

        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", staff(tenant.id(), "support"));
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.click("text=Billing runs");
        var row = page.getByTestId("billing-runs").locator("tbody tr").first();
        assertThat(row).containsText("cli:console-test");
        assertThat(row).containsText("completed");
        assertThat(row.getByTestId("progress")).hasText("1 of 1 subscriptions");
        assertThat(row.locator("td").nth(5)).hasText("1");
        assertThat(row.locator("td").nth(6)).hasText("1");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-billing-runs");
        context.close();
        // another tenant's staff do not see it
        WebClient stranger = signedIn(staff(s.tenant.id(), "admin"));
        assertThat(stranger.get("/console/billing_runs").body()).doesNotContain("cli:console-test");
    }
}
