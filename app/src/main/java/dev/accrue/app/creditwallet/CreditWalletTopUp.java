package dev.accrue.app.creditwallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;

/** A target top-up: {@code credits} bought for {@code amount} through payment method {@code methodId}; its id is the gateway's idempotency key. */
public record CreditWalletTopUp(String id, String walletId, String customerId, BigDecimal credits, Money amount, String methodId, String status,
                                String gatewayReference, String failureCode, Instant requestedAt, Instant settledAt) {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
