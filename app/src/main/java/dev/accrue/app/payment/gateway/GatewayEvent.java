package dev.accrue.app.payment.gateway;

import dev.accrue.core.money.Money;

/**
 * A verified webhook from the gateway: {@code type} as the gateway names it (payment_intent.succeeded,
 * charge.refunded, ...), {@code reference} the charge, refund or method it is about, {@code outcome} what it
 * settles (null when it settles nothing collection tracks). {@code tenantId} and {@code attemptKey} are what
 * Accrue put on the charge when it made it (the payment attempt's id, which is also the idempotency key), null
 * when the object carries none (a charge made outside Accrue). {@code refundedTotal}: for a refund event, all
 * the gateway has refunded on the charge so far. {@code dispute}: for a dispute event, the dispute as it is now.
 */
public record GatewayEvent(String id, String type, String reference, GatewayOutcome outcome, String tenantId, String attemptKey, Money refundedTotal,
                           GatewayDispute dispute) {
    public GatewayEvent(String id, String type, String reference, GatewayOutcome outcome, String tenantId, String attemptKey, Money refundedTotal) {
        this(id, type, reference, outcome, tenantId, attemptKey, refundedTotal, null);
    }

    public GatewayEvent(String id, String type, String reference, GatewayOutcome outcome) {
        this(id, type, reference, outcome, null, null, null, null);
    }

    /** The dispute events a gateway sends (Stripe's names; the sandbox uses the same). */
    public static final String DISPUTE_CREATED = "charge.dispute.created";
    public static final String DISPUTE_UPDATED = "charge.dispute.updated";
    public static final String DISPUTE_CLOSED = "charge.dispute.closed";
    public static final String DISPUTE_FUNDS_WITHDRAWN = "charge.dispute.funds_withdrawn";
    public static final String DISPUTE_FUNDS_REINSTATED = "charge.dispute.funds_reinstated";
}
