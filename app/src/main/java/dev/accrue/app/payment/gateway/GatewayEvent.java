package dev.accrue.app.payment.gateway;

/**
 * A verified webhook from the gateway: {@code type} as the gateway names it (payment_intent.succeeded,
 * charge.refunded, ...), {@code reference} the charge, refund or method it is about, {@code outcome} what it
 * settles (null when it settles nothing collection tracks).
 */
public record GatewayEvent(String id, String type, String reference, GatewayOutcome outcome) {
}
