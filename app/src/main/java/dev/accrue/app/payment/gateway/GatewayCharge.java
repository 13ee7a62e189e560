package dev.accrue.app.payment.gateway;

import dev.accrue.core.money.Money;

/**
 * A charge of a saved method, off-session; {@code idempotencyKey} comes from the stored payment attempt (its id).
 * The gateway keeps {@code tenantId} and the key on the charge (Stripe: the PaymentIntent's metadata
 * {@code accrue_tenant}, {@code accrue_attempt}) so that a later gateway event names the attempt it settles.
 */
public record GatewayCharge(String token, String gatewayCustomer, Money amount, String description, String idempotencyKey, String tenantId) {
    public GatewayCharge(String token, String gatewayCustomer, Money amount, String description, String idempotencyKey) {
        this(token, gatewayCustomer, amount, description, idempotencyKey, null);
    }
}
