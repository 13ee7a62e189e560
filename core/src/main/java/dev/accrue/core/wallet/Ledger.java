package dev.accrue.core.wallet;

import dev.accrue.core.money.Money;

import java.util.Currency;
import java.util.List;

/**
 * The arithmetic of an append-only wallet ledger. The balance is the sum of the entries' signed amounts; a
 * debit takes at most what the balance plus the credit limit still covers, so the balance never goes below
 * minus the credit limit (zero without one). What a debit cannot take stays owed on an invoice, never lost.
 */
public final class Ledger {
    private Ledger() {
    }

    public static Money balance(Currency currency, List<Money> amounts) {
        Money sum = Money.zero(currency);
        for (Money m : amounts) {
            sum = sum.plus(m);
        }
        return sum;
    }

    /** What can still be spent: balance + credit limit, never negative. */
    public static Money spendable(Money balance, Money creditLimit) {
        Money s = balance.plus(creditLimit);
        return s.isNegative() ? Money.zero(balance.currency()) : s;
    }

    /** How much of {@code wanted} (≥ 0) a debit may take now. */
    public static Money debitable(Money balance, Money creditLimit, Money wanted) {
        if (wanted.isNegative()) {
            throw new IllegalArgumentException("a debit is not negative: " + wanted);
        }
        Money spendable = spendable(balance, creditLimit);
        return wanted.compareTo(spendable) <= 0 ? wanted : spendable;
    }

    /** Whether an auto-recharge rule fires: the balance has fallen below its threshold. */
    public static boolean rechargeDue(Money balance, Money threshold) {
        return threshold != null && balance.compareTo(threshold) < 0;
    }
}
