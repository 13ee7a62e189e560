package dev.accrue.core.wallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;

/**
 * What a top-up receipt says: the {@code amount} credited to the wallet, the {@code tax} charged on it at
 * {@code taxRate} (computed by the tax calculator, the one tax rule), the {@code total} paid, and the wallet's
 * balance after. The tax is added to what is paid, never taken from what is credited.
 */
public record TopUpReceipt(Money amount, BigDecimal taxRate, Money tax, Money total, Money balanceAfter) {
    public static TopUpReceipt of(Money amount, BigDecimal taxRate, Money tax, Money balanceBefore) {
        return new TopUpReceipt(amount, taxRate, tax, amount.plus(tax), balanceBefore.plus(amount));
    }
}
