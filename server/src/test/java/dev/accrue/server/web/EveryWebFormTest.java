package dev.accrue.server.web;

import dev.accrue.server.support.Unique;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.app.auth.Caller;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TenantFingerprint;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every form of the portal and the console — taken from the routes the node registered ({@code WebArea}), not from a
 * list in this test, so a form added tomorrow is attacked too — refuses a forged, a missing and another session's
 * CSRF token, and a session that ended; every page of an ended session is refused. Each form is sent with real ids of
 * this tenant and every field a form takes filled validly, so an unguarded form would change something; the digest of
 * every row the tenant owns proves nothing did.
 */
class EveryWebFormTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String PORTAL_USER = "owner@forms.example";
    private static Sandbox s;
    private static String customer;
    private static final Map<String, String> IDS = new LinkedHashMap<>();
    /** Ids of another customer of the tenant (portal routes); the console's are attacked from another tenant with {@link #IDS}. */
    private static final Map<String, String> VICTIM = new LinkedHashMap<>();
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    @BeforeAll
    static void tenant() {
        s = new Sandbox("every web form", Sandbox.demoCatalog("voiceagent.yaml"), "2026-06-10T08:00:00Z");
        // the tenant offers a pause instead of cancelling, so the pause form reads its date instead of refusing outright
        var offered = s.api.send("PUT", "/v1/tenant/cancel_alternatives", Map.of("alternatives", List.of(Map.of("kind", "pause"))));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(200);
        customer = s.customer("Forms Clinic", "USD", "UTC");
        String method = card(customer);
        card(customer);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "starter")).get("id").asText();
        var number = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1646555" + (1000 + System.nanoTime() % 8000), "country", "US",
                "type", "local"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        s.advanceTo("2026-06-10T09:00:00Z"); // the first invoice is collected: a payment to refund
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        String payment = s.api.get("/v1/payments?customer_id=" + customer).json().at("/data/0/id").asText();
        var alert = s.api.post("/v1/customers/" + customer + "/usage_alerts", Map.of("metric", "call_seconds", "user_email", PORTAL_USER,
                "percents", List.of(50)));
        assertThat(alert.status()).as(alert.toString()).isEqualTo(201);
        String colleague = "support-forms-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), colleague, "Colleague", "support", PASSWORD);
        String staffId = TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM staff_users WHERE email = :e")
                .bind("e", colleague).mapTo(String.class).one());
        String creditNote = creditNote(invoice);
        String receipt = prepaidReceipt("Prepaid Forms");
        IDS.put("/portal/invoices/", invoice);
        IDS.put("/portal/credit_notes/", creditNote);
        IDS.put("/portal/receipts/", receipt); // a prepaid customer's: the expiry and CSRF checks come before any lookup
        IDS.put("/console/customers/", customer);
        IDS.put("/portal/subscriptions/", sub);
        IDS.put("/portal/numbers/", number.json().at("/number/id").asText());
        IDS.put("/portal/payment_methods/", method);
        IDS.put("/portal/notifications/alerts/", alert.text("id"));
        IDS.put("/portal/notifications/", "ntf_01J0000000000000000000000"); // marking read is refused before any lookup
        IDS.put("/console/subscriptions/", sub);
        IDS.put("/console/invoices/", invoice);
        IDS.put("/console/payments/", payment);
        IDS.put("/console/staff/", staffId);
        victims();
        // every field any form takes, each with a value its form would accept
        FIELDS.putAll(Map.ofEntries(Map.entry("plan", "pro"), Map.entry("add_on", "bundle_pro_150"), Map.entry("reason", "too_expensive"),
                Map.entry("detail", "forged"), Map.entry("confirm", "yes"), Map.entry("auto_pay", "false"), Map.entry("amount", "10.00"),
                Map.entry("amounts", "5"), Map.entry("percents", "80"), Map.entry("metric", "call_seconds"), Map.entry("direction", "down"),
                Map.entry("exp_month", "11"), Map.entry("exp_year", "2034"), Map.entry("token", "tok_forged"), Map.entry("resume_on", "2026-08-01"),
                Map.entry("method", "bank_transfer"), Map.entry("reference", "forged"), Map.entry("received_on", "2026-06-10"),
                Map.entry("role", "admin"), Map.entry("email", "intruder@staff.example"), Map.entry("name", "Intruder"), Map.entry("outcome", "failed"),
                Map.entry("password", "intruder password 123")));
    }

    /** Another customer of the same tenant, with one of everything a portal URL can name. */
    private static void victims() {
        String victim = s.customer("Victim Clinic", "USD", "UTC");
        String method = card(victim);
        card(victim);
        String sub = s.subscribe(Map.of("customer_id", victim, "plan", "starter")).get("id").asText();
        var number = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+1646556" + (1000 + System.nanoTime() % 8000), "country", "US",
                "type", "local"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        String invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        var alert = s.api.post("/v1/customers/" + victim + "/usage_alerts", Map.of("metric", "call_seconds", "user_email", PORTAL_USER,
                "percents", List.of(50)));
        assertThat(alert.status()).as(alert.toString()).isEqualTo(201);
        VICTIM.put("/portal/subscriptions/", sub);
        VICTIM.put("/portal/numbers/", number.json().at("/number/id").asText());
        VICTIM.put("/portal/payment_methods/", method);
        VICTIM.put("/portal/notifications/alerts/", alert.text("id"));
        VICTIM.put("/portal/notifications/", "ntf_01J0000000000000000000000");
        VICTIM.put("/portal/invoices/", invoice);
        VICTIM.put("/portal/credit_notes/", creditNote(invoice));
        VICTIM.put("/portal/receipts/", prepaidReceipt("Prepaid Victim"));
    }

    private static String creditNote(String invoice) {
        var note = s.api.post("/v1/invoices/" + invoice + "/credit_notes", Map.of("reason", "Goodwill", "amount", "1.00"));
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        return note.text("id");
    }

    private static String prepaidReceipt(String name) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        String prepaid = s.api.post("/v1/customers", body).text("id");
        var topUp = s.api.post("/v1/customers/" + prepaid + "/wallet/top_ups", Map.of("amount", "10.00", "currency", "USD"));
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(201);
        return topUp.text("id");
    }

    private static String card(String customer) {
        var token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        var added = s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", token.text("id")));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added.text("id");
    }

    private static List<String> routes(String method) {
        List<String> paths = TestNode.get().accrue().webPages().stream().filter(r -> r.method().equals(method)).map(WebArea.Route::path).toList();
        // the list is the node's own: these are in it, and so is everything added later
        List<String> known = method.equals("POST") ? List.of("/portal/subscriptions/{id}/cancel", "/portal/payment_methods/{id}/remove",
                "/console/invoices/{id}/payments", "/console/staff/{id}/deactivate") : List.of("/portal", "/portal/invoices/{id}", "/console/customers");
        assertThat(paths).containsAll(known);
        return paths;
    }

    /** The route with its id filled in with a real id of this tenant for what the route acts on. */
    private static String filled(String route) {
        return filled(route, IDS);
    }

    private static String filled(String route, Map<String, String> ids) {
        int brace = route.indexOf('{');
        if (brace < 0) {
            return route;
        }
        String id = ids.get(route.substring(0, brace));
        if (id == null) {
            fail("A web route takes an id this test has none for: " + route + " — add a real one to IDS");
        }
        return route.substring(0, brace) + id + route.substring(route.indexOf('}') + 1);
    }

    private static Map<String, String> form(String csrf) {
        Map<String, String> form = new LinkedHashMap<>(FIELDS);
        if (csrf != null) {
            form.put("csrf", csrf);
        }
        return form;
    }

    private static WebClient portal(String email) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.get(PortalLinks.link(s.api, customer, email, "admin", null)).status()).isEqualTo(302);
        return web;
    }

    private static WebClient console(String role) {
        String email = role + "-forms-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(s.tenant.id()), email, "Staff " + role, role, PASSWORD);
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.signInToConsole(email, PASSWORD).status()).isEqualTo(302);
        return web;
    }

    @Test
    void everyFormRefusesAForgedAMissingAndAnotherSessionsTokenAndChangesNothing() {
        WebClient portal = portal(PORTAL_USER);
        String portalCsrf = portal.get("/portal").csrf();
        String otherPortalCsrf = portal("other-" + PORTAL_USER).get("/portal").csrf();
        WebClient console = console("admin");
        String consoleCsrf = console.get("/console/customers").csrf();
        String otherConsoleCsrf = console("admin").get("/console/customers").csrf();
        Map<String, String> before = TenantFingerprint.of(s.tenant.id());

        List<String> forms = routes("POST");
        for (String route : forms) {
            boolean inPortal = route.startsWith("/portal");
            WebClient web = inPortal ? portal : console;
            String own = inPortal ? portalCsrf : consoleCsrf;
            String path = filled(route);
            Map<String, Map<String, String>> attacks = new LinkedHashMap<>();
            attacks.put("forged token", form(own.substring(0, own.length() - 4) + "AAAA"));
            attacks.put("no token", form(null));
            attacks.put("empty token", form(""));
            attacks.put("another session's token", form(inPortal ? otherPortalCsrf : otherConsoleCsrf));
            attacks.forEach((attack, body) -> {
                WebClient.Page answer = web.post(path, body);
                assertThat(answer.status()).as(attack + " on " + path).isEqualTo(403);
                assertThat(answer.body()).as(attack + " on " + path).contains("This form is out of date or was not sent by this site");
            });
        }
        assertThat(TenantFingerprint.of(s.tenant.id())).as("rows of the tenant after %d forms × 4 forged tokens", forms.size()).isEqualTo(before);
    }

    @Test
    void everyFormAndPageOfAnEndedSessionIsRefusedAndChangesNothing() {
        String ending = "ending-" + Unique.suffix() + "@forms.example";
        WebClient portal = portal(ending);
        String portalCsrf = portal.get("/portal").csrf();
        WebClient console = console("admin");
        String consoleCsrf = console.get("/console/customers").csrf();
        // an hour passes: both sessions' expiry moves into the past, as the clock would move past it
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate("UPDATE web_sessions SET expires_at = now() - interval '1 second' "
                + "WHERE tenant_id = :t AND (email = :portal OR kind = 'console')").bind("t", s.tenant.id()).bind("portal", ending).execute());
        Map<String, String> before = TenantFingerprint.of(s.tenant.id());

        for (String route : routes("POST")) {
            boolean inPortal = route.startsWith("/portal");
            String path = filled(route);
            WebClient.Page answer = (inPortal ? portal : console).post(path, form(inPortal ? portalCsrf : consoleCsrf));
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).contains("Your session has expired");
        }
        for (String route : routes("GET")) {
            String path = filled(route);
            WebClient.Page answer = (route.startsWith("/portal") ? portal : console).get(path);
            if (route.startsWith("/portal")) {
                assertThat(answer.status()).as(path).isEqualTo(401);
            } else {
                // the console sends a browser without a session to its sign-in page
                assertThat(answer.status()).as(path).isEqualTo(302);
                assertThat(answer.location()).as(path).isEqualTo("/console/login");
            }
            assertThat(answer.body()).as(path).doesNotContain("Forms Clinic");
        }
        assertThat(TenantFingerprint.of(s.tenant.id())).isEqualTo(before);
    }

    /**
     * The forms that take no text at all (a button: sign out, reactivate, make default, remove, mark read…, or only
     * checkboxes: the channels, the confirmation that a release cannot be undone); every other form reads a text field,
     * so every other form must refuse it over-long.
     */
    private static final List<String> WITHOUT_TEXT = List.of("/portal/sign_out", "/portal/subscriptions/{id}/revoke_pending",
            "/portal/subscriptions/{id}/reactivate", "/portal/subscriptions/{id}/resume", "/portal/payment_methods/{id}/default",
            "/portal/payment_methods/{id}/remove", "/portal/payment_methods/setup_intent", "/portal/payment_methods/sepa_setup_intent",
            "/portal/notifications/{id}/read", "/portal/notifications/read_all", "/portal/notifications/channels",
            "/portal/notifications/alerts/{id}/remove", "/portal/numbers/{id}/release", "/console/logout", "/console/staff/{id}/deactivate", "/console/staff/{id}/reactivate");

    @Test
    void everyFormWithATextFieldRefusesOverLongInputWithAMessageAndChangesNothing() {
        WebClient portal = portal("long-" + PORTAL_USER);
        String portalCsrf = portal.get("/portal").csrf();
        WebClient console = console("admin");
        String consoleCsrf = console.get("/console/customers").csrf();
        Map<String, String> before = TenantFingerprint.of(s.tenant.id());
        List<String> attacked = new ArrayList<>();
        for (String route : routes("POST")) {
            if (WITHOUT_TEXT.contains(route)) {
                continue;
            }
            boolean inPortal = route.startsWith("/portal");
            Map<String, String> longForm = new LinkedHashMap<>();
            FIELDS.keySet().forEach(field -> longForm.put(field, "9".repeat(5_000)));
            longForm.put("csrf", inPortal ? portalCsrf : consoleCsrf);
            String path = filled(route);
            WebClient.Page answer = (inPortal ? portal : console).post(path, longForm);
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(400);
            // the page says which field and what is allowed
            assertThat(answer.body()).as(path).containsPattern("(?s)<main>.*(characters|at most|longer than|too long).*</main>");
            attacked.add(route);
        }
        assertThat(attacked).hasSizeGreaterThan(15);
        assertThat(TenantFingerprint.of(s.tenant.id())).isEqualTo(before);
    }

    @Test
    void everyPageAndFormTakingAnIdAnswersNotFoundForAnotherCustomersOrAnotherTenantsId() {
        WebClient portal = portal("tamper-" + PORTAL_USER);
        String portalCsrf = portal.get("/portal").csrf();
        var outsiderTenant = TestNode.get().newTenant("every web form outsider");
        String outsider = "outsider-forms-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(outsiderTenant.id()), outsider, "Outsider", "admin", PASSWORD);
        WebClient console = new WebClient(TestNode.get().baseUrl());
        assertThat(console.signInToConsole(outsider, PASSWORD).status()).isEqualTo(302);
        String consoleCsrf = console.get("/console/customers").csrf();
        Map<String, String> before = TenantFingerprint.of(s.tenant.id());
        List<String> tampered = new ArrayList<>();
        for (String method : List.of("GET", "POST")) {
            for (String route : routes(method)) {
                if (!route.contains("{")) {
                    continue;
                }
                boolean inPortal = route.startsWith("/portal");
                // the portal's admin of one customer names another customer's ids; the console's admin of another tenant this tenant's
                String path = inPortal ? filled(route, VICTIM) : filled(route, IDS);
                WebClient web = inPortal ? portal : console;
                WebClient.Page answer = method.equals("GET") ? web.get(path) : web.post(path, form(inPortal ? portalCsrf : consoleCsrf));
                assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(404);
                assertThat(answer.body()).as(path).doesNotContain("Victim Clinic").doesNotContain("Forms Clinic");
                tampered.add(method + " " + route);
            }
        }
        assertThat(tampered).hasSizeGreaterThan(25);
        assertThat(TenantFingerprint.of(s.tenant.id())).isEqualTo(before);
    }

    @Test
    void theDigestSeesAChangeSoTheTestsAboveCouldFail() {
        WebClient portal = portal("control-" + PORTAL_USER);
        String csrf = portal.get("/portal").csrf();
        Map<String, String> before = TenantFingerprint.of(s.tenant.id());
        String path = filled("/portal/numbers/{id}/auto_pay");
        assertThat(portal.post(path, form(csrf)).status()).isEqualTo(302);
        assertThat(TenantFingerprint.of(s.tenant.id())).isNotEqualTo(before);
        assertThat(portal.post(path, Map.of("csrf", csrf, "auto_pay", "true")).status()).isEqualTo(302);
    }
}
