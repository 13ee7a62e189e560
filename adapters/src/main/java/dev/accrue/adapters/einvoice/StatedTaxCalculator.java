package dev.accrue.adapters.einvoice;

import dev.accrue.app.document.Document;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import org.mustangproject.ZUGFeRD.IExportableTransaction;
import org.mustangproject.ZUGFeRD.TransactionCalculator;
import org.mustangproject.ZUGFeRD.VATAmount;
import org.mustangproject.ZUGFeRD.ZUGFeRD2PullProvider;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mustang's totals with the tax each rate's breakdown states (BT-117) taken from the document instead of recomputed.
 *
 * <p>Why: Accrue rounds tax once per rate, on the net (tax-exclusive) or on the gross (tax-inclusive: tax = round(gross ×
 * rate / (1 + rate)), net = gross − tax), and credit notes take back each line's share of that tax. EN 16931's BR-CO-17
 * reads "VAT category tax amount = taxable amount × rate, rounded to two decimals", but the CEN validation artefacts (and
 * Factur-X's, which Mustang's validator runs) implement it — and BR-S-09 and its siblings — with a tolerance: the stated
 * amount may differ from round(taxable × rate) by less than one currency unit (CII: at most one), because a
 * tax-inclusive seller's tax cannot always be net × rate to the cent (10.05 at 19 % holds 1.60, and 8.45 × 19 % is 1.61).
 * Stating the document's own tax keeps the e-invoice's payable amount (BT-115) the gross the customer was shown, and
 * the tax the one the seller declares. The rounding amount (BT-114) would not help: it adjusts the payable amount, not
 * a rate's tax. The writer still refuses ({@code not_an_invoice}) a stated tax outside the tolerance, which billing's
 * arithmetic never produces (the difference is at most a cent per rate).
 */
final class StatedTaxCalculator extends TransactionCalculator {
    /** BR-CO-17's tolerance in the UBL syntax (strict) — the CII one allows equality too. */
    private static final BigDecimal TOLERANCE = BigDecimal.ONE;
    private final Map<String, BigDecimal> stated;

    private StatedTaxCalculator(IExportableTransaction trans, Map<String, BigDecimal> stated) {
        super(trans);
        this.stated = stated;
    }

    /** A CII writer whose totals state the document's tax per VAT category and rate; refuses a tax EN 16931 could not accept. */
    static ZUGFeRD2PullProvider provider(Document d, IExportableTransaction trans) {
        Map<String, BigDecimal> stated = new HashMap<>();
        for (Document.TaxLine t : d.taxes()) {
            if (t.rate() != null && t.vatCategory() != null) {
                stated.merge(key(t.vatCategory(), t.rate().movePointRight(2)), t.tax().amount(), BigDecimal::add);
            }
        }
        StatedTaxCalculator calc = new StatedTaxCalculator(trans, stated);
        calc.requireWithinTolerance(d);
        return new ZUGFeRD2PullProvider() {
            @Override
            protected TransactionCalculator createCalculator(IExportableTransaction t) {
                return new StatedTaxCalculator(t, stated);
            }
        };
    }

    private static String key(String category, BigDecimal percent) {
        return category + "|" + percent.stripTrailingZeros().toPlainString();
    }

    private BigDecimal statedOr(String category, BigDecimal percent, BigDecimal computed) {
        BigDecimal s = percent == null ? null : stated.get(key(category, percent));
        return s == null ? computed : s;
    }

    /** The breakdown (BG-23): Mustang's taxable amounts per category and rate, with the document's tax. */
    @Override
    protected List<VATAmount> getVATAmountList() {
        List<VATAmount> list = super.getVATAmountList();
        for (VATAmount v : list) {
            v.setCalculated(statedOr(v.getCategoryCode(), v.getApplicablePercent(), v.getCalculated()));
        }
        return list;
    }

    /** The same per rate (Mustang sums the grand total from it): each rate's tax is the stated tax of its categories. */
    @Override
    protected HashMap<BigDecimal, VATAmount> getVATPercentAmountMap() {
        HashMap<BigDecimal, VATAmount> map = super.getVATPercentAmountMap();
        Map<BigDecimal, BigDecimal> perPercent = new HashMap<>();
        for (VATAmount v : super.getVATAmountList()) {
            perPercent.merge(v.getApplicablePercent().stripTrailingZeros(), statedOr(v.getCategoryCode(), v.getApplicablePercent(), v.getCalculated()),
                    BigDecimal::add);
        }
        map.forEach((percent, v) -> v.setCalculated(perPercent.getOrDefault(percent.stripTrailingZeros(), v.getCalculated())));
        return map;
    }

    /**
     * Every category's stated tax must be what EN 16931 accepts for its taxable amount (BR-CO-17 with its tolerance), and
     * the stated taxes must all have lines to sit on — otherwise the e-invoice would state another tax than the document.
     */
    private void requireWithinTolerance(Document d) {
        BigDecimal sum = BigDecimal.ZERO;
        for (VATAmount v : super.getVATAmountList()) {
            BigDecimal tax = statedOr(v.getCategoryCode(), v.getApplicablePercent(), null);
            BigDecimal computed = v.getBasis().multiply(v.getApplicablePercent()).movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
            if (tax == null) {
                tax = computed.signum() == 0 ? BigDecimal.ZERO : null;
            }
            if (tax == null || tax.subtract(computed).abs().compareTo(TOLERANCE) >= 0) {
                throw new AccrueException(ErrorCode.NOT_AN_INVOICE, "taxes", "Document " + d.number() + " states " + (tax == null ? "no" : tax.toPlainString())
                        + " tax at " + v.getApplicablePercent().stripTrailingZeros().toPlainString() + " % (" + v.getCategoryCode() + ") on "
                        + v.getBasis().toPlainString() + ", which EN 16931 (BR-CO-17) does not accept");
            }
            sum = sum.add(tax);
        }
        BigDecimal expected = d.taxes().stream().map(t -> t.tax().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.compareTo(expected) != 0) {
            throw new AccrueException(ErrorCode.NOT_AN_INVOICE, "taxes", "Document " + d.number() + " states " + expected.toPlainString()
                    + " of tax, but its lines carry " + sum.toPlainString() + " in the e-invoice's VAT breakdown");
        }
    }
}
