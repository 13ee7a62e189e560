package dev.accrue.core.tax;

import dev.accrue.core.money.Money;

import java.util.Currency;
import java.util.List;

/**
 * A document's taxes: its {@code lines}, the {@code subtotal} before tax (net of tax-inclusive prices), the
 * {@code tax} and the {@code total} owed, subtotal + tax. Tax-exclusive, total = charged + tax; tax-inclusive,
 * total = what was charged. {@code mentions} are the legal notes the document must print. {@code perCharge} says, for each
 * charge in the order given, which of {@code lines} taxed it and under which VAT category.
 */
public record TaxResult(List<TaxLine> lines, Money subtotal, Money tax, Money total, List<String> mentions, List<ChargeTax> perCharge) {

    /**
     * How one charge was taxed: {@code line} is the 0-based index of its tax line, null when no line covers it (no
     * rate where the customer is); {@code vatCategory} its EN 16931 category; {@code jurisdiction} where it was taxed
     * (the customer's; null when unknown).
     */
    public record ChargeTax(Integer line, VatCategory vatCategory, Jurisdiction jurisdiction) {
    }

    static TaxResult of(Currency currency, List<Taxable> charges, PriceMode prices, List<TaxLine> lines, List<ChargeTax> perCharge) {
        Money charged = Money.zero(currency);
        for (Taxable c : charges) {
            charged = charged.plus(c.amount());
        }
        Money tax = Money.zero(currency);
        for (TaxLine l : lines) {
            tax = tax.plus(l.tax());
        }
        Money subtotal = prices == PriceMode.TAX_INCLUSIVE ? charged.minus(tax) : charged;
        List<String> mentions = lines.stream().map(TaxLine::note).filter(n -> n != null).distinct().toList();
        return new TaxResult(List.copyOf(lines), subtotal, tax, subtotal.plus(tax), mentions, List.copyOf(perCharge));
    }
}
