package dev.accrue.adapters.payment.stripe;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.HasId;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import dev.accrue.app.payment.gateway.GatewayDispute;
import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Stripe webhooks, verified and read. Stripe signs each delivery with the endpoint's secret:
 * {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}; {@link Webhook#constructEvent}
 * checks the HMAC in constant time and refuses a timestamp further than the tolerance from our clock, so a
 * captured delivery cannot be replayed later. A delivery that fails either check is
 * {@code unauthenticated}; nothing of its body is read.
 *
 * <p>The {@link GatewayEvent#reference()} is always the PaymentIntent a charge returned when there is one, so
 * collection finds its payment by the reference it stored:
 * <ul>
 *   <li>{@code payment_intent.succeeded}: Approved.</li>
 *   <li>{@code payment_intent.payment_failed}: Declined from the PaymentIntent's {@code last_payment_error}, by
 *   the same rule as a synchronous decline ({@link StripeDeclines}).</li>
 *   <li>{@code charge.refunded} (and any other charge event): reference = the charge's PaymentIntent, no outcome (they
 *   settle no payment attempt), the total refunded on the charge.</li>
 *   <li>{@code charge.dispute.*} (created, updated, closed, funds_withdrawn, funds_reinstated): reference = the
 *   disputed PaymentIntent (else the charge), and the dispute as it is now: id, amount, reason, status.</li>
 *   <li>anything else: reference = the object's id, no outcome.</li>
 * </ul>
 */
final class StripeEvents {
    static final String SIGNATURE_HEADER = "Stripe-Signature";
    /** Metadata Accrue puts on each PaymentIntent it creates: the payment attempt's id (= idempotency key) and its tenant. */
    static final String ATTEMPT_METADATA = "accrue_attempt";
    static final String TENANT_METADATA = "accrue_tenant";

    private final String secret;
    private final long toleranceSeconds;
    private final Clock clock;

    StripeEvents(String secret, Duration tolerance, Clock clock) {
        this.secret = secret;
        this.toleranceSeconds = tolerance.toSeconds();
        this.clock = clock;
    }

    GatewayEvent parse(String body, Map<String, String> headers) {
        String signature = header(headers, SIGNATURE_HEADER);
        if (signature == null || signature.isBlank()) {
            throw new AccrueException(ErrorCode.UNAUTHENTICATED, "A Stripe webhook carries a Stripe-Signature header; this request has none");
        }
        Event event;
        try {
            event = Webhook.constructEvent(body, signature, secret, toleranceSeconds, clock);
        } catch (SignatureVerificationException e) {
            throw new AccrueException(ErrorCode.UNAUTHENTICATED,
                    "Stripe webhook refused: the signature does not match this endpoint's secret, or it is older than "
                            + toleranceSeconds + " s");
        } catch (RuntimeException e) {
            throw new AccrueException(ErrorCode.MALFORMED_JSON, "The signed Stripe webhook is not an event: " + e.getMessage());
        }
        StripeObject object = dataObject(event);
        String type = event.getType();
        if (type.startsWith("payment_intent.") && object instanceof PaymentIntent intent) {
            Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
            String tenant = metadata.get(TENANT_METADATA);
            String attempt = metadata.get(ATTEMPT_METADATA);
            if (type.equals("payment_intent.succeeded")) {
                return new GatewayEvent(event.getId(), type, intent.getId(), new GatewayOutcome.Approved(intent.getId()), tenant, attempt, null);
            }
            if (type.equals("payment_intent.payment_failed")) {
                StripeError error = intent.getLastPaymentError();
                GatewayOutcome.Declined declined = error == null
                        ? StripeDeclines.declined("card_declined", null, null, null)
                        : StripeDeclines.declined(error.getCode(), error.getDeclineCode(), error.getAdviceCode(), error.getMessage());
                return new GatewayEvent(event.getId(), type, intent.getId(), declined, tenant, attempt, null);
            }
            return new GatewayEvent(event.getId(), type, intent.getId(), null, tenant, attempt, null);
        }
        if (object instanceof Charge charge) {
            Map<String, String> metadata = charge.getMetadata() == null ? Map.of() : charge.getMetadata();
            Money refunded = charge.getAmountRefunded() == null || charge.getCurrency() == null ? null
                    : StripeAmounts.fromMinorUnits(charge.getAmountRefunded(), charge.getCurrency());
            return new GatewayEvent(event.getId(), type, charge.getPaymentIntent() != null ? charge.getPaymentIntent() : charge.getId(), null,
                    metadata.get(TENANT_METADATA), metadata.get(ATTEMPT_METADATA), type.equals("charge.refunded") ? refunded : null);
        }
        if (object instanceof Dispute dispute) {
            String reference = dispute.getPaymentIntent() != null ? dispute.getPaymentIntent() : dispute.getCharge();
            GatewayDispute reported = dispute.getAmount() == null || dispute.getCurrency() == null ? null
                    : new GatewayDispute(dispute.getId(), StripeAmounts.fromMinorUnits(dispute.getAmount(), dispute.getCurrency()), dispute.getReason(),
                    dispute.getStatus());
            return new GatewayEvent(event.getId(), type, reference, null, null, null, null, type.startsWith("charge.dispute.") ? reported : null);
        }
        return new GatewayEvent(event.getId(), type, object instanceof HasId hasId ? hasId.getId() : null, null);
    }

    /**
     * The event's object as stripe-java models it. An endpoint created with another API version than the
     * library's still sends the fields read here (ids, last_payment_error, payment_intent), so a version
     * mismatch is read leniently rather than refused.
     */
    private static StripeObject dataObject(Event event) {
        var data = event.getDataObjectDeserializer();
        return data.getObject().orElseGet(() -> {
            try {
                return data.deserializeUnsafe();
            } catch (EventDataObjectDeserializationException e) {
                throw new AccrueException(ErrorCode.MALFORMED_JSON, "Stripe event " + event.getId() + " has an unreadable object: " + e.getMessage());
            }
        });
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
