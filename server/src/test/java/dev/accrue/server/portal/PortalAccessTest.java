package dev.accrue.server.portal;

import dev.accrue.server.support.Unique;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may see what in the portal, attacked: links that are expired or used, sessions that expired, members on
 * admin pages and their POSTs, forged CSRF tokens, another customer's ids in every URL that takes one,
 * over-long input. Each refusal is checked to have changed nothing.
 */
class PortalAccessTest {
    private static Sandbox s;
    private static String customerA;
    private static String subA;
    private static String customerB;
    private static String subB;
    private static String numberB;
    private static String invoiceB;
    private static String creditNoteA;
    private static String creditNoteB;
    private static String receiptB;
    private static int numbers = (int) (System.nanoTime() % 5000);

    @BeforeAll
    static void accounts() {
        s = new Sandbox("portal access", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        customerA = s.customer("Alpha Clinic", "USD", "UTC");
        subA = s.subscribe(Map.of("customer_id", customerA, "plan", "starter")).get("id").asText();
        provision(subA);
        customerB = s.customer("Bravo Clinic", "USD", "UTC");
        subB = s.subscribe(Map.of("customer_id", customerB, "plan", "starter")).get("id").asText();
        numberB = provision(subB);
        invoiceB = s.api.get("/v1/invoices?customer_id=" + customerB).json().at("/data/0/id").asText();
        String invoiceA = s.api.get("/v1/invoices?customer_id=" + customerA).json().at("/data/0/id").asText();
        creditNoteA = creditNote(invoiceA);
        creditNoteB = creditNote(invoiceB);
        receiptB = receipt();
    }

    private static String creditNote(String invoice) {
        var r = s.api.post("/v1/invoices/" + invoice + "/credit_notes", Map.of("reason", "Goodwill", "amount", "1.00"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    /** A top-up receipt of another customer (only prepaid customers have a wallet to top up). */
    private static String receipt() {
        Map<String, Object> body = Fixtures.customer("Charlie Prepaid");
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        var r = s.api.post("/v1/customers/" + customer + "/wallet/top_ups", Map.of("amount", "10.00", "currency", "USD"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    private static String provision(String sub) {
        var r = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1212555" + (1000 + ++numbers), "country", "US", "type", "local"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().at("/number/id").asText();
    }

    private static WebClient signedIn(String customer, String role) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        WebClient.Page entered = web.get(PortalLinks.link(s.api, customer, "user@example.com", role, null));
        assertThat(entered.status()).as(entered.body()).isEqualTo(302);
        assertThat(entered.location()).isEqualTo("/portal");
        return web;
    }

    private static void executeSql(String sql) {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.execute(sql));
    }

    @Test
    void aLinkWorksOnceAndOnlyBeforeItExpires() {
        String url = PortalLinks.link(s.api, customerA, "user@example.com", "admin", null);
        WebClient first = new WebClient(TestNode.get().baseUrl());
        assertThat(first.get(url).status()).isEqualTo(302);
        assertThat(first.get("/portal").status()).isEqualTo(200);
        WebClient.Page reused = new WebClient(TestNode.get().baseUrl()).get(url);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body()).contains("expired or was already used");

        String stale = PortalLinks.link(s.api, customerA, "late@example.com", "admin", null);
        // ten minutes pass: the link's expiry is moved into the past, as the clock would
        executeSql("UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE email = 'late@example.com'");
        assertThat(new WebClient(TestNode.get().baseUrl()).get(stale).status()).isEqualTo(401);
        assertThat(new WebClient(TestNode.get().baseUrl()).get("/portal/enter/not-a-token").status()).isEqualTo(401);
    }

    @Test
    void anExpiredSessionIsRefusedAndAPageWithoutASessionToo() {
        WebClient web = signedIn(customerA, "admin");
        executeSql("UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE kind = 'portal' AND email = 'session-end@example.com'");
        WebClient ended = new WebClient(TestNode.get().baseUrl());
        ended.get(PortalLinks.link(s.api, customerA, "session-end@example.com", "admin", null));
        assertThat(ended.get("/portal").status()).isEqualTo(200);
        executeSql("UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE kind = 'portal' AND email = 'session-end@example.com'");
        assertThat(ended.get("/portal").status()).isEqualTo(401);
        assertThat(new WebClient(TestNode.get().baseUrl()).get("/portal").status()).isEqualTo(401);
        assertThat(web.get("/portal").status()).isEqualTo(200);
    }

    @Test
    void aMemberSeesOverviewAndUsageButNoAdminPageNorItsForm() {
        WebClient member = signedIn(customerA, "member");
        WebClient.Page overview = member.get("/portal");
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("Starter").doesNotContain("/portal/invoices").doesNotContain("Cancel subscription");
        assertThat(member.get("/portal/usage").status()).isEqualTo(200);
        String invoiceA = s.api.get("/v1/invoices?customer_id=" + customerA).json().at("/data/0/id").asText();
        String numberA = s.api.get("/v1/subscriptions/" + subA + "/numbers").json().at("/data/0/id").asText();
        for (String page : List.of("/portal/invoices", "/portal/invoices/" + invoiceA, "/portal/invoices/" + invoiceA + "/pdf", "/portal/plans",
                "/portal/numbers", "/portal/numbers/" + numberA + "/release", "/portal/wallet", "/portal/subscriptions/" + subA + "/cancel",
                "/portal/credit_notes/" + creditNoteA, "/portal/receipts/" + receiptB + "/pdf")) { // the role is refused before any id is read
            assertThat(member.get(page).status()).as(page).isEqualTo(403);
        }
        String csrf = overview.csrf();
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/portal/subscriptions/" + subA + "/change/preview", Map.of("csrf", csrf, "plan", "pro"));
        posts.put("/portal/subscriptions/" + subA + "/change", Map.of("csrf", csrf, "plan", "pro"));
        posts.put("/portal/subscriptions/" + subA + "/revoke_pending", Map.of("csrf", csrf));
        posts.put("/portal/subscriptions/" + subA + "/add_ons/preview", Map.of("csrf", csrf, "add_on", "bundle_pro_150"));
        posts.put("/portal/subscriptions/" + subA + "/add_ons", Map.of("csrf", csrf, "add_on", "bundle_pro_150"));
        posts.put("/portal/subscriptions/" + subA + "/cancel", Map.of("csrf", csrf, "reason", "other"));
        posts.put("/portal/subscriptions/" + subA + "/reactivate", Map.of("csrf", csrf));
        posts.put("/portal/numbers/" + numberA + "/auto_pay", Map.of("csrf", csrf, "auto_pay", "false"));
        posts.put("/portal/numbers/" + numberA + "/release", Map.of("csrf", csrf, "confirm", "yes"));
        posts.put("/portal/wallet/top_up", Map.of("csrf", csrf, "amount", "10"));
        posts.forEach((path, form) -> assertThat(member.post(path, form).status()).as(path).isEqualTo(403));
        var sub = s.api.get("/v1/subscriptions/" + subA).json();
        assertThat(sub.get("plan").asText()).isEqualTo("starter");
        assertThat(sub.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(s.api.get("/v1/subscriptions/" + subA + "/numbers").json().at("/data/0/status").asText()).isEqualTo("active");
        assertThat(s.api.get("/v1/subscriptions/" + subA + "/numbers").json().at("/data/0/auto_pay").asBoolean()).isTrue();
        assertThat(s.api.get("/v1/subscriptions/" + subA + "/add_ons").json().get("data")).isEmpty();
    }

    @Test
    void anotherCustomersIdIsNotFoundOnEveryPageAndFormThatTakesAnId() {
        WebClient admin = signedIn(customerA, "admin");
        String csrf = admin.get("/portal").csrf();
        for (String page : List.of("/portal/invoices/" + invoiceB, "/portal/invoices/" + invoiceB + "/pdf", "/portal/numbers/" + numberB + "/release",
                "/portal/subscriptions/" + subB + "/cancel", "/portal/usage?subscription=" + subB, "/portal/credit_notes/" + creditNoteB,
                "/portal/receipts/" + receiptB + "/pdf")) {
            WebClient.Page answer = admin.get(page);
            assertThat(answer.status()).as(page).isEqualTo(404);
            assertThat(answer.body()).doesNotContain("Bravo");
        }
        // the customer's own credit note does open: the 404s above are the tampering, not a broken page
        assertThat(admin.get("/portal/credit_notes/" + creditNoteA).status()).isEqualTo(200);
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/portal/subscriptions/" + subB + "/change/preview", Map.of("csrf", csrf, "plan", "pro"));
        posts.put("/portal/subscriptions/" + subB + "/change", Map.of("csrf", csrf, "plan", "pro"));
        posts.put("/portal/subscriptions/" + subB + "/revoke_pending", Map.of("csrf", csrf));
        posts.put("/portal/subscriptions/" + subB + "/add_ons/preview", Map.of("csrf", csrf, "add_on", "bundle_pro_150"));
        posts.put("/portal/subscriptions/" + subB + "/add_ons", Map.of("csrf", csrf, "add_on", "bundle_pro_150"));
        posts.put("/portal/subscriptions/" + subB + "/cancel", Map.of("csrf", csrf, "reason", "other"));
        posts.put("/portal/subscriptions/" + subB + "/reactivate", Map.of("csrf", csrf));
        posts.put("/portal/numbers/" + numberB + "/auto_pay", Map.of("csrf", csrf, "auto_pay", "false"));
        posts.put("/portal/numbers/" + numberB + "/release", Map.of("csrf", csrf, "confirm", "yes"));
        posts.forEach((path, form) -> assertThat(admin.post(path, form).status()).as(path).isEqualTo(404));
        var sub = s.api.get("/v1/subscriptions/" + subB).json();
        assertThat(sub.get("plan").asText()).isEqualTo("starter");
        assertThat(sub.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(s.api.get("/v1/subscriptions/" + subB + "/numbers").json().at("/data/0/status").asText()).isEqualTo("active");
        assertThat(s.api.get("/v1/subscriptions/" + subB + "/numbers").json().at("/data/0/auto_pay").asBoolean()).isTrue();
        assertThat(s.api.get("/v1/subscriptions/" + subB + "/add_ons").json().get("data")).isEmpty();
    }

    @Test
    void aForgedOrMissingCsrfTokenAndOverLongInputChangeNothing() {
        WebClient admin = signedIn(customerA, "admin");
        String csrf = admin.get("/portal").csrf();
        String cancel = "/portal/subscriptions/" + subA + "/cancel";
        assertThat(admin.post(cancel, Map.of("csrf", "forged" + csrf.substring(6), "reason", "other")).status()).isEqualTo(403);
        assertThat(admin.post(cancel, Map.of("reason", "other")).status()).isEqualTo(403);
        // another session's token is not this session's
        String otherToken = signedIn(customerA, "admin").get("/portal").csrf();
        assertThat(admin.post(cancel, Map.of("csrf", otherToken, "reason", "other")).status()).isEqualTo(403);
        assertThat(admin.post(cancel, Map.of("csrf", csrf, "reason", "x".repeat(101))).status()).isEqualTo(400);
        assertThat(admin.post(cancel, Map.of("csrf", csrf, "reason", "other", "detail", "x".repeat(1001))).status()).isEqualTo(400);
        assertThat(admin.post(cancel, Map.of("csrf", csrf)).status()).isEqualTo(400);
        assertThat(admin.post("/portal/wallet/top_up", Map.of("csrf", csrf, "amount", "-5")).status()).isEqualTo(400);
        assertThat(s.api.get("/v1/subscriptions/" + subA).json().get("cancel_at_period_end").asBoolean()).isFalse();
    }

    @Test
    void aPortalLinkIsRefusedForBadInputAnotherTenantsCustomerAndAReadOnlyKey() {
        Map<String, Object> ok = new LinkedHashMap<>(Map.of("customer_id", customerA, "email", "a@example.com", "role", "admin"));
        assertThat(s.api.post("/v1/portal_sessions", with(ok, "role", "owner")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/portal_sessions", with(ok, "email", "not-an-email")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/portal_sessions", with(ok, "return_url", "javascript:alert(1)")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/portal_sessions", with(ok, "locale", "no such locale!")).code()).isEqualTo("validation_failed");
        assertThat(s.api.post("/v1/portal_sessions", with(ok, "customer_id", "cus_01J0000000000000000000000")).code()).isEqualTo("unknown_customer");
        var other = TestNode.get().newTenant("portal other").api();
        assertThat(other.post("/v1/portal_sessions", ok).code()).isEqualTo("unknown_customer");
        assertThat(s.tenant.readOnlyApi().post("/v1/portal_sessions", ok).status()).isEqualTo(403);
        var created = s.api.withHeader("Idempotency-Key", "portal-" + Unique.suffix());
        var first = created.post("/v1/portal_sessions", ok);
        assertThat(first.text("url")).contains("/portal/enter/");
        // the link is shown once: a replay does not hand it out again
        var replay = created.post("/v1/portal_sessions", ok);
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(replay.text("url")).isNull();
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }
}
