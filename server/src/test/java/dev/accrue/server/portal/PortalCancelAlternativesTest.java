package dev.accrue.server.portal;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cancel page's alternatives are the tenant's: configured through the API (checked, audited, replaced whole;
 * bad entries change nothing) and shown on the portal's cancel page — a downgrade leading to the exact preview, a
 * contact link; a downgrade to the customer's own plan is not offered.
 */
class PortalCancelAlternativesTest {
    private static final Map<String, Object> DOWNGRADE = Map.of("kind", "downgrade", "plan", "starter", "message", "Keep your numbers for $29 a month");
    private static final Map<String, Object> CONTACT = Map.of("kind", "contact", "label", "Talk to our team", "url", "mailto:care@example.com");
    private static Chromium chromium;
    private static Sandbox s;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        s = new Sandbox("portal cancel alternatives", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    @Test
    void theTenantConfiguresTheAlternativesAndBadOnesChangeNothing() {
        Sandbox t = new Sandbox("cancel alternatives api", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        assertThat(t.api.get("/v1/tenant/cancel_alternatives").json().get("alternatives")).isEmpty();
        var saved = t.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(DOWNGRADE, CONTACT)));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        String stored = t.api.get("/v1/tenant/cancel_alternatives").json().toString();
        assertThat(stored).contains("\"plan\":\"starter\"").contains("mailto:care@example.com");

        List<Object> tooMany = new ArrayList<>(Collections.nCopies(6, CONTACT));
        List<Object> bad = List.of(
                List.of(Map.of("kind", "downgrade", "plan", "no_such_plan")),
                List.of(Map.of("kind", "contact", "label", "Click", "url", "javascript:alert(1)")),
                List.of(Map.of("kind", "contact", "label", "Plain http", "url", "http://example.com")),
                List.of(Map.of("kind", "contact", "url", "https://example.com")),
                List.of(Map.of("kind", "refund")),
                List.of(Map.of("kind", "pause", "plan", "starter")),
                List.of(Map.of("kind", "downgrade", "plan", "starter", "message", "x".repeat(301))),
                tooMany);
        for (Object alternatives : bad) {
            var refused = t.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", alternatives));
            assertThat(refused.status()).as(alternatives.toString()).isEqualTo(400);
            assertThat(t.api.get("/v1/tenant/cancel_alternatives").json().toString()).isEqualTo(stored);
        }
        Long audited = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM audit_events WHERE tenant_id = :t AND action = 'tenant.cancel_alternatives_updated'")
                .bind("t", t.tenant.id()).mapTo(Long.class).one());
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void theCancelPageShowsTheConfiguredAlternativesAndADowngradeLeadsToItsPreview() {
        assertThat(s.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(DOWNGRADE, CONTACT))).status()).isEqualTo(200);
        String customer = s.customer("Alternatives Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        Page page = chromium.context("en-US").newPage();
        page.navigate(PortalLinks.link(s.api, customer, "owner@example.com", "admin", null));
        page.navigate(TestNode.get().baseUrl() + "/portal/subscriptions/" + sub + "/cancel");
        var offered = page.getByTestId("cancel-alternatives");
        assertThat(offered).containsText("Keep your numbers for $29 a month");
        assertThat(offered.getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Talk to our team")))
                .hasAttribute("href", "mailto:care@example.com");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-cancel-alternatives");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch to Starter instead")).click();
        String preview = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "starter")).text("total");
        assertThat(page.locator("main")).containsText(preview);
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("pro");

        // on the starter plan already: the downgrade to starter is not offered, the contact still is
        String small = s.customer("Small Dental", "USD", "UTC");
        String smallSub = s.subscribe(Map.of("customer_id", small, "plan", "starter")).get("id").asText();
        page.navigate(PortalLinks.link(s.api, small, "owner@example.com", "admin", null));
        page.navigate(TestNode.get().baseUrl() + "/portal/subscriptions/" + smallSub + "/cancel");
        assertThat(page.getByTestId("cancel-alternatives")).containsText("Talk to our team");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch to Starter instead"))).hasCount(0);
        page.context().close();
    }
}
