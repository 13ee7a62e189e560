package dev.accrue.app.payment.gateway;

import dev.accrue.core.money.Money;

/** A charge of a saved method, off-session; {@code idempotencyKey} comes from the stored payment attempt. */
public record GatewayCharge(String token, String gatewayCustomer, Money amount, String description, String idempotencyKey) {
}
