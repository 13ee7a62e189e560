package dev.accrue.core.tax;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each charged line of a taxed document holds of what the document charged: its net and the part of its rate's
 * tax that falls on it. The one place each rate's tax is shared out to that rate's lines — credit limits, credit
 * notes (whole and per line, their documents and e-invoices) and the tax report's credit notes all read it.
 *
 * <p>The rule. Tax was rounded once per rate ({@link TaxCalculator}), so a line has no tax of its own: per rate (a tax
 * line and the charges its recorded group covers) the rate's taxable amount (its net) and its tax are each split over
 * the rate's positive charge lines by largest remainder on their amounts, so the shares of a rate add up exactly to the
 * rate's net and tax on the document. Negative charges of the rate (a coupon's discount, a usage correction) lowered its
 * net before tax, so they lower every share rather than being shares themselves. The same holds for tax-exclusive and
 * tax-inclusive prices: a tax line states the net (unit price) and the tax (amount) either way. Charges no tax line
 * covers (exports, supplies outside the scope, a tenant collecting no tax) are pooled per VAT category and jurisdiction
 * with no tax. A pool whose net is not positive holds nothing to share.
 */
public final class LineTaxShares {
    private LineTaxShares() {
    }

    /**
     * One charged line's share: {@code line} its 1-based number on the document, {@code pool} the rate it belongs to
     * (the tax line's group, or for untaxed charges their category and jurisdiction), {@code taxLine} the document's tax
     * line covering it (null when untaxed).
     */
    public record Share(int line, Pool pool, InvoiceLine taxLine, Money net, Money tax) {
        public Money gross() {
            return net.plus(tax);
        }
    }

    /** A rate of the document: a tax line's {@code group}, or (group null) untaxed charges of one VAT category and jurisdiction. */
    public record Pool(Integer group, String vatCategory, String country, String region) {
    }

    /** The shares of every positive charge line of {@code lines}, in line order. */
    public static List<Share> of(List<InvoiceLine> lines) {
        Map<Integer, InvoiceLine> taxLines = new LinkedHashMap<>();
        for (InvoiceLine l : lines) {
            if (l.isTax() && l.tax() != null && l.tax().group() != null) {
                taxLines.put(l.tax().group(), l);
            }
        }
        Map<Pool, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine l = lines.get(i);
            if (TaxedLines.isCharge(l)) {
                members.computeIfAbsent(poolOf(l, taxLines), p -> new ArrayList<>()).add(i);
            }
        }
        Map<Integer, Share> byLine = new LinkedHashMap<>();
        for (var e : members.entrySet()) {
            Pool pool = e.getKey();
            InvoiceLine taxLine = pool.group() == null ? null : taxLines.get(pool.group());
            Money zero = Money.zero(lines.get(e.getValue().getFirst()).amount().currency());
            Money charged = zero;
            List<Integer> positive = new ArrayList<>();
            for (int i : e.getValue()) {
                charged = charged.plus(lines.get(i).amount());
                if (lines.get(i).amount().isPositive()) {
                    positive.add(i);
                }
            }
            Money net = taxLine == null ? charged : taxLine.unitPrice();
            Money tax = taxLine == null ? zero : taxLine.amount();
            if (positive.isEmpty() || !net.isPositive()) {
                continue;
            }
            List<BigDecimal> weights = positive.stream().map(i -> lines.get(i).amount().amount()).toList();
            List<Money> nets = Allocation.largestRemainder(net, weights);
            List<Money> taxes = Allocation.largestRemainder(tax, weights);
            for (int k = 0; k < positive.size(); k++) {
                int i = positive.get(k);
                byLine.put(i, new Share(i + 1, pool, taxLine, nets.get(k), taxes.get(k)));
            }
        }
        List<Share> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (byLine.containsKey(i)) {
                out.add(byLine.get(i));
            }
        }
        return List.copyOf(out);
    }

    /** The rate a charge line belongs to: its recorded group when a tax line of the document carries it, else its untaxed pool. */
    private static Pool poolOf(InvoiceLine l, Map<Integer, InvoiceLine> taxLines) {
        Integer g = l.tax() == null ? null : l.tax().group();
        if (g != null && taxLines.containsKey(g)) {
            return new Pool(g, null, null, null);
        }
        return l.tax() == null ? new Pool(null, null, null, null) : new Pool(null, l.tax().vatCategory(), l.tax().country(), l.tax().region());
    }
}
