package dev.accrue.core.tax;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.LineTax;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@link TaxResult} onto a document's lines: each charge line records its {@link LineTax}, and one line per
 * tax follows them — kind {@code tax} (added on top) or {@code tax_included} (inside tax-inclusive prices, so not
 * added) with quantity = rate, unit price = taxable (net) amount, amount = tax. The one place that decides which
 * lines add up to what a document owes ({@link #owed}).
 */
public final class TaxedLines {
    /** Lines that are not charges: taxes themselves, and payments (customer credit, prepaid wallet). */
    public static final Set<String> NOT_CHARGES = Set.of(InvoiceLine.TAX, InvoiceLine.TAX_INCLUDED, InvoiceLine.CREDIT, InvoiceLine.PREPAID);

    private TaxedLines() {
    }

    public static boolean isCharge(InvoiceLine line) {
        return !NOT_CHARGES.contains(line.kind());
    }

    /** {@code lines} (whose charges, in order, are the charges {@code taxes} was calculated on) with their taxes recorded and appended. */
    public static List<InvoiceLine> of(List<InvoiceLine> lines, TaxResult taxes, Period period) {
        List<InvoiceLine> taxed = new ArrayList<>(lines.size() + taxes.lines().size());
        int charge = 0;
        for (InvoiceLine l : lines) {
            if (!isCharge(l)) {
                taxed.add(l);
                continue;
            }
            TaxResult.ChargeTax ct = taxes.perCharge().get(charge++);
            taxed.add(l.withTax(lineTax(ct.line() == null ? null : ct.line() + 1, ct.vatCategory(), ct.jurisdiction())));
        }
        if (charge != taxes.perCharge().size()) {
            throw new IllegalArgumentException("The tax result covers " + taxes.perCharge().size() + " charges, the lines hold " + charge);
        }
        int group = 0;
        for (TaxLine t : taxes.lines()) {
            taxed.add(new InvoiceLine(t.included() ? InvoiceLine.TAX_INCLUDED : InvoiceLine.TAX, t.type(), t.description(), period, t.rate(),
                    t.taxable(), t.tax(), lineTax(++group, t.vatCategory(), t.jurisdiction())));
        }
        return List.copyOf(taxed);
    }

    /** What a document's lines owe: all of them, except the tax already inside tax-inclusive prices. */
    public static Money owed(Currency currency, List<InvoiceLine> lines) {
        Money owed = Money.zero(currency);
        for (InvoiceLine l : lines) {
            if (!InvoiceLine.TAX_INCLUDED.equals(l.kind())) {
                owed = owed.plus(l.amount());
            }
        }
        return owed;
    }

    private static LineTax lineTax(Integer group, VatCategory category, Jurisdiction where) {
        return new LineTax(group, category.code(), where == null ? null : where.country(), where == null ? null : where.region());
    }
}
