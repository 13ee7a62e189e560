package dev.accrue.server.portal;

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
 * The payment-method and notification pages attacked: members on the pages and their POSTs, another customer's
 * payment method, another user's notification and alert, forged CSRF tokens, bad input — each refusal checked to
 * have changed nothing. And the sandbox tokenization a browser calls without a key, which must not let anything
 * else through without one.
 */
class PortalPaymentAccessTest {
    private static Sandbox s;
    private static String customerA;
    private static String methodA;
    private static String customerB;
    private static String methodB;
    private static String ruleOfOtherUser;

    @BeforeAll
    static void accounts() {
        s = new Sandbox("portal payment access", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        customerA = s.customer("Alpha Pay", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customerA, "plan", "starter"));
        methodA = card(customerA);
        card(customerA);
        customerB = s.customer("Bravo Pay", "USD", "UTC");
        s.subscribe(Map.of("customer_id", customerB, "plan", "starter"));
        methodB = card(customerB);
        card(customerB);
        var rule = s.api.post("/v1/customers/" + customerA + "/usage_alerts", Map.of("metric", "call_seconds", "user_email", "other@example.com",
                "percents", List.of(50)));
        assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
        ruleOfOtherUser = rule.text("id");
    }

    private static String card(String customer) {
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        var added = s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id")));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.text("id");
    }

