package dev.accrue.server.portal;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer's billing portal in a real browser, one journey per thing a customer comes to do: read the
 * overview, see usage, download an invoice PDF, upgrade with the preview, buy a bundle, release a number,
 * cancel and reactivate — each page checked with axe-core and kept as a screenshot.
 */
class PortalJourneyTest {
    private static Chromium chromium;
    private static Sandbox s;
    private static final java.util.concurrent.atomic.AtomicInteger NUMBERS = new java.util.concurrent.atomic.AtomicInteger((int) (System.nanoTime() % 8000));

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        s = new Sandbox("portal journeys", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    /** A customer on Starter with one number and 30 minutes of calls, and a page signed in to their portal. */
    private record Account(String customer, String subscription, String number, Page page, BrowserContext context) {
    }

    private Account account(String name, String locale) {
        String customer = s.customer(name, "USD", "America/New_York");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        var number = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1415555" + (1000 + NUMBERS.incrementAndGet()), "country", "US",
                "type", "local"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        var call = s.api.post("/v1/events", Map.of("event_id", "call-" + customer, "customer_id", customer, "metric", "call_seconds",
                "timestamp", "2026-06-10T07:00:00Z", "properties", Map.of("duration_seconds", 1800, "direction", "outbound", "agent", "receptionist")));
        assertThat(call.status()).as(call.toString()).isEqualTo(202);
        BrowserContext context = chromium.context(locale == null ? "en-US" : locale);
        Page page = context.newPage();
        page.navigate(PortalLinks.link(s.api, customer, "owner@example.com", "admin", locale));
        return new Account(customer, sub, number.json().at("/number/id").asText(), page, context);
    }

    @Test
    void theOverviewShowsPlanDatesAllowanceQuotaAndWallet() {
        Account a = account("Overview Dental", null);
        Page page = a.page();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/portal$"));
        assertThat(page.locator("h2").first()).containsText("Starter");
        assertThat(page.locator("main")).containsText("1,800 of 6,000 second used");
        assertThat(page.locator("main")).containsText("4,200 second remaining");
        assertThat(page.locator("main")).containsText("70 minutes remaining");
        assertThat(page.locator("main")).containsText("1 of 1 phone_numbers");
        assertThat(page.locator("main")).containsText("Jul 10, 2026"); // next billing date (the anniversary), in the customer's locale
        assertThat(page.getByTestId("wallet-balance")).hasText("$0.00");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-overview");

        page.getByRole(com.microsoft.playwright.options.AriaRole.LINK, new Page.GetByRoleOptions().setName("Usage")).click();
        assertThat(page.locator("svg.chart rect")).hasCount(30); // June 10 .. July 9: the first anniversary period
        assertThat(page.getByTestId("usage-total")).hasText("1,800");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-usage");
        a.context().close();
    }

    @Test
    void theOverviewSpeaksGermanWithGermanAmountsAndDates() {
        Account a = account("Zahnarzt Berlin", "de-DE");
        Page page = a.page();
        assertThat(page.locator("h1")).hasText("Ihr Tarif");
        assertThat(page.locator("main")).containsText("1.800 von 6.000");
        assertThat(page.locator("main")).containsText("10.07.2026");
        assertThat(page.getByTestId("wallet-balance")).hasText("0,00 $");
        assertThat(page.locator("html")).hasAttribute("lang", "de");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-overview-de");
        a.context().close();
    }

    @Test
    void anInvoiceIsListedNewestFirstViewedAndDownloadedAsAPdf() throws Exception {
        Account a = account("Invoice Dental", null);
        Page page = a.page();
        page.click("text=Invoices");
        // newest first: the number's setup invoice, then the plan's
        assertThat(page.locator("tbody").first().locator("tr")).hasCount(2);
        assertThat(page.locator("tbody").first().locator("tr").nth(1)).containsText("$29.00");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-invoices");
        Download download = page.waitForDownload(() -> page.locator("a:has-text('PDF')").first().click());
        byte[] pdf = Files.readAllBytes(download.path());
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        page.locator("tbody tr", new Page.LocatorOptions().setHasText("$29.00")).locator("a:text-is('View')").click();
        Chromium.screenshot(page, "portal-invoice");
        assertThat(page.locator("h1")).containsText("Invoice");
        assertThat(page.locator("main")).containsText("Starter subscription");
        Chromium.assertAccessible(page);
        a.context().close();
    }

    @Test
    void anUpgradeShowsTheExactPreviewThenChangesThePlan() {
        Account a = account("Upgrade Dental", null);
        Page page = a.page();
        page.click("text=Plans and add-ons");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-plans");
        page.click("button[aria-label='Choose Pro']");
        // (99 − 29) × 30/30 of the first period: exactly what the API's preview says
        String preview = s.api.post("/v1/subscriptions/" + a.subscription() + "/change/preview", Map.of("plan", "pro")).text("total");
        assertThat(preview).isEqualTo("70.00");
        assertThat(page.getByTestId("change-total")).hasText("$" + preview);
        assertThat(page.locator("main")).containsText("Takes effect at once");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-change-preview");
        page.click("text=Confirm plan change");
        assertThat(page.locator("[role=status]").first()).containsText("Your plan was changed");
        assertThat(page.locator("h2").first()).containsText("Pro");
        assertThat(s.api.get("/v1/subscriptions/" + a.subscription()).text("plan")).isEqualTo("pro");
        a.context().close();
    }

    @Test
    void aBundleIsBoughtThroughACheckoutShowingPriceFeesTaxesAndTotal() {
        Account a = account("Bundle Dental", null);
        Page page = a.page();
        page.click("text=Plans and add-ons");
        page.click("button[aria-label='Buy Pro — 150 minutes']");
        assertThat(page.locator("main")).containsText("$24.00");
        assertThat(page.locator("main")).containsText("$1.00");
        assertThat(page.getByTestId("checkout-total")).hasText("$25.00");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-checkout");
        page.click("text=Confirm purchase");
        assertThat(page.locator("[role=status]").first()).containsText("your purchase is active");
        assertThat(s.api.get("/v1/subscriptions/" + a.subscription() + "/add_ons").json().at("/data/0/add_on").asText()).isEqualTo("bundle_pro_150");
        a.context().close();
    }

    @Test
    void aNumberIsReleasedOnlyAfterConfirmingThatItCannotBeUndone() {
        Account a = account("Number Dental", null);
        Page page = a.page();
        page.click("text=Phone numbers");
        assertThat(page.locator("tbody tr").first()).containsText("$1.15");
        assertThat(page.locator("tbody tr").first()).containsText("Active");
        page.locator("button:has-text('Turn off')").click();
        assertThat(page.locator("[role=status]").first()).containsText("Auto-pay was saved");
        assertThat(page.locator("tbody tr").first()).containsText("Off");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-numbers");
        page.locator("a:has-text('Release')").click();
        assertThat(page.locator("[role=alert]")).containsText("cannot be undone");
        Chromium.assertAccessible(page);
        page.click("button:has-text('Release number')"); // the required box is not ticked: the browser does not send it
        assertThat(page.locator("h1")).containsText("Release");
        page.check("input[name=confirm]");
        page.click("button:has-text('Release number')");
        assertThat(page.locator("[role=status]").first()).containsText("The number was released");
        assertThat(s.api.get("/v1/subscriptions/" + a.subscription() + "/numbers").json().at("/data/0/status").asText()).isEqualTo("released");
        a.context().close();
    }

    @Test
    void aCancellationNeedsAReasonShowsTheEndDateAndCanBeUndoneWithinThePeriod() {
        Account a = account("Cancel Dental", null);
        Page page = a.page();
        page.click("text=Cancel subscription");
        assertThat(page.locator("main")).containsText("stays active until Jul 10, 2026");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-cancel");
        page.click("button:has-text('Cancel subscription')"); // no reason chosen: the required select keeps the form here
        assertThat(s.api.get("/v1/subscriptions/" + a.subscription()).json().get("cancel_at_period_end").asBoolean()).isFalse();
        page.selectOption("#reason", "too_expensive");
        page.fill("#detail", "<script>alert('x')</script> budget cut");
        page.click("button:has-text('Cancel subscription')");
        assertThat(page.locator("main")).containsText("Your subscription ends on Jul 10, 2026");
        var canceled = s.api.get("/v1/subscriptions/" + a.subscription()).json();
        assertThat(canceled.get("cancel_at_period_end").asBoolean()).isTrue();
        Chromium.screenshot(page, "portal-canceled");
        page.click("button:has-text('Reactivate')");
        assertThat(page.locator("[role=status]").first()).containsText("Your subscription continues");
        assertThat(s.api.get("/v1/subscriptions/" + a.subscription()).json().get("cancel_at_period_end").asBoolean()).isFalse();
        a.context().close();
    }

    @Test
    void usageIsBrokenDownByTheDimensionsItWasRecordedWith() {
        Sandbox callr = new Sandbox("portal usage dimensions", Sandbox.demoCatalog("callr.yaml"), "2026-06-10T08:00:00Z");
        String customer = callr.customer("Dimensions SARL", "EUR", "Europe/Paris");
        callr.subscribe(Map.of("customer_id", customer, "plan", "payg"));
        for (var e : java.util.List.of(Map.of("id", "c1", "seconds", 120, "direction", "outbound", "country", "FR"),
                Map.of("id", "c2", "seconds", 60, "direction", "inbound", "country", "US"))) {
            var r = callr.api.post("/v1/events", Map.of("event_id", e.get("id"), "customer_id", customer, "metric", "call_seconds",
                    "timestamp", "2026-06-10T07:00:00Z", "properties", Map.of("duration_seconds", e.get("seconds"), "direction", e.get("direction"),
                            "country", e.get("country"))));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
        }
        BrowserContext context = chromium.context("fr-FR");
        Page page = context.newPage();
        page.navigate(PortalLinks.link(callr.api, customer, "compta@example.fr", "member", "en-GB"));
        page.navigate(page.url() + "/usage");
        assertThat(page.getByTestId("usage-total")).hasText("180");
        var breakdown = page.locator("#dim-h + table tbody tr");
        assertThat(breakdown).hasCount(2);
        assertThat(breakdown.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("FR"))).containsText("120");
        assertThat(breakdown.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("US"))).containsText("60");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-usage-breakdown");
        context.close();
    }
}
