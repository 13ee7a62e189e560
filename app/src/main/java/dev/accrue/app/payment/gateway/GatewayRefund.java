package dev.accrue.app.payment.gateway;

import dev.accrue.core.money.Money;

/** A refund of part or all of an approved charge ({@code chargeReference}); the key comes from the stored refund. */
public record GatewayRefund(String chargeReference, Money amount, String reason, String idempotencyKey) {
}
