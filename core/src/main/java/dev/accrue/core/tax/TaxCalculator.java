package dev.accrue.core.tax;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one tax rule of Accrue: every document's charges go through {@link #calculate}, whatever made them.
 *
 * <p>Charges are grouped by the rate that applies to them (type, rate, jurisdiction), and each group's tax is
 * rounded once: tax-exclusive, tax = round(Σ net × rate); tax-inclusive, the charged amounts are gross and
 * tax = round(Σ gross × rate / (1 + rate)), the net being gross − tax, so net + tax is exactly what was charged.
 * Rounding per rate rather than per line is what makes the tax lines reconcile: Σ taxable + Σ tax = total, and
 * each line's tax is exactly its rate applied to its taxable amount, rounded.
 *
 * <p>An exempt customer and an EU reverse charge still get a 0 % line per group, with its legal mention, so the
 * document shows the taxable amount the mention applies to.
 *
 * <p>The calculator also decides each charge's EN 16931 VAT category ({@link VatCategory}), so documents, e-invoices
 * and tax reports all read one decision: a positive rate is S; a 0 % row Z; exempt (customer or charge) E; reverse
 * charge AE; a charge with no rate where the customer is goes untaxed as G (an EU seller's export outside the EU)
 * or O (outside the scope: no known place, or a seller outside the EU).
 */
public final class TaxCalculator {
    private static final String EXEMPT_MENTION = "Exempt from tax";

    private TaxCalculator() {
    }

    public static TaxResult calculate(Currency currency, List<Taxable> charges, TaxContext ctx, RoundingPolicy rounding) {
        Map<String, Group> groups = new LinkedHashMap<>();
        List<TaxResult.ChargeTax> perCharge = new ArrayList<>(charges.size());
        boolean reverse = ctx.reverseCharge();
        for (Taxable c : charges) {
            var rate = ctx.customer() == null ? null : ctx.rates().resolve(ctx.customer(), c.category()).orElse(null);
            if (rate == null) {
                // no tax collected where the customer is: the charge stays untaxed, with no line
                boolean export = ctx.customer() != null && EuVat.memberState(ctx.sellerCountry()) && !EuVat.memberState(ctx.customer().country());
                perCharge.add(new TaxResult.ChargeTax(null, export ? VatCategory.G : VatCategory.O, ctx.customer()));
                continue;
            }
            String note = null;
            BigDecimal applied = rate.rate();
            TaxCategory category = rate.category();
            VatCategory vat = applied.signum() > 0 ? VatCategory.S : VatCategory.Z;
            if (ctx.status() == TaxStatus.EXEMPT) {
                applied = BigDecimal.ZERO;
                note = EXEMPT_MENTION;
                vat = VatCategory.E;
            } else if (reverse) {
                applied = BigDecimal.ZERO;
                note = EuVat.REVERSE_CHARGE_MENTION;
                category = TaxCategory.STANDARD;
                vat = VatCategory.AE;
            } else if (category == TaxCategory.EXEMPT) {
                note = EXEMPT_MENTION;
                vat = VatCategory.E;
            }
            String key = rate.type() + "|" + applied.toPlainString() + "|" + rate.jurisdiction() + "|" + note + "|" + vat;
            TaxCategory groupCategory = category;
            String groupNote = note;
            BigDecimal groupRate = applied;
            VatCategory groupVat = vat;
            if (!groups.containsKey(key)) {
                groups.put(key, new Group(groups.size(), rate.type(), groupRate, rate.jurisdiction(), groupCategory, groupNote, groupVat, Money.zero(currency)));
            }
            Group g = groups.get(key);
            g.add(c.amount());
            perCharge.add(new TaxResult.ChargeTax(g.index, vat, rate.jurisdiction()));
        }
        List<TaxLine> lines = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            Money tax;
            Money net;
            if (ctx.prices() == PriceMode.TAX_INCLUSIVE) {
                BigDecimal divisor = BigDecimal.ONE.add(g.rate);
                tax = rounding.apply(new Money(g.sum.amount().multiply(g.rate).divide(divisor, MathContext.DECIMAL128), currency));
                net = g.sum.minus(tax);
            } else {
                tax = rounding.apply(g.sum.times(g.rate));
                net = g.sum;
            }
            lines.add(new TaxLine(g.type, g.rate, g.jurisdiction, g.category, net, tax, g.note, ctx.prices() == PriceMode.TAX_INCLUSIVE, g.vat));
        }
        return TaxResult.of(currency, charges, ctx.prices(), lines, perCharge);
    }

    private static final class Group {
        final int index;
        final String type;
        final BigDecimal rate;
        final Jurisdiction jurisdiction;
        final TaxCategory category;
        final String note;
        final VatCategory vat;
        Money sum;

        Group(int index, String type, BigDecimal rate, Jurisdiction jurisdiction, TaxCategory category, String note, VatCategory vat, Money sum) {
            this.index = index;
            this.vat = vat;
            this.type = type;
            this.rate = rate;
            this.jurisdiction = jurisdiction;
            this.category = category;
            this.note = note;
            this.sum = sum;
        }

        void add(Money amount) {
            sum = sum.plus(amount);
        }
    }
}
