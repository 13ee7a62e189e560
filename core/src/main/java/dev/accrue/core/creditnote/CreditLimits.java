package dev.accrue.core.creditnote;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;

import java.util.List;
import java.util.Map;

/**
 * What of a finalized invoice can still be credited, counting every earlier credit note. The invoice sold its
 * charge lines (its subtotal); customer credit and prepaid-wallet lines are ways it was paid, not things sold, so
 * they are never credited. Two bounds hold at once: a line never gets back more than its own amount, and the
 * credit notes of an invoice never add up to more than its subtotal (a usage correction on the same invoice
 * lowers what can be credited).
 */
public final class CreditLimits {
    private CreditLimits() {
    }

    /** Whether a line of this kind sold something (and so can be credited). */
    public static boolean creditable(InvoiceLine line) {
        return !InvoiceLine.CREDIT.equals(line.kind()) && !InvoiceLine.PREPAID.equals(line.kind()) && !InvoiceLine.TAX_INCLUDED.equals(line.kind())
                && line.amount().isPositive();
    }

    /** What the invoice can still be credited in total: its subtotal less every earlier credit note, never below zero. */
    public static Money remainingTotal(Money subtotal, Money creditedSoFar) {
        Money left = subtotal.minus(creditedSoFar);
        return left.isPositive() ? left : Money.zero(subtotal.currency());
    }

    /** What line {@code lineNo} (1-based) can still be credited: its amount less what earlier notes credited on it. */
    public static Money remainingOnLine(List<InvoiceLine> lines, int lineNo, Map<Integer, Money> creditedByLine) {
        InvoiceLine line = lines.get(lineNo - 1);
        Money zero = Money.zero(line.amount().currency());
        if (!creditable(line)) {
            return zero;
        }
        Money left = line.amount().minus(creditedByLine.getOrDefault(lineNo, zero));
        return left.isPositive() ? left : zero;
    }

    /** Refuses {@code requested} above {@code remaining}, naming both. */
    public static void requireWithin(String field, Money requested, Money remaining, String what) {
        if (requested.compareTo(remaining) > 0) {
            throw new AccrueException(ErrorCode.CREDIT_EXCEEDS_REMAINING, field, "Cannot credit " + requested.toPlainMinorString() + " "
                    + requested.currency().getCurrencyCode() + " on " + what + ": only " + remaining.toPlainMinorString() + " can still be credited",
                    Map.of("remaining", remaining.toPlainMinorString()));
        }
    }

    /** The refusal when earlier credit notes already credited all of {@code what}. */
    public static AccrueException nothingLeft(String field, String what) {
        return new AccrueException(ErrorCode.CREDIT_EXCEEDS_REMAINING, field, "Nothing of " + what + " can still be credited: earlier credit notes took it all",
                Map.of("remaining", "0"));
    }
}
