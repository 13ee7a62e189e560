package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's operations: a running billing run's progress follows live without a reload, times are in the staff
 * member's time zone with the zone named, and finance refunds a payment (part, the rest, a credit note's amount)
 * through the API's refund use case — with its refusals shown, and other roles, other tenants, forged tokens and
 * bad input changing nothing.
 */
class ConsoleOperationsTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger STAFF = new AtomicInteger();
    private static Chromium chromium;
    private static String tag;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        tag = Unique.suffix();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static String staff(String tenantId, String role) {
        String email = role + "-ops-" + STAFF.incrementAndGet() + "-" + tag + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(tenantId), email, "Staff " + role, role, PASSWORD);
        return email;
    }

    private static WebClient signedIn(String email) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.signInToConsole(email, PASSWORD).status()).isEqualTo(302);
        return web;
    }

    private static Page signInInBrowser(BrowserContext context, String email) {
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        return page;
    }

    private static void sql(String sql) {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute(sql));
    }

    @Test
    void aRunningBillingRunsProgressFollowsLiveInTheStaffMembersTimeZone() {
        var tenant = TestNode.get().newTenant("console live run");
        String run = "brun_live_" + tag;
        sql("INSERT INTO billing_runs (id, started_at, triggered_by, node, progressed_at) VALUES ('" + run
                + "', '2026-06-10 08:00:00+00', 'cli:live-" + tag + "', 'test', now())");
        sql("INSERT INTO billing_run_tenants (run_id, tenant_id, due, done, failed, invoices) VALUES ('" + run + "', '" + tenant.id() + "', 4, 1, 0, 1)");

        BrowserContext context = chromium.context("en-US", "Asia/Tokyo");
        Page page = signInInBrowser(context, staff(tenant.id(), "read_only"));
        page.navigate(TestNode.get().baseUrl() + "/console/billing_runs");
        var row = page.getByTestId("run-" + run);
        assertThat(row.getByTestId("progress")).hasText("1 of 4 subscriptions");
        assertThat(row).containsText("running");
        // 08:00 UTC is 17:00 in Tokyo: the staff member's zone, named
        assertThat(row.locator("td").first()).containsText("Jun 10, 2026, 5:00");
        assertThat(row.locator("td").first()).containsText("(Asia/Tokyo)");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-billing-run-live");

        // the run goes on on its node: the page follows without a reload
        sql("UPDATE billing_run_tenants SET done = 2, failed = 1, invoices = 2 WHERE run_id = '" + run + "'");
        sql("UPDATE billing_runs SET progressed_at = now() WHERE id = '" + run + "'");
        assertThat(page.getByTestId("run-" + run).getByTestId("progress")).hasText("3 of 4 subscriptions");
        sql("UPDATE billing_run_tenants SET done = 3, invoices = 3 WHERE run_id = '" + run + "'");
        sql("UPDATE billing_runs SET progressed_at = now(), finished_at = '2026-06-10 08:05:00+00' WHERE id = '" + run + "'");
        assertThat(page.getByTestId("run-" + run)).containsText("completed with failures");
        assertThat(page.getByTestId("run-" + run).locator("td").nth(1)).containsText("5:05");
        assertThat(page.locator("#billing-runs[data-live-refresh]")).hasCount(0); // finished: the polling stopped
        context.close();

        // without the browser's zone (no script ran), times are UTC and say so
        WebClient plain = signedIn(staff(tenant.id(), "read_only"));
        assertThat(plain.get("/console/billing_runs").body()).contains("(UTC)");
    }

    @Test
    void financeRefundsPartOfAPaymentTheRestAndACreditNotesAmount() {
        Sandbox s = new Sandbox("console refunds", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Refund Radio " + tag, "USD", "UTC");
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        assertThat(s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id"))).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        s.advanceTo("2026-06-10T09:00:00Z");
        JsonNode payment = succeeded(s, customer);
        String paymentId = payment.get("id").asText();
        String paid = payment.get("amount").asText();

        BrowserContext context = chromium.context("en-US");
        Page page = signInInBrowser(context, staff(s.tenant.id(), "finance"));
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        var form = page.getByTestId("refund-" + paymentId);
        assertThat(form).containsText("Still refundable: $" + paid);
        form.getByLabel("Amount to refund").fill("5.00");
        form.getByLabel("Reason").fill("Goodwill for the outage");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-refund");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Refund")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The refund was made.");
        assertThat(refunds(s, paymentId)).containsExactly("5.00 succeeded Goodwill for the outage null");

        // more than is left: the API's refusal is shown and nothing is refunded
        form = page.getByTestId("refund-" + paymentId);
        form.getByLabel("Amount to refund").fill("1000");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Refund")).click();
        assertThat(page.locator("main")).containsText("more than is left to refund");
        assertThat(refunds(s, paymentId)).hasSize(1);

        // a credit note's amount goes back to the card instead of staying as credit
        var note = s.api.post("/v1/invoices/" + invoice + "/credit_notes", Map.of("reason", "Wrong rate", "amount", "3.00"));
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        form = page.getByTestId("refund-" + paymentId);
        form.getByLabel("Refund a credit note").selectOption(note.text("id"));
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Refund")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The refund was made.");
        assertThat(refunds(s, paymentId)).contains("3.00 succeeded null " + note.text("id"));

        // the rest: an empty amount refunds all that is left, after which no refund form is offered
        page.getByTestId("refund-" + paymentId).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Refund")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The refund was made.");
        assertThat(page.getByTestId("refund-" + paymentId)).hasCount(0);
        assertThat(s.api.get("/v1/payments/" + paymentId).json().get("refunded").asText()).isEqualTo(paid);
        context.close();
    }

    @Test
    void aRefundIsRefusedForOtherRolesAnotherTenantForgedTokensAndBadInput() {
        Sandbox s = new Sandbox("console refund refusals", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Strict Refunds " + tag, "USD", "UTC");
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        assertThat(s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id"))).status()).isEqualTo(201);
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        s.advanceTo("2026-06-10T09:00:00Z");
        String paymentId = succeeded(s, customer).get("id").asText();
        String path = "/console/payments/" + paymentId + "/refunds";
        for (String role : List.of("support", "read_only")) {
            WebClient web = signedIn(staff(s.tenant.id(), role));
            WebClient.Page page = web.get("/console/customers/" + customer);
            assertThat(page.body()).doesNotContain(path);
            assertThat(web.post(path, Map.of("csrf", page.csrf(), "amount", "1")).status()).as(role).isEqualTo(403);
        }
        WebClient finance = signedIn(staff(s.tenant.id(), "finance"));
        String csrf = finance.get("/console/customers/" + customer).csrf();
        assertThat(finance.post(path, Map.of("csrf", "forged" + csrf.substring(6), "amount", "1")).status()).isEqualTo(403);
        assertThat(finance.post(path, Map.of("amount", "1")).status()).isEqualTo(403);
        var other = TestNode.get().newTenant("console refunds other");
        WebClient stranger = signedIn(staff(other.id(), "finance"));
        assertThat(stranger.post(path, Map.of("csrf", stranger.get("/console/customers").csrf(), "amount", "1")).status()).isEqualTo(404);
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "-1")).status()).isEqualTo(400);
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "ten")).status()).isEqualTo(400);
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "1", "reason", "r".repeat(501))).status()).isEqualTo(400);
        assertThat(finance.post(path, Map.of("csrf", csrf, "amount", "1", "credit_note_id", "cn_unknown")).status()).isEqualTo(404);
        WebClient.Page precise = finance.post(path, Map.of("csrf", csrf, "amount", "1.001"));
        assertThat(precise.location()).endsWith("?refused=refund_invalid_amount");
        assertThat(finance.get(precise.location()).body()).contains("The refund was refused");
        assertThat(refunds(s, paymentId)).isEmpty();
        assertThat(s.api.get("/v1/payments/" + paymentId).json().get("refunded").asText()).isIn("0", "0.00", "null");
    }

    private static JsonNode succeeded(Sandbox s, String customer) {
        for (JsonNode p : s.api.get("/v1/payments?customer_id=" + customer).json().get("data")) {
            if (p.get("status").asText().equals("succeeded")) {
                return p;
            }
        }
        throw new AssertionError("no succeeded payment for " + customer);
    }

    private static List<String> refunds(Sandbox s, String paymentId) {
        List<String> out = new ArrayList<>();
        s.api.get("/v1/payments/" + paymentId + "/refunds").json().get("data").forEach(r -> out.add(r.get("amount").asText() + " "
                + r.get("status").asText() + " " + r.get("reason").asText() + " " + r.get("credit_note_id").asText()));
        return out;
    }
}
