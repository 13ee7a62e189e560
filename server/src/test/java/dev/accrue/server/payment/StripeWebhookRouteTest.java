package dev.accrue.server.payment;

import dev.accrue.server.support.Unique;
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
        return intentsOf(tenantId).stream().filter(pi -> "processing".equals(pi.get("status"))).toList();
    }

    /**
     * The PaymentIntents created for one tenant's charges. Counting Stripe's whole book would make a test depend on
     * the others: a collection run across tenants rightly charges another test's reopened invoice too.
     */
    private static List<Map<String, Object>> intentsOf(String tenantId) {
        return stripe.paymentIntents().stream().filter(pi -> tenantId.equals(((Map<?, ?>) pi.get("metadata")).get("accrue_tenant"))).toList();
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
        int created = intentsOf(t.id()).size();

        // the bank pays; Stripe's webhook is lost. A day later the poller asks Stripe (retrieve PaymentIntent)
        stripe.settleDebit(intent, true);
        t.advanceTo("2026-06-02T10:00:00Z");
        node.services().processingPoller().runDue(100);

        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(intentsOf(t.id()).size()).isEqualTo(created);
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
        int created = intentsOf(t.id()).size();

        // a day passes: Stripe forgot the key, so a resend under it would charge again; Accrue looks the charge up instead
        stripe.forgetIdempotencyKeys();
        t.advanceTo("2026-06-02T09:30:00Z");
        node.services().collections().runDue(100, Duration.ZERO);

        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(intentsOf(t.id())).as("charged once").hasSize(created);
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
        int created = intentsOf(t.id()).size();
        t.advanceTo("2026-06-13T11:01:00Z");
        assertThat(intentsOf(t.id())).hasSize(created);

        // forged, stale and unsigned deliveries are refused and change nothing
        String body = event("evt_async_ok_" + Unique.suffix(), "payment_intent.succeeded", settled(intent, true));
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
        assertThat(deliver(event("evt_refund_a_" + Unique.suffix(), "charge.refunded", charge)).text("result")).isEqualTo("applied");
        assertThat(deliver(event("evt_refund_b_" + Unique.suffix(), "charge.refunded", charge)).text("result")).isEqualTo("applied");
        String half = new java.math.BigDecimal(amount / 2).movePointLeft(2).toPlainString();
        assertThat(t.api().get("/v1/payments/" + attempt).text("refunded")).isEqualTo(half);
        assertThat(events(t.id(), "payment.refunded")).hasSize(1);
        before = events(t.id(), null);

        // an event for an attempt of another tenant, or one Accrue never made: answered (so Stripe stops), ignored
        Tenant other = tenant("stripe-other");
        Map<String, Object> foreign = new LinkedHashMap<>(settled(intent, true));
        foreign.put("metadata", Map.of("accrue_attempt", attempt, "accrue_tenant", other.id()));
        var ignored = deliver(event("evt_foreign_" + Unique.suffix(), "payment_intent.succeeded", foreign));
        assertThat(ignored.status()).isEqualTo(200);
        assertThat(ignored.text("result")).isEqualTo("ignored");
        Map<String, Object> unknown = new LinkedHashMap<>(settled(intent, false));
        unknown.put("id", "pi_NeverMadeByAccrue");
        unknown.put("metadata", Map.of());
        assertThat(deliver(event("evt_unknown_" + Unique.suffix(), "payment_intent.payment_failed", unknown)).text("result")).isEqualTo("ignored");
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

        int created = intentsOf(t.id()).size();
        var failed = deliver(event("evt_async_fail_" + Unique.suffix(), "payment_intent.payment_failed", settled(processing.getFirst(), false)));
        assertThat(failed.text("result")).isEqualTo("applied");
        assertThat(attempts(t.api(), invoice)).singleElement().asString().startsWith("failed insufficient_funds");
        // the request only recorded the failure: what comes next is the collection job's
        assertThat(intentsOf(t.id()).size()).isEqualTo(created);
        assertThat(events(t.id(), null)).doesNotContain("invoice.payment_failed " + invoice);
        t.advanceTo("2026-06-01T09:01:00Z"); // the job's pass (a test clock's advance runs it for its customers)
        assertThat(events(t.id(), null)).contains("invoice.payment_failed " + invoice);
        assertThat(intentsOf(t.id()).size()).isEqualTo(created);
        assertThat(t.api().get("/v1/audit_events?object_id=" + invoice).body()).contains("invoice.retry_scheduled");

        // the schedule's first retry (a day after the failure) debits again: a new attempt, a new PaymentIntent
        t.advanceTo("2026-06-02T10:00:00Z");
        assertThat(processingIntents(t.id())).hasSize(2);
        assertThat(attempts(t.api(), invoice)).hasSize(2).last().asString().startsWith("pending");
    }

    @Test
    void aFailedDebitLeavesTheBackupToTheCollectionJobWhichChargesItOnce() {
        Tenant t = tenant("stripe-async-backup");
        String c = t.customer("Backup BV");
        addSepa(t.api(), c);
        var backup = t.api().post("/v1/customers/" + c + "/payment_methods", Map.of("token", "pm_card_visa", "priority", 2));
        assertThat(backup.status()).as(backup.toString()).isEqualTo(201);
        var sub = t.api().post("/v1/subscriptions", Map.of("customer_id", c, "plan", "starter"));
        assertThat(sub.status()).as(sub.toString()).isEqualTo(201);
        String invoice = t.api().get("/v1/invoices?subscription_id=" + sub.text("id")).json().at("/data/0/id").asText();
        t.advanceTo("2026-06-01T09:00:00Z");
        List<Map<String, Object>> processing = processingIntents(t.id());
        assertThat(processing).hasSize(1);
        int created = intentsOf(t.id()).size();

        // Stripe reports the debit failed: answered at once, and the gateway is not called inside the request
        String body = event("evt_backup_fail_" + Unique.suffix(), "payment_intent.payment_failed", settled(processing.getFirst(), false));
        var failed = deliver(body);
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.text("result")).isEqualTo("applied");
        assertThat(intentsOf(t.id()).size()).isEqualTo(created);
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("finalized");

        // the collection job charges the backup card, once, however often it runs or Stripe redelivers
        t.advanceTo("2026-06-01T09:01:00Z");
        assertThat(intentsOf(t.id()).size()).isEqualTo(created + 1);
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        assertThat(deliver(body).text("result")).isEqualTo("duplicate");
        t.advanceTo("2026-06-01T09:02:00Z");
        t.advanceTo("2026-06-02T09:02:00Z");
        assertThat(intentsOf(t.id()).size()).isEqualTo(created + 1);
        assertThat(attempts(t.api(), invoice)).hasSize(2).anySatisfy(a -> assertThat(a).startsWith("succeeded"));
        assertThat(events(t.id(), null)).doesNotContain("invoice.payment_failed " + invoice);
    }

    /** Stripe's Dispute object as its API reference documents it (docs.stripe.com/api/disputes/object). */
    private static Map<String, Object> dispute(String id, String paymentIntent, long amount, String status, String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("object", "dispute");
        d.put("amount", amount);
        d.put("balance_transactions", List.of());
        d.put("charge", "ch_" + paymentIntent.substring(3));
        d.put("created", Instant.now().getEpochSecond());
        d.put("currency", "usd");
        d.put("evidence_details", Map.of("due_by", Instant.now().getEpochSecond() + 864000, "has_evidence", false, "past_due", false,
                "submission_count", 0));
        d.put("is_charge_refundable", false);
        d.put("livemode", false);
        d.put("metadata", Map.of());
        d.put("payment_intent", paymentIntent);
        d.put("reason", reason);
        d.put("status", status);
        return d;
    }

    private static String paidByCard(Tenant t, String customerId) {
        addMethod(t.api(), customerId, "pm_card_visa");
        var sub = t.api().post("/v1/subscriptions", Map.of("customer_id", customerId, "plan", "starter"));
        assertThat(sub.status()).as(sub.toString()).isEqualTo(201);
        String invoice = t.api().get("/v1/invoices?subscription_id=" + sub.text("id")).json().at("/data/0/id").asText();
        t.advanceTo("2026-06-01T09:00:00Z");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("status")).isEqualTo("paid");
        return invoice;
    }

    @Test
    void aDisputeTakesTheAmountOffWhatWasPaidWhileOpenAndGivesItBackWhenWon() {
        Tenant t = tenant("stripe-dispute-won");
        String c = t.customer("Chargeback Inc");
        String invoice = paidByCard(t, c);
        var payment = PaymentFixtures.payments(t.api(), invoice).getFirst();
        String pi = payment.get("gateway_reference").asText();
        String total = t.api().get("/v1/invoices/" + invoice).text("total");
        long cents = new java.math.BigDecimal(total).movePointRight(2).longValueExact();
        String dp = "dp_" + Unique.suffix();

        var opened = deliver(event("evt_dp_created_" + Unique.suffix(), "charge.dispute.created", dispute(dp, pi, cents, "needs_response", "fraudulent")));
        assertThat(opened.text("result")).as(opened.toString()).isEqualTo("applied");
        var disputed = t.api().get("/v1/invoices/" + invoice).json();
        assertThat(disputed.get("status").asText()).isEqualTo("paid");
        assertThat(disputed.get("amount_paid").asText()).isEqualTo("0.00");
        assertThat(disputed.get("amount_disputed").asText()).isEqualTo(total);
        assertThat(disputed.get("payment_status").asText()).isEqualTo("disputed");
        var listed = t.api().get("/v1/disputes?invoice_id=" + invoice).json().get("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("status").asText()).isEqualTo("open");
        assertThat(listed.get(0).get("payment_id").asText()).isEqualTo(payment.get("id").asText());
        assertThat(listed.get(0).get("amount_taken").asText()).isEqualTo(total);
        assertThat(listed.get(0).get("reason").asText()).isEqualTo("fraudulent");
        assertThat(t.api().get("/v1/disputes?customer_id=" + c).json().get("data")).hasSize(1);
        assertThat(events(t.id(), "payment.disputed")).hasSize(1);
        assertThat(t.api().get("/v1/audit_events?object_id=" + payment.get("id").asText()).body()).contains("payment.disputed");
        // the disputed money is the bank's to give back: refunding it as well is refused, nothing changes
        var refund = t.api().post("/v1/payments/" + payment.get("id").asText() + "/refunds", Map.of());
        assertThat(refund.code()).isEqualTo("refund_exceeds_paid");
        assertThat(refund.text("refundable")).isEqualTo("0.00");

        // Stripe withdraws the funds, then tells the creation again under a new event id: nothing is taken twice
        assertThat(deliver(event("evt_dp_withdrawn_" + Unique.suffix(), "charge.dispute.funds_withdrawn",
                dispute(dp, pi, cents, "needs_response", "fraudulent"))).text("result")).isEqualTo("applied");
        assertThat(deliver(event("evt_dp_created_again_" + Unique.suffix(), "charge.dispute.created",
                dispute(dp, pi, cents, "needs_response", "fraudulent"))).text("result")).isEqualTo("applied");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("amount_paid")).isEqualTo("0.00");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("amount_disputed")).isEqualTo(total);
        assertThat(events(t.id(), "payment.disputed")).hasSize(1);

        // won: the amount is restored, once, even when Stripe redelivers the closing event
        String won = event("evt_dp_closed_" + Unique.suffix(), "charge.dispute.closed", dispute(dp, pi, cents, "won", "fraudulent"));
        assertThat(deliver(won).text("result")).isEqualTo("applied");
        assertThat(deliver(won).text("result")).isEqualTo("duplicate");
        var restored = t.api().get("/v1/invoices/" + invoice).json();
        assertThat(restored.get("amount_paid").asText()).isEqualTo(total);
        assertThat(restored.get("amount_disputed").asText()).isEqualTo("0.00");
        assertThat(restored.get("payment_status").asText()).isEqualTo("paid");
        var closed = t.api().get("/v1/disputes?invoice_id=" + invoice).json().get("data").get(0);
        assertThat(closed.get("status").asText()).isEqualTo("won");
        assertThat(closed.get("amount_taken").asText()).isEqualTo("0.00");
        assertThat(closed.get("closed_at").isNull()).isFalse();
        assertThat(events(t.id(), "dispute.closed")).hasSize(1);
    }

    @Test
    void aLostPartialDisputeKeepsItsAmountOffWhatWasPaidAndOneForAnUnknownChargeIsIgnored() {
        Tenant t = tenant("stripe-dispute-lost");
        String c = t.customer("Lost Dispute AG");
        String invoice = paidByCard(t, c);
        String pi = PaymentFixtures.payments(t.api(), invoice).getFirst().get("gateway_reference").asText();
        String dp = "dp_" + Unique.suffix();
        String total = t.api().get("/v1/invoices/" + invoice).text("total");
        long cents = new java.math.BigDecimal(total).movePointRight(2).longValueExact();
        long half = cents / 2;
        String halfText = new java.math.BigDecimal(half).movePointLeft(2).toPlainString();
        String kept = new java.math.BigDecimal(cents - half).movePointLeft(2).toPlainString();

        assertThat(deliver(event("evt_dpl_created_" + Unique.suffix(), "charge.dispute.created",
                dispute(dp, pi, half, "warning_needs_response", "product_not_received"))).text("result")).isEqualTo("applied");
        assertThat(t.api().get("/v1/invoices/" + invoice).text("amount_paid")).isEqualTo(kept);
        assertThat(deliver(event("evt_dpl_closed_" + Unique.suffix(), "charge.dispute.closed",
                dispute(dp, pi, half, "lost", "product_not_received"))).text("result")).isEqualTo("applied");
        var lost = t.api().get("/v1/invoices/" + invoice).json();
        assertThat(lost.get("amount_paid").asText()).isEqualTo(kept);
        assertThat(lost.get("amount_disputed").asText()).isEqualTo(halfText);
        assertThat(lost.get("payment_status").asText()).isEqualTo("disputed");
        // lost: the money is owed again, the invoice reopened and collected again (docs/payments.md#disputes)
        assertThat(lost.get("status").asText()).isEqualTo("finalized");
        assertThat(lost.get("amount_due").asText()).isEqualTo(halfText);
        assertThat(t.api().get("/v1/disputes?invoice_id=" + invoice).json().get("data").get(0).get("status").asText()).isEqualTo("lost");
        assertThat(t.api().get("/v1/invoices/" + invoice + "/html").body()).contains("Disputed by the payer").contains(halfText);
        List<String> before = events(t.id(), null);

        var unknown = deliver(event("evt_dpl_unknown_" + Unique.suffix(), "charge.dispute.created",
                dispute("dp_unknown" + Unique.suffix(), "pi_NeverMadeByAccrue", 100, "needs_response", "general")));
        assertThat(unknown.text("result")).isEqualTo("ignored");
        assertThat(events(t.id(), null)).isEqualTo(before);
    }
}
