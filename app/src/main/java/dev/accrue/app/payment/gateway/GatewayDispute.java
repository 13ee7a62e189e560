package dev.accrue.app.payment.gateway;

import dev.accrue.core.money.Money;

/**
 * A dispute (chargeback) as the gateway reports it: {@code id} its id at the gateway, {@code amount} what the payer's bank
 * disputes, {@code reason} the gateway's (fraudulent, product_not_received, ...), {@code status} the gateway's (Stripe:
 * warning_needs_response, needs_response, under_review, won, lost, warning_closed, ...).
 */
public record GatewayDispute(String id, Money amount, String reason, String status) {
}
