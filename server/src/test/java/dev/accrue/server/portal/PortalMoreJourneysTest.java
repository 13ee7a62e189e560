package dev.accrue.server.portal;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal journeys {@link PortalJourneyTest} does not walk: a downgrade scheduled for the period end shown as a
 * banner and revoked with *Keep my current plan*; a prepaid wallet topped up in the browser, its receipt's PDF and a
 * credit note opened from the invoices page; the suspension banner; a past period's usage and the projection; the
 * pages on a phone; the tenant's branding — each axe-checked and kept as a screenshot.
 */
class PortalMoreJourneysTest {
    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 8000));
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static Sandbox sandbox(String label) {
        return new Sandbox(label, Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
    }

    private static Page signedIn(BrowserContext context, Sandbox s, String customer) {
        Page page = context.newPage();
        page.navigate(PortalLinks.link(s.api, customer, "owner@example.com", "admin", null));
        return page;
    }

    @Test
    void aDowngradeIsScheduledForThePeriodEndShownAsABannerAndRevoked() {
        Sandbox s = sandbox("portal downgrade");
        String customer = s.customer("Downgrade Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "pro")).get("id").asText();
        BrowserContext context = chromium.context("en-US");
        Page page = signedIn(context, s, customer);
        page.click("text=Plans and add-ons");
        page.click("button[aria-label='Choose Starter']");
        assertThat(page.locator("main")).containsText("Takes effect at the end of your current period, on Jul 10, 2026");
        page.click("text=Confirm plan change");
        assertThat(page.locator("[role=status]").first()).containsText("Your plan change is scheduled for the end of the period");
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("pro");
        page.navigate(TestNode.get().baseUrl() + "/portal");
        assertThat(page.locator("main")).containsText("Your plan changes to");
        assertThat(page.locator("main")).containsText("on Jul 10, 2026");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-pending-downgrade");
        assertThat(s.api.get("/v1/subscriptions/" + sub).json().get("pending_plan").asText()).isEqualTo("starter");
        page.click("button:has-text('Keep my current plan')");
        assertThat(page.locator("[role=status]").first()).containsText("you keep your current plan");
        assertThat(page.locator("main")).not().containsText("Your plan changes to");
        assertThat(s.api.get("/v1/subscriptions/" + sub).json().get("pending_plan").isNull()).isTrue();
        assertThat(s.api.get("/v1/subscriptions/" + sub).text("plan")).isEqualTo("pro");
        context.close();
    }

    @Test
    void aPrepaidCustomerTopsUpTheWalletAndOpensTheReceiptAndACreditNote() throws Exception {
        Sandbox s = sandbox("portal wallet");
        Map<String, Object> body = Fixtures.customer("Prepaid Radio");
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        var note = s.api.post("/v1/invoices/" + invoice + "/credit_notes", Map.of("reason", "Outage on June 10", "amount", "4.00"));
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        BrowserContext context = chromium.context("en-US");
        Page page = signedIn(context, s, customer);
        page.locator("nav a[href='/portal/wallet']").click();
        String before = page.getByTestId("wallet-balance").innerText();
        page.fill("#amount", "25.00");
        page.click("button:has-text('Top up')");
        assertThat(page.locator("[role=status]").first()).containsText("Your wallet was topped up");
        assertThat(page.getByTestId("wallet-balance")).not().hasText(before);
        String balance = s.api.get("/v1/customers/" + customer + "/wallet").json().get("balance").asText();
        assertThat(page.getByTestId("wallet-balance")).hasText("$" + balance);
        assertThat(page.locator("tbody")).containsText("$25.00");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-wallet-top-up");

        page.locator("nav a[href='/portal/invoices']").click();
        Download receipt = page.waitForDownload(() -> page.locator("a[href^='/portal/receipts/']").first().click());
        byte[] pdf = Files.readAllBytes(receipt.path());
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        page.locator("a[href^='/portal/credit_notes/']").first().click();
        assertThat(page.locator("main")).containsText("$4.00");
        assertThat(page.locator("main")).containsText("Outage on June 10");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-credit-note");
        context.close();
    }

    @Test
    void aSuspendedSubscriptionShowsTheBanner() {
        Sandbox s = sandbox("portal suspended");
        String customer = s.customer("Suspended Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        var suspended = s.api.post("/v1/subscriptions/" + sub + "/suspend", Map.of());
        assertThat(suspended.status()).as(suspended.toString()).isIn(200, 201);
        BrowserContext context = chromium.context("en-US");
        Page page = signedIn(context, s, customer);
        assertThat(page.locator("[role=alert]")).containsText("Your service is suspended");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-suspended");
        context.close();
    }

    @Test
    void usageOfAPastPeriodIsShownAndTheCurrentOneIsProjected() {
        Sandbox s = sandbox("portal usage periods");
        String customer = s.customer("Periods Dental", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        var call = s.api.post("/v1/events", Map.of("event_id", "period-call-" + customer, "customer_id", customer, "metric", "call_seconds",
                "timestamp", "2026-06-10T07:00:00Z", "properties", Map.of("duration_seconds", 1800, "direction", "outbound", "agent", "receptionist")));
        assertThat(call.status()).as(call.toString()).isEqualTo(202);
        s.advanceTo("2026-07-12T08:00:00Z"); // into the second period: the first one is past
        var late = s.api.post("/v1/events", Map.of("event_id", "period-call2-" + customer, "customer_id", customer, "metric", "call_seconds",
                "timestamp", "2026-07-11T07:00:00Z", "properties", Map.of("duration_seconds", 600, "direction", "outbound", "agent", "receptionist")));
        assertThat(late.status()).as(late.toString()).isEqualTo(202);
        BrowserContext context = chromium.context("en-US");
        Page page = signedIn(context, s, customer);
        page.navigate(TestNode.get().baseUrl() + "/portal/usage");
        assertThat(page.getByTestId("usage-total")).hasText("600");
        assertThat(page.locator("main")).containsText("Projected by period end");
        page.selectOption("#period", "2026-06-10");
        page.click("button:has-text('Show')");
        assertThat(page.getByTestId("usage-total")).hasText("1,800");
        assertThat(page.locator("svg.chart rect")).hasCount(30);
        assertThat(page.locator("main")).not().containsText("Projected by period end"); // a past period is not projected
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-usage-past-period");
        context.close();
    }

    @Test
    void everyPortalPageFitsAPhoneWithoutSidewaysScrolling() {
        Sandbox s = sandbox("portal phone");
        String customer = s.customer("Phone Dental", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        var number = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1415556" + (1000 + NUMBERS.incrementAndGet()), "country", "US",
                "type", "local"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        BrowserContext context = chromium.phone("en-US");
        Page page = signedIn(context, s, customer);
        for (String path : List.of("/portal", "/portal/usage", "/portal/invoices", "/portal/plans", "/portal/numbers", "/portal/wallet",
                "/portal/payment_methods", "/portal/notifications", "/portal/subscriptions/" + sub + "/cancel")) {
            page.navigate(TestNode.get().baseUrl() + path);
            // wide tables scroll inside their own box; the page itself never scrolls sideways
            assertThat(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")).as(path).isEqualTo(true);
            Chromium.assertAccessible(page);
        }
        page.navigate(TestNode.get().baseUrl() + "/portal");
        Chromium.screenshot(page, "portal-overview-phone");
        page.navigate(TestNode.get().baseUrl() + "/portal/plans");
        Chromium.screenshot(page, "portal-plans-phone");
        context.close();
    }

    @Test
    void theHeaderCarriesTheTenantsNameLogoAndColourWithReadableText() throws Exception {
        Sandbox s = sandbox("portal branding");
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        var put = s.api.send("PUT", "/v1/seller", Map.of("legal_name", "Brightline Telecom GmbH", "address_line1", "1 Main St", "city", "Berlin",
                "postal_code", "10117", "country", "DE", "email", "billing@brightline.example", "brand_color", "#FFD500",
                "logo", Base64.getEncoder().encodeToString(png.toByteArray())));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        String customer = s.customer("Branded Dental", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        BrowserContext context = chromium.context("en-US");
        Page page = signedIn(context, s, customer);
        assertThat(page.locator("header.top .name")).hasText("Brightline Telecom GmbH");
        assertThat(page.locator("header.top img[alt='Brightline Telecom GmbH']")).hasCount(1);
        assertThat(page).hasTitle(java.util.regex.Pattern.compile(".*Brightline Telecom GmbH$"));
        assertThat(page.locator("header.top")).hasCSS("background-color", "rgb(255, 213, 0)");
        // a light brand colour gets dark text (and a dark one light text): axe's contrast rule checks the header too
        assertThat(page.locator("header.top .name")).hasCSS("color", "rgb(0, 0, 0)");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-branding");
        context.close();
    }
}
