package dev.accrue.core.invoice;

import dev.accrue.core.money.Money;

import java.util.Currency;
import java.util.List;

/** Sums of already-rounded lines: the subtotal is exact, so no second rounding can happen here. */
public final class InvoiceTotals {
    private InvoiceTotals() {
    }

    public static Money subtotal(Currency currency, List<InvoiceLine> lines) {
        Money sum = Money.zero(currency);
        for (InvoiceLine line : lines) {
            sum = sum.plus(line.amount());
        }
        return sum;
    }
}
