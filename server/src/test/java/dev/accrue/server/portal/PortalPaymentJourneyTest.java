package dev.accrue.server.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.AriaRole;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal pages for payments and notifications in a real browser: adding a card through the gateway's
 * tokenization (the card number never reaches the portal's own routes), default, backup order, expiry, removal
 * with the API's refusal; the failed-payment banner; the notification feed with its unread count, the user's usage
 * alerts and channels. Each page is checked with axe-core and kept as a screenshot.
 */
class PortalPaymentJourneyTest {
    private static final String VISA = "4242424242424242";
    private static final String MASTERCARD = "5555555555554444";
    private static final String INSUFFICIENT_FUNDS = "4000000000009995";
    private static Chromium chromium;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
    }

    private static Page signIn(Sandbox s, String customer, String email) {
        BrowserContext context = chromium.context("en-US");
        Page page = context.newPage();
        page.navigate(PortalLinks.link(s.api, customer, email, "admin", null));
        return page;
    }

    private static void addCard(Page page, String number, String expiry) {
        page.getByLabel("Card number").fill(number);
        page.getByLabel("Expiry (MM/YY)").fill(expiry);
        page.getByLabel("CVC").fill("123");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add card")).click();
    }

    private static List<String> methods(Sandbox s, String customer) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : s.api.get("/v1/customers/" + customer + "/payment_methods").json().get("data")) {
            out.add(m.get("priority").asInt() + " " + m.get("last4").asText() + " " + m.get("exp_month").asText() + "/" + m.get("exp_year").asText());
        }
        return out;
    }

    @Test
    void aCardIsAddedThroughTheGatewayOrderedRenewedAndTheLastOneCannotBeRemoved() {
        Sandbox s = new Sandbox("portal payment methods", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Card Dental", "USD", "America/New_York");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        Page page = signIn(s, customer, "owner@example.com");
        List<Request> requests = new ArrayList<>();
        page.onRequest(requests::add);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Payment methods")).click();
        assertThat(page.locator("main")).containsText("No payment method yet.");
        Chromium.assertAccessible(page);
        addCard(page, "4242 4242 4242 4242", "12/30");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The payment method was added.");
        assertThat(page.getByTestId("method-4242")).containsText("Default");
        addCard(page, MASTERCARD, "11/29");
        assertThat(page.getByTestId("method-4444")).containsText("2");
        assertThat(methods(s, customer)).containsExactly("1 4242 12/2030", "2 4444 11/2029");

        // the card went from the browser to the gateway's tokenization; the portal's own routes only ever saw the token
        List<Request> withNumber = requests.stream().filter(r -> r.postData() != null && r.postData().contains("4242424242424242")).toList();
        assertThat(withNumber).extracting(Request::url).allMatch(u -> u.endsWith("/v1/sandbox/tokens")).hasSize(1);
        assertThat(requests.stream().filter(r -> r.url().contains("/portal/") && r.postData() != null))
                .allMatch(r -> !r.postData().contains("4242") && !r.postData().contains("5555") && !r.postData().contains("cvc"));
        assertThat(requests.stream().filter(r -> r.url().endsWith("/portal/payment_methods") && "POST".equals(r.method())).map(Request::postData))
                .allMatch(body -> body.matches("csrf=[^&]+&token=tok_[A-Za-z0-9_]+"));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Make default 4444")).click();
        assertThat(methods(s, customer)).containsExactly("1 4444 11/2029", "2 4242 12/2030");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try later 4444")).click();
        assertThat(methods(s, customer)).containsExactly("1 4242 12/2030", "2 4444 11/2029");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Try earlier 4444")).click();
        assertThat(methods(s, customer)).containsExactly("1 4444 11/2029", "2 4242 12/2030");

        page.getByTestId("method-4444").getByLabel("Year").fill("2031");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Update expiry 4444")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The expiry was updated.");
        page.getByTestId("method-4444").getByLabel("Year").fill("2020");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Update expiry 4444")).click();
        assertThat(page.getByTestId("refusal")).containsText("expiry in the past");
        assertThat(methods(s, customer)).containsExactly("1 4444 11/2031", "2 4242 12/2030");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove 4444")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The payment method was removed.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove 4242")).click();
        assertThat(page.getByTestId("refusal")).containsText("This is your last payment method");
        assertThat(methods(s, customer)).containsExactly("1 4242 12/2030");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-payment-methods");

        // a card the gateway declines is shown as the gateway's refusal, and nothing is saved
        addCard(page, "4000000000000002", "12/30");
        assertThat(page.getByTestId("refusal")).containsText("declined");
        assertThat(methods(s, customer)).containsExactly("1 4242 12/2030");
        page.context().close();
    }

    @Test
    void aFailedCollectionShowsABannerWithTheReasonAndTheNotificationsPageItsNotification() {
        Sandbox s = new Sandbox("portal failed payment", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Declined Dental", "USD", "UTC");
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", INSUFFICIENT_FUNDS, "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        assertThat(s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id"))).status()).isEqualTo(201);
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        s.advanceTo("2026-06-10T09:00:00Z"); // the first try fails for insufficient funds
        NotificationSupport.consumeOwnEvents(s.tenant.id());

        Page page = signIn(s, customer, "owner@example.com");
        assertThat(page.getByTestId("failed-payment")).containsText("failed: insufficient funds");
        assertThat(page.getByTestId("unread-count")).isVisible();
        int unread = Integer.parseInt(page.getByTestId("unread-count").innerText().strip());
        assertThat(unread).isPositive();
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-failed-payment");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Update your payment method")).click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/portal/payment_methods$"));

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Notifications"))).click();
        assertThat(page.getByTestId("notification").first()).isVisible();
        Chromium.assertAccessible(page);
        page.getByTestId("notification").first().getByRole(AriaRole.BUTTON).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Marked as read.");
        if (unread > 1) {
            assertThat(page.getByTestId("unread-count")).hasText(String.valueOf(unread - 1));
        } else {
            assertThat(page.getByTestId("unread-count")).hasCount(0);
        }
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark all as read")).click();
        assertThat(page.getByTestId("unread-count")).hasCount(0);
        assertThat(s.api.get("/v1/customers/" + customer + "/notifications?user_email=owner@example.com").json().get("unread_count").asInt()).isZero();

        // the user's own usage alerts: add, a refused duplicate shown as a message, remove
        page.getByLabel("Percent of allowance (e.g. 50, 80, 100)").fill("50, 80");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add alert")).click();
        assertThat(page.getByTestId("alert-call_seconds")).containsText("50%, 80%");
        JsonNode rules = s.api.get("/v1/customers/" + customer + "/usage_alerts").json().get("data");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).get("user_email").asText()).isEqualTo("owner@example.com");
        page.getByLabel("Percent of allowance (e.g. 50, 80, 100)").fill("90");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add alert")).click();
        assertThat(page.getByTestId("refusal")).containsText("already have alerts");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove call_seconds")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The alert was removed.");
        assertThat(s.api.get("/v1/customers/" + customer + "/usage_alerts").json().get("data")).isEmpty();

        // channels: email off for failed payments, in the portal on
        page.getByLabel("Email: invoice.payment_failed").setChecked(false);
        page.getByLabel("In the portal: invoice.payment_failed").setChecked(true);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save channels")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Your channels were saved.");
        JsonNode prefs = s.api.get("/v1/customers/" + customer + "/notification_preferences?user_email=owner@example.com").json();
        JsonNode failed = null;
        for (JsonNode p : prefs.get("preferences")) {
            if (p.get("event_type").asText().equals("invoice.payment_failed")) {
                failed = p;
            }
        }
        assertThat(failed).isNotNull();
        assertThat(failed.get("email").asBoolean()).isFalse();
        assertThat(failed.get("in_app").asBoolean()).isTrue();
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-notifications");
        page.context().close();

        // a member sees the customer's notifications too, but neither thresholds nor channels nor the admin pages
        Page member = chromium.context("en-US").newPage();
        member.navigate(PortalLinks.link(s.api, customer, "member@example.com", "member", null));
        member.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("^Notifications"))).click();
        assertThat(member).hasURL(java.util.regex.Pattern.compile(".*/portal/notifications$"));
        assertThat(member.getByTestId("notification").first()).isVisible();
        assertThat(member.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add alert"))).hasCount(0);
        assertThat(member.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save channels"))).hasCount(0);
        assertThat(member.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Payment methods"))).hasCount(0);
        Chromium.assertAccessible(member);
        Chromium.screenshot(member, "portal-notifications-member");
        member.context().close();
    }

    @Test
    void aBankAccountWithItsMandateAndAUpiIdGoThroughTheGatewaysTokenizationAndItsRefusalsAreShown() {
        Sandbox s = new Sandbox("portal bank and upi", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        String customer = s.customer("Bank Dental", "USD", "Europe/Berlin");
        s.subscribe(Map.of("customer_id", customer, "plan", "starter"));
        Page page = signIn(s, customer, "owner@example.com");
        List<Request> requests = new ArrayList<>();
        page.onRequest(requests::add);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Payment methods")).click();

        // the gateway refuses a wrong IBAN: its reason is shown and nothing is saved
        page.getByLabel("Account holder").fill("Erika Mustermann");
        page.getByLabel("IBAN").fill("DE89 3704 0044 0532 0130 01");
        page.locator("#bank-mandate").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add bank account")).click();
        assertThat(page.locator("#bank-form [role=status]")).containsText("not a valid IBAN");
        assertThat(s.api.get("/v1/customers/" + customer + "/payment_methods").json().get("data")).isEmpty();
        page.getByLabel("IBAN").fill("DE89 3704 0044 0532 0130 00");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add bank account")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The payment method was added.");
        assertThat(page.getByTestId("method-3000")).containsText("sepa_debit");
        assertThat(page.getByTestId("method-3000")).containsText("Mandate MDT-");

        page.getByLabel("UPI id", new Page.GetByLabelOptions().setExact(true)).fill("not a upi id");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add UPI id")).click();
        assertThat(page.locator("#upi-form [role=status]")).containsText("must be a UPI id");
        page.getByLabel("UPI id", new Page.GetByLabelOptions().setExact(true)).fill("success@upi");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add UPI id")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("The payment method was added.");
        assertThat(page.getByTestId("method-cess")).containsText("upi");
        JsonNode saved = s.api.get("/v1/customers/" + customer + "/payment_methods").json().get("data");
        assertThat(saved).hasSize(2);
        assertThat(saved.get(0).get("type").asText()).isEqualTo("bank_account");
        assertThat(saved.get(0).get("mandate_reference").asText()).startsWith("MDT-");
        assertThat(saved.get(1).get("type").asText()).isEqualTo("upi");
        Chromium.assertAccessible(page);
        Chromium.screenshot(page, "portal-bank-and-upi");

        // the IBAN and the UPI id went to the gateway's tokenization only; the portal's routes saw tokens
        assertThat(requests.stream().filter(r -> r.postData() != null && (r.postData().contains("DE89") || r.postData().contains("success@upi"))))
                .extracting(Request::url).allMatch(u -> u.endsWith("/v1/sandbox/tokens")).hasSize(3);
        assertThat(requests.stream().filter(r -> r.url().endsWith("/portal/payment_methods") && "POST".equals(r.method())).map(Request::postData))
                .hasSize(2).allMatch(body -> body.matches("csrf=[^&]+&token=tok_[A-Za-z0-9_]+"));
        page.context().close();
    }
}
