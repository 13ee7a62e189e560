package dev.accrue.server.console;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
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

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console: a finance user signs in, finds a customer and issues a credit note after its preview,
 * changes a plan on the customer's behalf; roles are refused on the server; sign-in is throttled; text an
 * attacker typed into a customer's name is shown inert.
 */
class ConsoleTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static Chromium chromium;
    private static Sandbox s;
    private static String tag;
    private static final java.util.concurrent.atomic.AtomicInteger STAFF = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        s = new Sandbox("console", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        tag = Unique.suffix(); // base 36: a long digit run could pass for a card number
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static String staff(String role) {
        String email = role + "-" + STAFF.incrementAndGet() + "-" + tag + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), email, "Staff " + role, role, PASSWORD);
        return email;
    }

    private static WebClient signedIn(String email) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        WebClient.Page signed = web.signInToConsole(email, PASSWORD);
        assertThat(signed.status()).as(signed.body()).isEqualTo(302);
        return web;
    }

    @Test
    void financeSignsInFindsACustomerAndIssuesACreditNoteAfterItsPreview() {
        String customer = s.customer("Zeta Logistics " + tag, "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String email = staff("finance");
        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/console/login$"));
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-login");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.fill("#q", "Zeta Logistics " + tag);
        page.click("button:has-text('Search')");
        assertThat(page.locator("tbody tr")).hasCount(1);
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-customers");
        page.click("text=Zeta Logistics " + tag);
        assertThat(page.locator("h1")).hasText("Zeta Logistics " + tag);
        assertThat(page.locator("main")).containsText("customer.created");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-customer");
        page.locator("input[name=amount]").first().fill("5.00");
        page.locator("input[name=reason]").first().fill("Goodwill for the outage");
        page.locator("button:has-text('Preview credit note')").first().click();
        assertThat(page.getByTestId("credit-amount")).hasText("$5.00");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-credit-preview");
        page.click("button:has-text('Issue credit note')");
        assertThat(page.locator("[role=status]")).containsText("The credit note was issued");
        assertThat(page.locator("main")).containsText("Goodwill for the outage");
        var notes = s.api.get("/v1/credit_notes?customer_id=" + customer).json().get("data");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).get("total").asText()).isEqualTo("5.00");

        page.selectOption("select[name=plan]", "pro");
        page.click("button:has-text('Preview change')");
        String preview = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "pro")).text("total");
        assertThat(page.getByTestId("change-total")).hasText("$" + preview);
        page.click("button:has-text('Confirm plan change')");
        assertThat(page.locator("[role=status]")).containsText("Your plan was changed");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("pro");
        context.close();
    }

    @Test
    void scriptInACustomersNameIsShownAsTextAndNeverRuns() {
        String hostile = "<script>window.pwned=1;alert('x')</script><img src=x onerror=\"window.pwned=1\"> " + tag;
        String customer = s.customer(hostile, "USD", "UTC");
        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        List<String> dialogs = new ArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", staff("support"));
        page.fill("#password", PASSWORD);
        page.click("button:has-text('Sign in')");
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        assertThat(page.locator("h1")).hasText(hostile);
        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        Chromium.screenshot(page, "console-hostile-name");
        // the portal shows it inert too
        page.navigate(dev.accrue.server.support.PortalLinks.link(s.api, customer, "x@example.com", "admin", null));
        assertThat(page.locator("main")).containsText(hostile);
        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        Chromium.screenshot(page, "portal-hostile-name");
        assertThat(dialogs).isEmpty();
        context.close();
    }

    @Test
    void aPausedSubscriptionReadsPausedOnTheCustomerPageAndActiveAgainAfterTheResume() {
        String customer = s.customer("Paused Inc " + tag, "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        WebClient support = signedIn(staff("support"));
        assertThat(support.get("/console/customers/" + customer).body()).contains("<span class=\"status active\">active</span>");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/pause", Map.of()).status()).isEqualTo(201);
        assertThat(support.get("/console/customers/" + customer).body()).contains("<span class=\"status paused\">paused</span>")
                .doesNotContain("status active");
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/resume", Map.of()).status()).isEqualTo(200);
        assertThat(support.get("/console/customers/" + customer).body()).contains("<span class=\"status active\">active</span>");
    }

    @Test
    void rolesAreEnforcedByTheServerOnEveryForm() {
        String customer = s.customer("Roles Inc " + tag, "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String invoice = s.api.get("/v1/invoices?customer_id=" + customer).json().at("/data/0/id").asText();
        WebClient readOnly = signedIn(staff("read_only"));
        String csrf = readOnly.get("/console/customers/" + customer).csrf();
        assertThat(readOnly.get("/console/customers/" + customer).body()).doesNotContain("Preview credit note").doesNotContain("Preview change");
        assertThat(readOnly.post("/console/invoices/" + invoice + "/credit_note", Map.of("csrf", csrf, "amount", "1", "reason", "r")).status()).isEqualTo(403);
        assertThat(readOnly.post("/console/subscriptions/" + sub + "/change", Map.of("csrf", csrf, "plan", "pro")).status()).isEqualTo(403);
        WebClient support = signedIn(staff("support"));
        String supportCsrf = support.get("/console/customers/" + customer).csrf();
        assertThat(support.post("/console/invoices/" + invoice + "/credit_note", Map.of("csrf", supportCsrf, "amount", "1", "reason", "r")).status())
                .isEqualTo(403);
        assertThat(support.post("/console/subscriptions/" + sub + "/change/preview", Map.of("csrf", supportCsrf, "plan", "pro")).status()).isEqualTo(200);
        WebClient finance = signedIn(staff("finance"));
        String financeCsrf = finance.get("/console/customers/" + customer).csrf();
        assertThat(finance.post("/console/invoices/" + invoice + "/credit_note", Map.of("csrf", "forged", "amount", "1", "reason", "r")).status())
                .isEqualTo(403);
        assertThat(finance.post("/console/invoices/" + invoice + "/credit_note", Map.of("csrf", financeCsrf, "amount", "1", "reason", "x".repeat(501)))
                .status()).isEqualTo(400);
        assertThat(s.api.get("/v1/credit_notes?customer_id=" + customer).json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("starter");
        // a console session is not a portal session, and staff of another tenant do not see this tenant's customers
        assertThat(finance.get("/portal").status()).isEqualTo(401);
        var otherTenant = TestNode.get().newTenant("console other");
        String outsider = "outsider-" + tag + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(otherTenant.id()), outsider, "Outsider", "admin", PASSWORD);
        WebClient outside = signedIn(outsider);
        assertThat(outside.get("/console/customers/" + customer).status()).isEqualTo(404);
        // nor reach its invoice or subscription by putting their ids in the forms' addresses
        String outsideCsrf = outside.get("/console/customers").csrf();
        Map<String, Map<String, String>> forms = new java.util.LinkedHashMap<>();
        forms.put("/console/invoices/" + invoice + "/credit_note/preview", Map.of("csrf", outsideCsrf, "amount", "1", "reason", "r"));
        forms.put("/console/invoices/" + invoice + "/credit_note", Map.of("csrf", outsideCsrf, "amount", "1", "reason", "r"));
        forms.put("/console/subscriptions/" + sub + "/change/preview", Map.of("csrf", outsideCsrf, "plan", "pro"));
        forms.put("/console/subscriptions/" + sub + "/change", Map.of("csrf", outsideCsrf, "plan", "pro"));
        forms.forEach((path, form) -> assertThat(outside.post(path, form).status()).as(path).isEqualTo(404));
        assertThat(s.api.get("/v1/credit_notes?customer_id=" + customer).json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("starter");
    }

    @Test
    void signInIsThrottledAfterFiveWrongPasswordsAndPasswordsAreStoredAsArgon2id() {
        String email = staff("admin");
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.signInToConsole("nobody-" + tag + "@staff.example", PASSWORD).status()).isEqualTo(401);
        for (int i = 0; i < 5; i++) {
            WebClient.Page wrong = web.signInToConsole(email, "wrong password " + i);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.body()).contains("Wrong email or password");
        }
        assertThat(web.signInToConsole(email, PASSWORD).status()).isEqualTo(429);
        String stored = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM staff_users WHERE email = :e")
                .bind("e", email).mapTo(String.class).one());
        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(PASSWORD);
    }

    @Test
    void theConsoleSpeaksGermanToAGermanBrowserWithGermanAmountsAndDates() {
        String customer = s.customer("Kanzlei Müller " + tag, "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        String email = staff("finance");
        BrowserContext context = chromium.context("de-DE");
        Page page = context.newPage();
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        assertThat(page.locator("h1")).hasText("Anmelden");
        assertThat(page.locator("html")).hasAttribute("lang", "de");
        page.getByLabel("E-Mail").fill(email);
        page.getByLabel("Passwort").fill(PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Anmelden")).click();
        assertThat(page.locator("h1")).hasText("Kunden");
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        assertThat(page.locator("main")).containsText("Abonnements");
        assertThat(page.locator("main")).containsText("Gutschrift prüfen");
        assertThat(page.locator("main")).containsText("29,00");
        assertThat(page.locator("main")).containsText("10.07.2026");
        assertThat(page.locator("nav")).containsText("Abmelden");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-customer-de");
        context.close();
    }
}
