package dev.accrue.server.portal;

import dev.accrue.server.support.Unique;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Script in every kind of text the portal shows — typed by the customer into the portal's own cancel form, or set
 * through the API by the tenant (seller name, cancel alternatives) and by the customer's usage (a dimension value, a
 * budget on it), or a customer's name — is shown as the text it is, in Chromium: the characters visible, no element
 * made from it, no script run. Two layers are checked apart: the escaping (no {@code <img>} or {@code <b>} element
 * exists, whatever the Content-Security-Policy would block) and the policy ({@code window.pwned} never set, no dialog).
 */
class PortalHostileTextTest {
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    /** Markup that, if it became markup, would make a bold element, an image whose error handler runs, and a script. */
    private static String hostile(String where) {
        return "<b>" + where + "</b><img src=x onerror=\"window.pwned='" + where + "'\"><script>window.pwned='" + where + "'</script>";
    }

    private static void assertInert(Page page, List<String> dialogs, String... texts) {
        for (String text : texts) {
            assertThat(page.locator("body")).containsText(text);
        }
        assertThat(page.locator("img[src=x]")).hasCount(0);
        assertThat(page.locator("main b, header b")).hasCount(0);
        assertThat(page.locator("script:not([src])")).hasCount(0);
        assertThat(page.evaluate("() => window.pwned === undefined")).as(page.url()).isEqualTo(true);
        assertThat(dialogs).as(page.url()).isEmpty();
    }

    @Test
    void scriptInEveryTextThePortalShowsIsShownAsTextAndNeverRuns() {
        Sandbox s = new Sandbox("portal hostile text", PortalBudgetsTest.CATALOG, "2026-06-01T08:00:00Z");
        Map<String, Object> seller = new HashMap<>(Map.of("legal_name", hostile("seller"), "address_line1", "1 Main St", "city", "Berlin",
                "postal_code", "10117", "country", "DE", "email", "billing@example.com"));
        var put = s.api.send("PUT", "/v1/seller", seller);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var alternatives = s.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(Map.of("kind", "contact",
                "label", hostile("label"), "url", "https://example.com/help", "message", hostile("message")))));
        assertThat(alternatives.status()).as(alternatives.toString()).isEqualTo(200);
        String customer = s.customer(hostile("customer"), "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "small")).get("id").asText();
        String team = "<img src=x onerror=\"window.pwned='team'\">";
        var event = s.api.post("/v1/events", Map.of("event_id", "hostile-1", "customer_id", customer, "metric", "call_seconds",
                "timestamp", "2026-06-01T07:00:00Z", "properties", Map.of("duration_seconds", 90, "team", team)));
        assertThat(event.status()).as(event.toString()).isEqualTo(202);
        var budget = s.api.post("/v1/customers/" + customer + "/budgets", Map.of("amount", "50.00", "currency", "USD", "dimension", "team",
                "dimension_value", team));
        assertThat(budget.status()).as(budget.toString()).isEqualTo(201);

        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        List<String> dialogs = new ArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        page.navigate(PortalLinks.link(s.api, customer, "owner@example.com", "admin", null));
        assertInert(page, dialogs, hostile("seller"), hostile("customer"));
        Chromium.screenshot(page, "portal-hostile-overview");

        page.navigate(TestNode.get().baseUrl() + "/portal/usage");
        assertThat(page.getByTestId("budgets")).containsText(team);
        assertThat(page.locator("#dim-h + table")).containsText(team);
        assertInert(page, dialogs);
        Chromium.screenshot(page, "portal-hostile-usage");

        page.navigate(TestNode.get().baseUrl() + "/portal/subscriptions/" + sub + "/cancel");
        assertInert(page, dialogs, hostile("label"), hostile("message"));
        // the customer types script into the portal's own free-text field
        page.selectOption("#reason", "too_expensive");
        page.fill("#detail", hostile("detail"));
        page.click("button:has-text('Cancel subscription')");
        assertThat(page.locator("main")).containsText("Your subscription ends on");
        assertInert(page, dialogs);
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("cancel_reason")).isEqualTo("too_expensive: " + hostile("detail"));
        Chromium.screenshot(page, "portal-hostile-canceled");

        // support reads what the customer typed, in the console, as text
        String staff = "support-hostile-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), staff, "Support", "support", "correct horse battery staple");
        page.navigate(TestNode.get().baseUrl() + "/console/login");
        page.fill("#email", staff);
        page.fill("#password", "correct horse battery staple");
        page.click("button:has-text('Sign in')");
        page.navigate(TestNode.get().baseUrl() + "/console/customers/" + customer);
        assertThat(page.getByTestId("cancel-reason")).containsText("too_expensive: " + hostile("detail"));
        assertInert(page, dialogs, hostile("customer"));
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "console-hostile-customer");
        context.close();
    }
}
