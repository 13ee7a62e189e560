package dev.accrue.server.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pause offered on the cancel page as the tenant configured it: the admin pauses until a date they pick and resumes
 * from the overview, through the pause API. Refused on the server: a pause the tenant does not offer, a member,
 * another customer's subscription, a forged CSRF token, a bad date — each changing nothing.
 */
class PortalPauseTest {
    private static final Map<String, Object> PAUSE = Map.of("kind", "pause", "message", "Take a break for the summer");
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    @Test
    void anAdminPausesInsteadOfCancellingAndResumesFromTheOverview() {
        Sandbox s = new Sandbox("portal pause", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(PAUSE))).status()).isEqualTo(200);
        String customer = s.customer("Summer Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        Page page = chromium.context("en-US").newPage();
        page.navigate(PortalLinks.link(s.api, customer, "owner@example.com", "admin", "en-US"));
        page.navigate(TestNode.get().baseUrl() + "/portal/subscriptions/" + sub + "/cancel");
        assertThat(page.getByTestId("cancel-alternatives")).containsText("Take a break for the summer");
        page.getByLabel("Pause until").fill("2026-07-16");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-cancel-pause");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause instead")).click();

        assertThat(page.getByTestId("paused")).containsText("paused since Jun 10, 2026 and resumes on Jul 16, 2026");
        JsonNode pause = s.api.get("/v1/subscriptions/" + sub + "/pauses").json().get("data").get(0);
        assertThat(pause.get("paused_on").asText()).isEqualTo("2026-06-10");
        assertThat(pause.get("resume_on").asText()).isEqualTo("2026-07-16");
        assertThat(pause.get("resumed_on").isNull()).isTrue();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("paused"); // not cancelled
        assertThat(page.locator(".status.paused")).containsText("Paused");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-overview-paused");
        // paused already: the cancel page no longer offers a pause
        page.navigate(TestNode.get().baseUrl() + "/portal/subscriptions/" + sub + "/cancel");
        assertThat(page.getByTestId("pause-form")).hasCount(0);

        page.navigate(TestNode.get().baseUrl() + "/portal");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume now")).click();
        assertThat(page.locator("main")).containsText("Your subscription is running again.");
        assertThat(page.getByTestId("paused")).hasCount(0);
        assertThat(page.locator(".status.active")).containsText("Active");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("active");
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/pauses").json().get("data").get(0).get("resumed_on").asText()).isEqualTo("2026-06-10");
        page.context().close();
    }

    @Test
    void aPauseNotOfferedByAMemberOnAnotherCustomerForgedOrMalformedChangesNothing() {
        Sandbox s = new Sandbox("portal pause refusals", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Strict Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        String other = s.customer("Other Dental", "USD", "UTC");
        String otherSub = s.subscribe(Map.of("customer_id", other, "plan", "pro")).get("id").asText();

        WebClient admin = signedIn(s, customer, "admin");
        String csrf = admin.get("/portal").csrf();
        // the tenant offers no pause: the cancel page shows none and the POST is refused
        assertThat(admin.get("/portal/subscriptions/" + sub + "/cancel").body()).doesNotContain("resume_on");
        assertThat(admin.post("/portal/subscriptions/" + sub + "/pause", Map.of("csrf", csrf, "resume_on", "2026-07-16")).status()).isEqualTo(403);

        assertThat(s.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(PAUSE))).status()).isEqualTo(200);
        WebClient member = signedIn(s, customer, "member");
        String memberCsrf = member.get("/portal").csrf();
        assertThat(member.post("/portal/subscriptions/" + sub + "/pause", Map.of("csrf", memberCsrf, "resume_on", "2026-07-16")).status()).isEqualTo(403);
        assertThat(admin.post("/portal/subscriptions/" + otherSub + "/pause", Map.of("csrf", csrf, "resume_on", "2026-07-16")).status()).isEqualTo(404);
        assertThat(admin.post("/portal/subscriptions/" + sub + "/pause", Map.of("csrf", "forged", "resume_on", "2026-07-16")).status()).isEqualTo(403);
        for (String bad : List.of("16.07.2026", "2026-06-10", "2026-06-01", "x".repeat(11))) {
            assertThat(admin.post("/portal/subscriptions/" + sub + "/pause", Map.of("csrf", csrf, "resume_on", bad)).status()).as(bad).isEqualTo(400);
        }
        assertThat(admin.post("/portal/subscriptions/" + sub + "/resume", Map.of("csrf", csrf)).status()).isEqualTo(409); // not paused
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/pauses").json().get("data")).isEmpty();
        assertThat(s.api.get("/v1/subscriptions/" + otherSub + "/pauses").json().get("data")).isEmpty();

        // paused by the tenant through the API: a member cannot resume, another customer's admin cannot either
        assertThat(s.api.post("/v1/subscriptions/" + otherSub + "/pause", Map.of()).status()).isEqualTo(201);
        assertThat(admin.post("/portal/subscriptions/" + otherSub + "/resume", Map.of("csrf", csrf)).status()).isEqualTo(404);
        WebClient otherMember = signedIn(s, other, "member");
        assertThat(otherMember.post("/portal/subscriptions/" + otherSub + "/resume", Map.of("csrf", otherMember.get("/portal").csrf())).status())
                .isEqualTo(403);
        assertThat(s.api.get("/v1/subscriptions/" + otherSub + "/pauses").json().at("/data/0/resumed_on").isNull()).isTrue();
    }

    private static WebClient signedIn(Sandbox s, String customer, String role) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.get(PortalLinks.link(s.api, customer, "user@example.com", role, null)).status()).isEqualTo(302);
        return web;
    }
}
