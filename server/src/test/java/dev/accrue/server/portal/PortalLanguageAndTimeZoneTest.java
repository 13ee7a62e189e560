package dev.accrue.server.portal;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.accrue.adapters.http.web.Formats;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal speaks the customer's language and shows times in the customer's zone, not the server's nor the
 * browser's; and its error pages (a refused link, an ended session, a page the role does not allow, a forged form,
 * another customer's id) say in that language what happened and what to do, even once the session is gone.
 */
class PortalLanguageAndTimeZoneTest {
    private static Chromium chromium;
    private static Sandbox s;
    private static String customer;
    private static String subscription;
    private static String foreignInvoice;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        s = new Sandbox("portal language", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        customer = s.customer("Praxis Tokio", "USD", "Asia/Tokyo");
        subscription = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String other = s.customer("Andere Praxis", "USD", "UTC");
        s.subscribe(Map.of("customer_id", other, "plan", "starter"));
        foreignInvoice = s.api.get("/v1/invoices?customer_id=" + other).json().at("/data/0/id").asText();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static void executeSql(String sql) {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute(sql));
    }

    private static WebClient signedIn(String email, String role, String locale) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.get(PortalLinks.link(s.api, customer, email, role, locale)).status()).isEqualTo(302);
        return web;
    }

    @Test
    void aRefusedLinkIsExplainedInTheLanguageItWasIssuedInToABrowserThatNeverSawThePortal() {
        String used = PortalLinks.link(s.api, customer, "einmal@example.com", "admin", "de-DE");
        assertThat(new WebClient(TestNode.get().baseUrl()).get(used).status()).isEqualTo(302);
        WebClient.Page reused = new WebClient(TestNode.get().baseUrl()).get(used);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body()).contains("<html lang=\"de\">", "Ihr Link oder Ihre Sitzung ist abgelaufen",
                "Dieser Link zur Abrechnung ist abgelaufen oder wurde bereits benutzt", "Öffnen Sie die Abrechnung erneut aus Ihrem Konto")
                .doesNotContain("Something went wrong", "has expired or was already used");

        String stale = PortalLinks.link(s.api, customer, "spaet@example.com", "admin", "de-DE");
        executeSql("UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE email = 'spaet@example.com'");
        WebClient.Page expired = new WebClient(TestNode.get().baseUrl()).get(stale);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("<html lang=\"de\">", "Dieser Link zur Abrechnung ist abgelaufen");

        // an English link and an unknown token: English, with the same advice
        String english = PortalLinks.link(s.api, customer, "once@example.com", "admin", "en-US");
        new WebClient(TestNode.get().baseUrl()).get(english);
        assertThat(new WebClient(TestNode.get().baseUrl()).get(english).body()).contains("<html lang=\"en\">", "Your link or session has expired",
                "This portal link has expired or was already used", "Open billing again from your account");
        assertThat(new WebClient(TestNode.get().baseUrl()).get("/portal/enter/no-such-token").body()).contains("<html lang=\"en\">",
                "This portal link has expired or was already used");
    }

    @Test
    void anEndedSessionForbiddenPagesForgedFormsAndForeignIdsAreExplainedInGerman() {
        WebClient member = signedIn("mitglied@example.com", "member", "de-DE");
        WebClient.Page forbidden = member.get("/portal/invoices");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).contains("<html lang=\"de\">", "Nicht erlaubt", "Ihre Rolle erlaubt diese Seite nicht.",
                "den Administratoren Ihres Kontos vorbehalten", "href=\"/portal\"");

        WebClient admin = signedIn("inhaberin@example.com", "admin", "de-DE");
        String csrf = admin.get("/portal").csrf();
        WebClient.Page forged = admin.post("/portal/subscriptions/" + subscription + "/cancel", Map.of("csrf", "forged" + csrf, "reason", "other"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("<html lang=\"de\">", "Dieses Formular ist veraltet").doesNotContain("Ihre Rolle erlaubt");
        assertThat(s.api.get("/v1/subscriptions/" + subscription).json().get("cancel_at_period_end").asBoolean()).isFalse();

        WebClient.Page missing = admin.get("/portal/invoices/" + foreignInvoice);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("<html lang=\"de\">", "Nicht gefunden", "gehört nicht zu Ihrem Konto").doesNotContain(foreignInvoice);

        // the session ends: the browser (which asks for English) is still told in German, by the language cookie the session left
        executeSql("UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE kind = 'portal' AND email = 'inhaberin@example.com'");
        WebClient.Page ended = admin.get("/portal");
        assertThat(ended.status()).isEqualTo(401);
        assertThat(ended.body()).contains("<html lang=\"de\">", "Ihre Sitzung ist abgelaufen", "Öffnen Sie die Abrechnung erneut")
                .doesNotContain("href=\"/portal\""); // no way back into pages that would refuse again
    }

    @Test
    void aLinkNamingNoLanguageUsesTheCustomersOwnAndTimesAreInTheCustomersZone() {
        var set = s.api.send("PUT", "/v1/customers/" + customer + "/notification_preferences", Map.of("locale", "de-DE"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        NotificationSupport.skipEarlierEvents();
        s.api.post("/v1/subscriptions/" + subscription + "/suspend", null);
        NotificationSupport.consumeOwnEvents(s.tenant.id());
        s.api.post("/v1/subscriptions/" + subscription + "/reinstate", null);
        var feed = s.api.get("/v1/customers/" + customer + "/notifications").json().get("data");
        assertThat(feed.size()).isPositive();
        Instant created = Instant.parse(feed.get(0).get("created_at").asText());

        // an English-speaking browser in New York, a server on UTC, a customer in Tokyo that chose German
        BrowserContext context = chromium.context("en-US", "America/New_York");
        Page page = context.newPage();
        page.navigate(PortalLinks.link(s.api, customer, "inhaber@example.com", "admin", null));
        assertThat(page.locator("html")).hasAttribute("lang", "de");
        assertThat(page.locator("h1")).hasText("Ihr Tarif");
        page.navigate(TestNode.get().baseUrl() + "/portal/notifications");
        Locale german = Locale.forLanguageTag("de-DE");
        String tokyo = new Formats(german, ZoneId.of("Asia/Tokyo")).dateTime(created);
        assertThat(page.locator("main")).containsText(tokyo);
        assertThat(page.locator("main").innerText()).doesNotContain(new Formats(german, ZoneId.of("UTC")).dateTime(created))
                .doesNotContain(new Formats(german, ZoneId.of("America/New_York")).dateTime(created));
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-notifications-tokyo-de");

        // the German error page, in the browser: accessible, and kept as an artefact
        page.navigate(TestNode.get().baseUrl() + "/portal/invoices/" + foreignInvoice);
        assertThat(page.locator("h1")).hasText("Nicht gefunden");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-error-not-found-de");
        context.close();
        s.api.send("PUT", "/v1/customers/" + customer + "/notification_preferences", Map.of("locale", ""));
    }
}
