package dev.accrue.server.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.adapters.payment.stripe.LocalStripe;
import dev.accrue.adapters.payment.stripe.StripeSettings;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.accrue.server.payment.PaymentFixtures.attempts;
import static dev.accrue.server.payment.PaymentFixtures.events;
import static dev.accrue.server.payment.PaymentFixtures.subscriptionStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: Stripe's webhooks on the real route. A second node, on the suite's database, has Stripe as its gateway,
 * pointed at {@link LocalStripe} (Stripe's documented bodies; SEPA debits answer {@code processing}); events are
 * signed here with Stripe's scheme (HMAC-SHA256 of "t.body" with the endpoint's secret) and posted to
 * {@code POST /v1/gateway_events/stripe} without an API key.
 */
class StripeWebhookRouteTest {
    private static final String WHSEC = "whsec_RouteTestEndpointSecret5521";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStripe stripe;
    private static Accrue node;
    private static String base;

    @BeforeAll
    static void startStripeNode() {
        stripe = new LocalStripe();
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of("ACCRUE_RATE_LIMIT_FAILED_AUTH", "100000"))
                .withDataDir(TestNode.get().dataDir()).withPort(0);
        node = Accrue.open(config, Clock.systemUTC(), WebhookSettings.DEFAULT,
                Optional.of(new StripeSettings(LocalStripe.API_KEY, WHSEC, stripe.apiBase()))).serve("127.0.0.1", 0);
        base = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        node.close();
        stripe.close();
    }

    private record Tenant(String id, Api api, String clockId) {
        String customer(String name) {
            Map<String, Object> body = Fixtures.customer(name);
            body.put("currency", "USD");
            body.put("time_zone", "UTC");
            body.remove("alignment");
            body.put("test_clock_id", clockId);
            var created = api.post("/v1/customers", body);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            return created.text("id");
        }

        void advanceTo(String instant) {
            var r = api.post("/v1/test_clocks/" + clockId + "/advance", Map.of("frozen_time", instant));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
    }

    private static Tenant tenant(String label) {
        var t = TestNode.get().newTenant(label);
        Api api = t.api().at(base);
        var imported = api.postYaml("/v1/catalog/versions", Sandbox.demoCatalog("voiceagent.yaml"));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        String clock = api.post("/v1/test_clocks", Map.of("name", label, "frozen_time", "2026-06-01T08:00:00Z")).text("id");
        return new Tenant(t.id(), api, clock);
    }

    private static String addMethod(Api api, String customerId, String token) {
        var r = api.post("/v1/customers/" + customerId + "/payment_methods", Map.of("token", token));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.text("id");
    }

    /** A SEPA Direct Debit method whose mandate the customer accepted in Stripe's form (a confirmed SetupIntent). */
    private static String addSepa(Api api, String customerId) {
        // the mandate is set up on the customer's Stripe record, which Accrue creates with the first method it saves
        String card = stripe.customerOf(customerId) == null ? addMethod(api, customerId, "pm_card_visa") : null;
        String sepa = addMethod(api, customerId, stripe.confirmedSetup(stripe.customerOf(customerId), "pm_sepa_debit"));
        if (card != null) {
            var removed = api.delete("/v1/customers/" + customerId + "/payment_methods/" + card);
            assertThat(removed.status()).as(removed.toString()).isBetween(200, 204);
        }
        return sepa;
    }

    private static List<Map<String, Object>> processingIntents(String tenantId) {
        return stripe.paymentIntents().stream().filter(pi -> "processing".equals(pi.get("status")))
                .filter(pi -> tenantId.equals(((Map<?, ?>) pi.get("metadata")).get("accrue_tenant"))).toList();
    }

    // ---- Stripe's side: events and their signature ----

    private static String event(String id, String type, Map<String, Object> object) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("object", "event");
        e.put("api_version", "2026-07-29.dahlia");
        e.put("created", Instant.now().getEpochSecond());
        e.put("data", Map.of("object", object));
        e.put("livemode", false);
        e.put("pending_webhooks", 1);
        e.put("type", type);
        try {
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<String, Object> settled(Map<String, Object> intent, boolean succeeded) {
        Map<String, Object> pi = new LinkedHashMap<>(intent);
        if (succeeded) {
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.get("amount"));
        } else {
            pi.put("status", "requires_payment_method");
            pi.put("last_payment_error", Map.of("type", "card_error", "code", "insufficient_funds",
                    "message", "The customer's account has insufficient funds to cover this payment."));
        }
        return pi;
    }

    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Api.Response deliver(String body, String signature) {
        return new Api(base, null).withHeader("Stripe-Signature", signature).post("/v1/gateway_events/stripe", body);
    }

    private static Api.Response deliver(String body) {
        return deliver(body, signature(WHSEC, Instant.now().getEpochSecond(), body));
    }

    @Test
    void aDebitWhoseWebhookNeverComesIsSettledByAskingStripe() {
        Tenant t = tenant("stripe-poll");
        String c = t.customer("Quiet Bank GmbH");
        addSepa(t.api(), c);
        String subId = t.api().post("/v1/subscriptions", Map.of("customer_id", c, "plan", "starter")).text("id");
        String invoice = t.api().get("/v1/invoices?subscription_id=" + subId).json().at("/data/0/id").asText();
        t.advanceTo("2026-06-01T09:00:00Z");
        List<Map<String, Object>> processing = processingIntents(t.id());
        assertThat(processing).hasSize(1);
        String intent = (String) processing.getFirst().get("id");
        int created = stripe.paymentIntentsCreated();

        // the bank pays; Stripe's webhook is lost. A day later the poller asks Stripe (retrieve PaymentIntent)
        stripe.settleDebit(intent, true);
        t.advanceTo("2026-06-02T10:00:00Z");
        node.services().processingPoller().runDue(100);

        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(stripe.paymentIntentsCreated()).isEqualTo(created);
        assertThat(stripe.seen()).anySatisfy(r -> assertThat(r.method() + " " + r.path()).isEqualTo("GET /v1/payment_intents/" + intent));
    }

    @Test
    void aChargeWhoseAnswerWasLostIsLookedUpNotResentOnceStripeForgotItsKey() {
        Tenant t = tenant("stripe-lost");
        String c = t.customer("Lost Answer Ltd");
        addMethod(t.api(), c, "pm_card_visa");
        String subId = t.api().post("/v1/subscriptions", Map.of("customer_id", c, "plan", "starter")).text("id");
        String invoice = t.api().get("/v1/invoices?subscription_id=" + subId).json().at("/data/0/id").asText();
        // Stripe charges, the answer never reaches Accrue: the attempt stays pending
        stripe.fail(LocalStripe.Fault.DROP_AFTER_EXECUTING);
        t.advanceTo("2026-06-01T09:00:00Z");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("finalized");
        int created = stripe.paymentIntentsCreated();

        // a day passes: Stripe forgot the key, so a resend under it would charge again; Accrue looks the charge up instead
        stripe.forgetIdempotencyKeys();
        t.advanceTo("2026-06-02T09:30:00Z");
        node.services().collections().runDue(100, Duration.ZERO);

        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(stripe.paymentIntentsCreated()).as("charged once").isEqualTo(created);
    }

    @Test
    void aDebitThatSettlesLaterPaysTheInvoiceAndReinstatesTheSuspendedCustomerOnceEvenWhenReplayed() {
        Tenant t = tenant("stripe-async");
        String c = t.customer("Debit GmbH");
        addMethod(t.api(), c, "pm_card_chargeCustomerFail");
        var sub = t.api().post("/v1/subscriptions", Map.of("customer_id", c, "plan", "starter"));
        assertThat(sub.status()).as(sub.toString()).isEqualTo(201);
        String subId = sub.text("id");
        String invoice = t.api().get("/v1/invoices?subscription_id=" + subId).json().at("/data/0/id").asText();
        for (String at : new String[] {"2026-06-01T09:00:00Z", "2026-06-02T10:00:00Z", "2026-06-04T10:00:00Z", "2026-06-06T10:00:00Z",
                "2026-06-08T10:00:00Z", "2026-06-11T11:00:00Z"}) {
            t.advanceTo(at);
        }
        assertThat(subscriptionStatus(t.api(), subId)).isEqualTo("suspended");

        // the customer sets up a SEPA mandate: the retry is accepted by the bank and processing — not paid yet
        addSepa(t.api(), c);
        t.advanceTo("2026-06-11T11:01:00Z");
        List<Map<String, Object>> processing = processingIntents(t.id());
        assertThat(processing).hasSize(1);
        Map<String, Object> intent = processing.getFirst();
        @SuppressWarnings("unchecked")
        String attempt = ((Map<String, String>) intent.get("metadata")).get("accrue_attempt");
        assertThat(attempt).startsWith("pay_");
        assertThat(t.api().get("/v1/payments/" + attempt).text("status")).isEqualTo("pending");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("finalized");
        assertThat(subscriptionStatus(t.api(), subId)).isEqualTo("suspended");
        // a later collection run does not send it again (Stripe forgets idempotency keys after 24 hours)
        int created = stripe.paymentIntentsCreated();
        t.advanceTo("2026-06-13T11:01:00Z");
        assertThat(stripe.paymentIntentsCreated()).isEqualTo(created);

        // forged, stale and unsigned deliveries are refused and change nothing
        String body = event("evt_async_ok_" + System.nanoTime(), "payment_intent.succeeded", settled(intent, true));
        long now = Instant.now().getEpochSecond();
        assertThat(deliver(body, signature("whsec_someone_else", now, body)).code()).isEqualTo("unauthenticated");
        assertThat(deliver(body, signature(WHSEC, now - 600, body)).code()).isEqualTo("unauthenticated");
        assertThat(deliver(body, "").status()).isEqualTo(401);
        assertThat(deliver(body.replace("\"succeeded\"", "\"succeeded\" "), signature(WHSEC, now, body)).status()).isEqualTo(401);
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("finalized");

        // Stripe's payment_intent.succeeded: the same settlement as a synchronous approval
        var applied = deliver(body);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.text("result")).isEqualTo("applied");
        assertThat(t.api().get("/v1/payments/" + attempt).text("status")).isEqualTo("succeeded");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(subscriptionStatus(t.api(), subId)).isEqualTo("active");
        assertThat(events(t.id(), null)).contains("customer.reinstated " + c);
        List<String> before = events(t.id(), null);

        // the same event again (Stripe redelivers; or a replay within the tolerance): nothing more happens
        var again = deliver(body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("result")).isEqualTo("duplicate");
        assertThat(events(t.id(), null)).isEqualTo(before);
        assertThat(attempts(t.api(), invoice).stream().filter(a -> a.startsWith("succeeded"))).hasSize(1);

        // a partial refund made in Stripe's dashboard: recorded once, however often Stripe tells it
        long amount = ((Number) intent.get("amount")).longValue();
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", intent.get("latest_charge"));
        charge.put("object", "charge");
        charge.put("amount", amount);
        charge.put("amount_refunded", amount / 2);
        charge.put("currency", intent.get("currency"));
        charge.put("payment_intent", intent.get("id"));
        charge.put("refunded", false);
        charge.put("status", "succeeded");
        charge.put("metadata", Map.of());
        assertThat(deliver(event("evt_refund_a_" + System.nanoTime(), "charge.refunded", charge)).text("result")).isEqualTo("applied");
        assertThat(deliver(event("evt_refund_b_" + System.nanoTime(), "charge.refunded", charge)).text("result")).isEqualTo("applied");
        String half = new java.math.BigDecimal(amount / 2).movePointLeft(2).toPlainString();
        assertThat(t.api().get("/v1/payments/" + attempt).text("refunded")).isEqualTo(half);
        assertThat(events(t.id(), "payment.refunded")).hasSize(1);
        before = events(t.id(), null);

        // an event for an attempt of another tenant, or one Accrue never made: answered (so Stripe stops), ignored
        Tenant other = tenant("stripe-other");
        Map<String, Object> foreign = new LinkedHashMap<>(settled(intent, true));
        foreign.put("metadata", Map.of("accrue_attempt", attempt, "accrue_tenant", other.id()));
        var ignored = deliver(event("evt_foreign_" + System.nanoTime(), "payment_intent.succeeded", foreign));
        assertThat(ignored.status()).isEqualTo(200);
        assertThat(ignored.text("result")).isEqualTo("ignored");
        Map<String, Object> unknown = new LinkedHashMap<>(settled(intent, false));
        unknown.put("id", "pi_NeverMadeByAccrue");
        unknown.put("metadata", Map.of());
        assertThat(deliver(event("evt_unknown_" + System.nanoTime(), "payment_intent.payment_failed", unknown)).text("result")).isEqualTo("ignored");
        assertThat(events(t.id(), null)).isEqualTo(before);
    }

    @Test
    void aDebitThatFailsLaterAdvancesDunning() {
        Tenant t = tenant("stripe-async-fail");
        String c = t.customer("Bounce SARL");
        String sepa = addSepa(t.api(), c);
        assertThat(sepa).startsWith("pm");
        var sub = t.api().post("/v1/subscriptions", Map.of("customer_id", c, "plan", "starter"));
        assertThat(sub.status()).as(sub.toString()).isEqualTo(201);
        String invoice = t.api().get("/v1/invoices?subscription_id=" + sub.text("id")).json().at("/data/0/id").asText();
        t.advanceTo("2026-06-01T09:00:00Z");
        List<Map<String, Object>> processing = processingIntents(t.id());
        assertThat(processing).hasSize(1);

        var failed = deliver(event("evt_async_fail_" + System.nanoTime(), "payment_intent.payment_failed", settled(processing.getFirst(), false)));
        assertThat(failed.text("result")).isEqualTo("applied");
        assertThat(attempts(t.api(), invoice)).singleElement().asString().startsWith("failed insufficient_funds");
        assertThat(events(t.id(), null)).contains("invoice.payment_failed " + invoice);
        assertThat(t.api().get("/v1/audit_events?object_id=" + invoice).body()).contains("invoice.retry_scheduled");

        // the schedule's first retry (a day after the failure) debits again: a new attempt, a new PaymentIntent
        t.advanceTo("2026-06-02T10:00:00Z");
        assertThat(processingIntents(t.id())).hasSize(2);
        assertThat(attempts(t.api(), invoice)).hasSize(2).last().asString().startsWith("pending");
    }
}
