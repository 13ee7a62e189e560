package dev.accrue.core.wallet;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;

/**
 * What a top-up receipt says: the {@code amount} credited to the wallet, the VAT charged on it at
 * {@code taxRate} (rounded once, to the minor unit), the {@code total} paid, and the wallet's balance after.
 */
public record TopUpReceipt(Money amount, BigDecimal taxRate, Money tax, Money total, Money balanceAfter) {
    public static TopUpReceipt of(Money amount, BigDecimal taxRate, Money balanceBefore, RoundingPolicy rounding) {
        Money tax = rounding.apply(amount.times(taxRate));
        return new TopUpReceipt(amount, taxRate, tax, amount.plus(tax), balanceBefore.plus(amount));
    }
}
