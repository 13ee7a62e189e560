package dev.accrue.app.wallet;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A customer's wallet settings (its balance is not here: it is the sum of its entries). {@code creditLimit}
 * lets the balance go that far below zero; the auto-recharge rule tops up {@code rechargeAmount} when the
 * balance falls below {@code rechargeThreshold}.
 */
public record Wallet(String customerId, Currency currency, BigDecimal creditLimit, BigDecimal rechargeThreshold, BigDecimal rechargeAmount,
                     Instant rechargeRequestedAt, Instant createdAt, Instant updatedAt) {
}
