package dev.accrue.core.credit;

import dev.accrue.core.money.Money;

import java.util.Currency;
import java.util.List;

/**
 * The arithmetic of a customer's credit ledger, append-only like the wallet's: grants are positive (the unused
 * days of a subscription cancelled with a prorated refund), applications negative (what an invoice consumed).
 * The balance is the sum. An invoice takes at most its own total, so it never turns negative; the rest of the
 * balance carries forward to the next invoices.
 */
public final class CreditLedger {
    private CreditLedger() {
    }

    public static Money balance(Currency currency, List<Money> amounts) {
        Money sum = Money.zero(currency);
        for (Money m : amounts) {
            sum = sum.plus(m);
        }
        return sum;
    }

    /** How much of {@code balance} an invoice of {@code invoiceTotal} consumes: min(balance, total), never below zero. */
    public static Money applicable(Money balance, Money invoiceTotal) {
        if (!balance.isPositive() || !invoiceTotal.isPositive()) {
            return Money.zero(balance.currency());
        }
        return balance.compareTo(invoiceTotal) <= 0 ? balance : invoiceTotal;
    }
}
