package dev.accrue.adapters.payment.stripe;

import dev.accrue.app.payment.gateway.GatewayDispute;
import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhooks signed the way Stripe signs them (docs.stripe.com/webhooks#verify-manually): header
 * {@code t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}; the signing is written out here, not
 * borrowed from stripe-java, so the test checks the scheme and not the library against itself.
 */
class StripeWebhookTest {
    private static final String SECRET = "whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final Instant NOW = Instant.parse("2026-11-30T15:00:00Z");
    private final StripeGateway gateway = new StripeGateway(new StripeSettings("sk_test_webhooks0000000000", SECRET, "http://127.0.0.1:9"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> signed(String body, long timestamp) {
        return Map.of("Stripe-Signature", "t=" + timestamp + ",v1=" + sign(SECRET, timestamp, body));
    }

    private static String event(String id, String type, String object) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2026-07-29.dahlia",
                  "created": 1764514800,
                  "data": {"object": %s},
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": "req_Nq2xT6hQ4bKmP0", "idempotency_key": "pay_01JDXK3"},
                  "type": "%s"
                }""".formatted(id, object, type);
    }

    private static final String SUCCEEDED_INTENT = """
            {"id": "pi_3QkZbN2eZvKYlo2C0mUo1Tp7", "object": "payment_intent", "amount": 4990, "amount_received": 4990,
             "currency": "eur", "customer": "cus_RdK3mN8pQ2xT6h", "payment_method": "pm_1QkZbM2eZvKYlo2CkQ9d3vYb",
             "status": "succeeded", "latest_charge": "ch_3QkZbN2eZvKYlo2C0Xk1n7Rd", "last_payment_error": null,
             "livemode": false, "metadata": {}}""";

    private static final String FAILED_INTENT = """
            {"id": "pi_3QkZcA2eZvKYlo2C1bJ8r4Hn", "object": "payment_intent", "amount": 4990, "currency": "eur",
             "customer": "cus_RdK3mN8pQ2xT6h", "status": "requires_payment_method", "livemode": false, "metadata": {},
             "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds", "advice_code": "try_again_later",
               "doc_url": "https://stripe.com/docs/error-codes/card-declined", "message": "Your card has insufficient funds.",
               "type": "card_error"}}""";

    @Test
    void aSignedPaymentSucceededApprovesThePaymentIntent() {
        String body = event("evt_1QkZbP2eZvKYlo2CfA8mW3Xq", "payment_intent.succeeded", SUCCEEDED_INTENT);
        GatewayEvent event = gateway.parseEvent(body, signed(body, NOW.getEpochSecond() - 10));
        assertThat(event).isEqualTo(new GatewayEvent("evt_1QkZbP2eZvKYlo2CfA8mW3Xq", "payment_intent.succeeded", "pi_3QkZbN2eZvKYlo2C0mUo1Tp7",
                new GatewayOutcome.Approved("pi_3QkZbN2eZvKYlo2C0mUo1Tp7")));
    }

    @Test
    void aPaymentFailedIsDeclinedByTheSameRuleAsASynchronousDecline() {
        String body = event("evt_1QkZcB2eZvKYlo2C", "payment_intent.payment_failed", FAILED_INTENT);
        GatewayEvent event = gateway.parseEvent(body, signed(body, NOW.getEpochSecond()));
        assertThat(event.reference()).isEqualTo("pi_3QkZcA2eZvKYlo2C1bJ8r4Hn");
        assertThat(event.outcome()).isEqualTo(new GatewayOutcome.Declined("insufficient_funds", "insufficient_funds",
                "Your card has insufficient funds.", false));
    }

    @Test
    void refundsAndDisputesNameThePaymentIntentTheChargeCameFrom() {
        String refunded = event("evt_refund", "charge.refunded", """
                {"id": "ch_3QkZbN2eZvKYlo2C0Xk1n7Rd", "object": "charge", "amount": 4990, "amount_refunded": 4990, "currency": "eur",
                 "payment_intent": "pi_3QkZbN2eZvKYlo2C0mUo1Tp7", "refunded": true, "status": "succeeded", "livemode": false}""");
        assertThat(gateway.parseEvent(refunded, signed(refunded, NOW.getEpochSecond())))
                .isEqualTo(new GatewayEvent("evt_refund", "charge.refunded", "pi_3QkZbN2eZvKYlo2C0mUo1Tp7", null, null, null, Money.of("49.90", "EUR")));

        String disputed = event("evt_dispute", "charge.dispute.created", """
                {"id": "dp_1QkZdE2eZvKYlo2C", "object": "dispute", "amount": 4990, "currency": "eur",
                 "charge": "ch_3QkZbN2eZvKYlo2C0Xk1n7Rd", "payment_intent": "pi_3QkZbN2eZvKYlo2C0mUo1Tp7",
                 "reason": "fraudulent", "status": "needs_response", "livemode": false}""");
        assertThat(gateway.parseEvent(disputed, signed(disputed, NOW.getEpochSecond())))
                .isEqualTo(new GatewayEvent("evt_dispute", "charge.dispute.created", "pi_3QkZbN2eZvKYlo2C0mUo1Tp7", null, null, null, null,
                        new GatewayDispute("dp_1QkZdE2eZvKYlo2C", Money.of("49.90", "EUR"), "fraudulent", "needs_response")));
    }

    @Test
    void otherEventsAreReadWithoutAnOutcome() {
        String body = event("evt_cus", "customer.updated", """
                {"id": "cus_RdK3mN8pQ2xT6h", "object": "customer", "email": "ada@example.com", "livemode": false}""");
        assertThat(gateway.parseEvent(body, signed(body, NOW.getEpochSecond())))
                .isEqualTo(new GatewayEvent("evt_cus", "customer.updated", "cus_RdK3mN8pQ2xT6h", null));
    }

    @Test
    void anEndpointOnAnotherApiVersionIsStillRead() {
        String body = event("evt_old", "payment_intent.succeeded", SUCCEEDED_INTENT).replace("2026-07-29.dahlia", "2024-06-20");
        assertThat(gateway.parseEvent(body, signed(body, NOW.getEpochSecond())).outcome())
                .isEqualTo(new GatewayOutcome.Approved("pi_3QkZbN2eZvKYlo2C0mUo1Tp7"));
    }

    @Test
    void aTamperedBodyIsRefused() {
        String body = event("evt_1", "payment_intent.succeeded", SUCCEEDED_INTENT);
        Map<String, String> headers = signed(body, NOW.getEpochSecond());
        String tampered = body.replace("\"amount\": 4990", "\"amount\": 9990");
        assertRefused(() -> gateway.parseEvent(tampered, headers));
    }

    @Test
    void aStaleSignatureIsRefusedAndOneWithinToleranceAccepted() {
        String body = event("evt_1", "payment_intent.succeeded", SUCCEEDED_INTENT);
        assertRefused(() -> gateway.parseEvent(body, signed(body, NOW.getEpochSecond() - 301)));
        assertThat(gateway.parseEvent(body, signed(body, NOW.getEpochSecond() - 299)).id()).isEqualTo("evt_1");
    }

    @Test
    void anotherEndpointsSecretIsRefused() {
        String body = event("evt_1", "payment_intent.succeeded", SUCCEEDED_INTENT);
        long t = NOW.getEpochSecond();
        assertRefused(() -> gateway.parseEvent(body, Map.of("Stripe-Signature", "t=" + t + ",v1=" + sign("whsec_other", t, body))));
    }

    @Test
    void aMissingOrGarbledHeaderIsRefused() {
        String body = event("evt_1", "payment_intent.succeeded", SUCCEEDED_INTENT);
        assertRefused(() -> gateway.parseEvent(body, Map.of()));
        assertRefused(() -> gateway.parseEvent(body, Map.of("Stripe-Signature", "v1=deadbeef")));
        assertRefused(() -> gateway.parseEvent(body, Map.of("Stripe-Signature", "t=" + NOW.getEpochSecond() + ",v0=" + sign(SECRET,
                NOW.getEpochSecond(), body))));
    }

    @Test
    void duringASecretRotationAnyV1SignatureMayMatchAndHeaderNamesIgnoreCase() {
        String body = event("evt_1", "payment_intent.succeeded", SUCCEEDED_INTENT);
        long t = NOW.getEpochSecond();
        String header = "t=" + t + ",v1=" + sign("whsec_old_secret", t, body) + ",v1=" + sign(SECRET, t, body);
        assertThat(gateway.parseEvent(body, Map.of("stripe-signature", header)).id()).isEqualTo("evt_1");
    }

    private static void assertRefused(Runnable parse) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(AccrueException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
