package dev.accrue.core.credit;

import dev.accrue.core.money.Money;

/**
 * How customer credit meets one invoice, the one rule for both directions: an invoice that owes something takes
 * {@code min(balance, owed)} from the credit balance; an invoice whose lines sum below zero (a usage correction
 * larger than the rest of it) owes nothing, and the part below zero becomes credit for the next invoices. Either
 * way the invoice's total is never negative and the credit balance never goes below zero.
 *
 * @param applied credit consumed by the invoice (≥ 0), shown as a negative {@code credit} line
 * @param carried what the invoice gives back as credit (≥ 0), shown as a positive {@code credit} line
 * @param total   what the invoice then owes (≥ 0)
 */
public record InvoiceSettlement(Money applied, Money carried, Money total) {

    public static InvoiceSettlement of(Money balance, Money owed) {
        Money zero = Money.zero(owed.currency());
        if (owed.isNegative()) {
            return new InvoiceSettlement(zero, owed.negate(), zero);
        }
        Money applied = CreditLedger.applicable(balance, owed);
        return new InvoiceSettlement(applied, zero, owed.minus(applied));
    }
}
