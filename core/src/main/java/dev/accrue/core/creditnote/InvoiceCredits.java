package dev.accrue.core.creditnote;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.LineTaxShares;
import dev.accrue.core.tax.TaxedLines;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an invoice's credit notes took back and what is left, line by line, with tax. A credit note gives back what
 * the customer was charged, tax included: each line can give back its share of the invoice ({@link LineTaxShares}:
 * its net and its part of its rate's tax), and the invoice as a whole what its charges came to with tax.
 *
 * <p>Credits are booked in the order the notes were written, so the split of each note is a pure function of the
 * invoice and the amounts of its notes, recomputed identically whenever a note is read:
 * <ul>
 *   <li>a credit of {@code g} on a line takes, of what the line has left (net n, tax t, gross n + t), all of it when
 *       {@code g} is all that is left, else tax = round(g × t / (n + t)) (half up) and net = g − tax — so a line's
 *       credits never take more net or tax than it held, and the last one takes exactly the rest;</li>
 *   <li>a credit of the invoice as a whole is spread over the lines by largest remainder on what each has left, then
 *       split on each line as above — crediting all that is left takes, per rate, exactly the invoice's net and tax
 *       less what earlier notes took.</li>
 * </ul>
 * The bounds: a line never gives back more than its share, and the notes of an invoice never more than what its
 * charges came to with tax (customer credit and prepaid lines are ways it was paid, not things sold).
 */
public final class InvoiceCredits {
    private final Map<Integer, LineTaxShares.Share> shares = new LinkedHashMap<>();
    private final Map<Integer, Money> netLeft = new HashMap<>();
    private final Map<Integer, Money> taxLeft = new HashMap<>();
    private final Money zero;
    private Money totalLeft;

    /** One line's part of a credit: the invoice line's share it draws on, and the net and tax it takes of it. */
    public record Part(LineTaxShares.Share share, Money net, Money tax) {
        public Money gross() {
            return net.plus(tax);
        }
    }

    private InvoiceCredits(List<InvoiceLine> lines, Money zero) {
        this.zero = zero;
        Money sharesGross = zero;
        for (LineTaxShares.Share s : LineTaxShares.of(lines)) {
            shares.put(s.line(), s);
            netLeft.put(s.line(), s.net());
            taxLeft.put(s.line(), s.tax());
            sharesGross = sharesGross.plus(s.gross());
        }
        // what the invoice charged with tax: its charges and the taxes added on top (never below zero, never more than its lines hold)
        Money charged = zero;
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l) || InvoiceLine.TAX.equals(l.kind())) {
                charged = charged.plus(l.amount());
            }
        }
        Money capped = charged.compareTo(sharesGross) < 0 ? charged : sharesGross;
        this.totalLeft = capped.isPositive() ? capped : zero;
    }

    /** The invoice's lines before any credit note. */
    public static InvoiceCredits of(List<InvoiceLine> lines, Money zero) {
        return new InvoiceCredits(lines, zero);
    }

    /** Whether a line of this kind sold something (and so can be credited): a positive charge. */
    public static boolean creditable(InvoiceLine line) {
        return TaxedLines.isCharge(line) && line.amount().isPositive();
    }

    /** What the invoice can still give back in total, tax included. */
    public Money remainingTotal() {
        return totalLeft;
    }

    /** What line {@code lineNo} (1-based) can still give back, tax included (zero for a line that sold nothing). */
    public Money remainingOnLine(int lineNo) {
        Money n = netLeft.get(lineNo);
        return n == null ? zero : n.plus(taxLeft.get(lineNo));
    }

    /**
     * Books a credit of {@code gross} on line {@code lineNo}, or (lineNo null) on the invoice as a whole, and answers
     * the net and tax it takes per invoice line. The caller has checked the bounds; a credit beyond them is a bug.
     */
    public List<Part> credit(Integer lineNo, Money gross) {
        if (gross.compareTo(totalLeft) > 0) {
            throw new IllegalArgumentException("Credit of " + gross + " above what the invoice has left, " + totalLeft);
        }
        List<Part> parts = new ArrayList<>();
        if (lineNo != null) {
            parts.add(take(lineNo, gross));
        } else {
            List<Integer> open = shares.keySet().stream().filter(l -> remainingOnLine(l).isPositive()).toList();
            if (!gross.isZero()) {
                List<Money> split = Allocation.largestRemainder(gross, open.stream().map(l -> remainingOnLine(l).amount()).toList());
                for (int i = 0; i < open.size(); i++) {
                    if (!split.get(i).isZero()) {
                        parts.add(take(open.get(i), split.get(i)));
                    }
                }
            }
        }
        totalLeft = totalLeft.minus(gross);
        return parts;
    }

    private Part take(int lineNo, Money gross) {
        Money left = remainingOnLine(lineNo);
        if (gross.compareTo(left) > 0 || !gross.isPositive()) {
            throw new IllegalArgumentException("Credit of " + gross + " on line " + lineNo + ", which has " + left + " left");
        }
        Money n = netLeft.get(lineNo);
        Money t = taxLeft.get(lineNo);
        Money tax = gross.compareTo(left) == 0 ? t
                : new Money(gross.amount().multiply(t.amount()).divide(left.amount(), MathContext.DECIMAL128)
                .setScale(gross.minorUnitDigits(), RoundingMode.HALF_UP), gross.currency());
        Money net = gross.minus(tax);
        netLeft.put(lineNo, n.minus(net));
        taxLeft.put(lineNo, t.minus(tax));
        return new Part(shares.get(lineNo), net, tax);
    }
}