    private static WebClient signedIn(String customer, String role) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.get(PortalLinks.link(s.api, customer, "user@example.com", role, null)).status()).isEqualTo(302);
        return web;
    }

    private static String methods(String customer) {
        return s.api.get("/v1/customers/" + customer + "/payment_methods").json().get("data").toString();
    }

    private static Map<String, Map<String, String>> posts(String method, String csrf) {
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/portal/payment_methods/" + method + "/default", Map.of("csrf", csrf));
        posts.put("/portal/payment_methods/" + method + "/move", Map.of("csrf", csrf, "direction", "down"));
        posts.put("/portal/payment_methods/" + method + "/expiry", Map.of("csrf", csrf, "exp_month", "1", "exp_year", "2035"));
        posts.put("/portal/payment_methods/" + method + "/remove", Map.of("csrf", csrf));
        return posts;
    }

    @Test
    void aMemberCannotReachThePaymentPagesNorTheAlertAndChannelFormsButReadsNotifications() {
        WebClient member = signedIn(customerA, "member");
        WebClient.Page overview = member.get("/portal");
        assertThat(overview.body()).doesNotContain("/portal/payment_methods").contains("/portal/notifications");
        assertThat(member.get("/portal/payment_methods").status()).isEqualTo(403);
        WebClient.Page feed = member.get("/portal/notifications");
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.body()).doesNotContain("/portal/notifications/alerts").doesNotContain("/portal/notifications/channels");
        // marking read is the member's own read state, so it is allowed; changing thresholds or channels is not
        assertThat(member.post("/portal/notifications/read_all", Map.of("csrf", feed.csrf())).status()).isEqualTo(302);
        assertThat(member.post("/portal/notifications/read_all", Map.of("csrf", "forged")).status()).isEqualTo(403);
        String csrf = overview.csrf();
        String before = methods(customerA);
        Map<String, Map<String, String>> posts = posts(methodA, csrf);
        posts.put("/portal/payment_methods", Map.of("csrf", csrf, "token", "tok_whatever"));
        posts.put("/portal/notifications/alerts", Map.of("csrf", csrf, "metric", "call_seconds", "percents", "10"));
        posts.put("/portal/notifications/alerts/" + ruleOfOtherUser + "/remove", Map.of("csrf", csrf));
        posts.put("/portal/notifications/channels", Map.of("csrf", csrf));
        posts.forEach((path, form) -> assertThat(member.post(path, form).status()).as(path).isEqualTo(403));
        assertThat(methods(customerA)).isEqualTo(before);
        assertThat(s.api.get("/v1/customers/" + customerA + "/usage_alerts").json().get("data")).hasSize(1);
    }

    @Test
    void anotherCustomersMethodAndAnotherUsersAlertOrNotificationAreNotFound() {
        WebClient admin = signedIn(customerA, "admin");
        String csrf = admin.get("/portal/payment_methods").csrf();
        String beforeB = methods(customerB);
        posts(methodB, csrf).forEach((path, form) -> {
            WebClient.Page answer = admin.post(path, form);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.body()).doesNotContain("Bravo");
        });
        assertThat(methods(customerB)).isEqualTo(beforeB);
        assertThat(admin.post("/portal/notifications/alerts/" + ruleOfOtherUser + "/remove", Map.of("csrf", csrf)).status()).isEqualTo(404);
        assertThat(s.api.get("/v1/customers/" + customerA + "/usage_alerts").json().get("data")).hasSize(1);
        assertThat(admin.post("/portal/notifications/ntf_01J0000000000000000000000/read", Map.of("csrf", csrf)).status()).isEqualTo(404);
        assertThat(admin.get("/portal/notifications").body()).doesNotContain(ruleOfOtherUser);
    }

    @Test
    void aForgedCsrfTokenAndBadInputChangeNothing() {
        WebClient admin = signedIn(customerA, "admin");
        String csrf = admin.get("/portal/payment_methods").csrf();
        String before = methods(customerA);
        String otherSession = signedIn(customerA, "admin").get("/portal").csrf();
        for (String forged : List.of("forged" + csrf.substring(6), otherSession)) {
            posts(methodA, forged).forEach((path, form) -> assertThat(admin.post(path, form).status()).as(path).isEqualTo(403));
            assertThat(admin.post("/portal/payment_methods", Map.of("csrf", forged, "token", "tok_x")).status()).isEqualTo(403);
            assertThat(admin.post("/portal/notifications/read_all", Map.of("csrf", forged)).status()).isEqualTo(403);
        }
        assertThat(admin.post("/portal/payment_methods", Map.of("csrf", csrf, "token", "t".repeat(256))).status()).isEqualTo(400);
        assertThat(admin.post("/portal/payment_methods/" + methodA + "/move", Map.of("csrf", csrf, "direction", "left")).status()).isEqualTo(400);
        assertThat(admin.post("/portal/payment_methods/" + methodA + "/expiry", Map.of("csrf", csrf, "exp_month", "ab", "exp_year", "2030")).status())
                .isEqualTo(400);
        // a token the gateway does not know comes back to the page as a message
        WebClient.Page unknown = admin.post("/portal/payment_methods", Map.of("csrf", csrf, "token", "tok_unknown"));
        assertThat(unknown.status()).isEqualTo(302);
        assertThat(unknown.location()).isEqualTo("/portal/payment_methods?refused=invalid_token");
        assertThat(admin.get(unknown.location()).body()).contains("did not accept this card entry");
        // a refusal code is shown only from the list of known ones: text in the URL is never echoed
        assertThat(admin.get("/portal/payment_methods?refused=forbidden").body()).doesNotContain("banner bad");
        assertThat(admin.post("/portal/notifications/alerts", Map.of("csrf", csrf, "metric", "call_seconds", "percents", "<script>")).status())
                .isEqualTo(400);
        assertThat(methods(customerA)).isEqualTo(before);
    }

    @Test
    void onlyTheSandboxTokenizationAnswersWithoutAnApiKey() {
        var anonymous = s.api.anonymous();
        var token = anonymous.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        assertThat(token.text("id")).startsWith("tok_");
        assertThat(anonymous.post("/v1/sandbox/tokens", Map.of()).code()).isEqualTo("missing_field");
        // the token alone attaches nowhere without a key, and nothing else answers without one
        assertThat(anonymous.post("/v1/customers/" + customerA + "/payment_methods", Map.of("token", token.text("id"))).status()).isEqualTo(401);
        assertThat(anonymous.post("/v1/sandbox/tokens/" + token.text("id") + "/simulate", Map.of("behaviour", "succeed")).status()).isEqualTo(401);
        assertThat(anonymous.get("/v1/customers/" + customerA).status()).isEqualTo(401);
        // a key that is given must still be valid and allowed to write
        assertThat(s.tenant.readOnlyApi().post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12,
                "exp_year", 2030, "cvc", "123"))).status()).isEqualTo(403);
    }
}
