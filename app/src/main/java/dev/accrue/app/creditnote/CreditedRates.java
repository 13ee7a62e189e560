package dev.accrue.app.creditnote;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.creditnote.CreditLimits;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.TaxedLines;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a credit note's amount falls on the rates of the invoice it corrects, as billing recorded them per line (V130):
 * a credited line belongs to its line's tax group; a credit of the invoice as a whole is spread over the invoice's
 * tax groups by largest remainder on what each charged with tax. A credit note's amount is what was granted back, so
 * it is read as an amount <em>with</em> tax: within a rate it splits into taxable and tax in that rate's own proportion
 * on the invoice (tax rounded once, taxable the rest) — the same reading as the tax report's.
 */
public final class CreditedRates {
    private CreditedRates() {
    }

    /**
     * One rate of the credit note. {@code taxLine} is the invoice's tax line covering it (null: charges no tax line
     * covered, e.g. a tenant collecting no tax); {@code parts} the credit note's lines (or their shares) on this rate.
     */
    public record Rate(InvoiceLine taxLine, Integer group, String vatCategory, Money gross, Money taxable, Money tax, List<Part> parts) {
    }

    /** A credited amount on one rate: the credit note's line, the invoice line it names (null for a whole-invoice share). */
    public record Part(CreditNote.Line line, InvoiceLine invoiceLine, Money amount) {
    }

    public static List<Rate> of(Invoice invoice, CreditNote note) {
        Money zero = Money.zero(invoice.total().currency());
        // the invoice's groups: tax line and what its charges came to with tax
        Map<Integer, InvoiceLine> taxLines = new LinkedHashMap<>();
        Map<Integer, Money> charged = new LinkedHashMap<>();
        Map<Integer, String> category = new LinkedHashMap<>();
        for (InvoiceLine l : invoice.lines()) {
            if (l.isTax() && l.tax() != null && l.tax().group() != null) {
                taxLines.put(l.tax().group(), l);
            }
        }
        for (InvoiceLine l : invoice.lines()) {
            if (TaxedLines.isCharge(l) && CreditLimits.creditable(l)) {
                Integer g = group(l, taxLines);
                charged.merge(g, l.amount(), Money::plus);
                category.putIfAbsent(g, l.tax() == null ? null : l.tax().vatCategory());
            }
        }
        Map<Integer, List<Part>> parts = new LinkedHashMap<>();
        for (CreditNote.Line cl : note.lines()) {
            if (cl.invoiceLine() != null) {
                InvoiceLine il = invoice.lines().get(cl.invoiceLine() - 1);
                parts.computeIfAbsent(group(il, taxLines), g -> new ArrayList<>()).add(new Part(cl, il, cl.amount()));
                continue;
            }
            List<Integer> groups = new ArrayList<>(charged.keySet());
            List<BigDecimal> weights = groups.stream().map(g -> gross(g, charged, taxLines, zero).amount().max(BigDecimal.ZERO)).toList();
            if (groups.isEmpty() || weights.stream().allMatch(w -> w.signum() == 0)) {
                parts.computeIfAbsent(0, g -> new ArrayList<>()).add(new Part(cl, null, cl.amount()));
                continue;
            }
            List<Money> shares = Allocation.largestRemainder(cl.amount(), weights);
            for (int i = 0; i < groups.size(); i++) {
                if (!shares.get(i).isZero()) {
                    parts.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(new Part(cl, null, shares.get(i)));
                }
            }
        }
        List<Rate> out = new ArrayList<>();
        for (var e : parts.entrySet()) {
            Integer g = e.getKey();
            Money credited = e.getValue().stream().map(Part::amount).reduce(zero, Money::plus);
            InvoiceLine taxLine = taxLines.get(g);
            Money groupGross = gross(g, charged, taxLines, zero);
            Money tax = taxLine == null || groupGross.isZero() ? zero
                    : new Money(credited.amount().multiply(taxLine.amount().amount()).divide(groupGross.amount(), MathContext.DECIMAL128)
                    .setScale(credited.minorUnitDigits(), RoundingMode.HALF_UP), credited.currency());
            out.add(new Rate(taxLine, taxLine == null ? null : g, category.get(g), credited, credited.minus(tax), tax, e.getValue()));
        }
        return out;
    }

    /** The tax group of a charge line: its recorded group when a tax line of the invoice carries it, else 0 (untaxed). */
    private static Integer group(InvoiceLine l, Map<Integer, InvoiceLine> taxLines) {
        Integer g = l.tax() == null ? null : l.tax().group();
        return g != null && taxLines.containsKey(g) ? g : 0;
    }

    /** What a group's charges came to with their tax (tax-inclusive lines already hold it). */
    private static Money gross(Integer g, Map<Integer, Money> charged, Map<Integer, InvoiceLine> taxLines, Money zero) {
        Money c = charged.getOrDefault(g, zero);
        InvoiceLine t = taxLines.get(g);
        return t == null || InvoiceLine.TAX_INCLUDED.equals(t.kind()) ? c : c.plus(t.amount());
    }
}
