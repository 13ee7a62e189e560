package dev.accrue.core.tax;

import dev.accrue.core.coupon.Coupon;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discounts before tax, attacked: coupons split over the lines they apply to ({@link Coupon#parts}), the parts filed as
 * discount lines under the tax category of the charge they discounted, taxed ({@link TaxCalculator}) and folded to one
 * line per coupon and rate ({@link DiscountsPerRate}) must tax exactly as if each line had been charged its discounted
 * amount — per rate the same taxable amount and tax — whatever the rates, price mode, customer status and coupons.
 */
class DiscountsBeforeTaxPropertiesTest {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final List<String> CODES = List.of("base", "books", "insurance", "fees", "calls");
    /** Each charge code's catalog tax category. */
    private static final Map<String, TaxCategory> CATEGORY = Map.of("base", TaxCategory.STANDARD, "books", TaxCategory.REDUCED,
            "insurance", TaxCategory.EXEMPT, "fees", TaxCategory.TELECOM_REGULATORY, "calls", TaxCategory.STANDARD);

    record Charge(String code, long cents) {
        InvoiceLine line() {
            Money m = new Money(BigDecimal.valueOf(cents, 2), EUR);
            return new InvoiceLine(InvoiceLine.USAGE, code, code, null, BigDecimal.ONE, m, m);
        }
    }

    record Applied(List<InvoiceLine> lines, List<Money> left, List<List<Money>> parts, List<Money> offs) {
    }

    /** What InvoiceDiscounts does: each coupon in turn on what the earlier ones left, capped at what is still owed, one line per code. */
    static Applied discount(List<InvoiceLine> lines, List<Coupon> coupons) {
        List<Money> left = new ArrayList<>(lines.stream().map(InvoiceLine::amount).toList());
        List<InvoiceLine> out = new ArrayList<>(lines);
        List<List<Money>> allParts = new ArrayList<>();
        List<Money> offs = new ArrayList<>();
        for (Coupon c : coupons) {
            Money owed = out.stream().map(InvoiceLine::amount).reduce(Money.zero(EUR), Money::plus);
            if (!owed.isPositive()) {
                continue;
            }
            List<Money> parts = c.parts(lines, left, owed, RoundingPolicy.DEFAULT);
            allParts.add(parts);
            Map<String, Money> byCode = new LinkedHashMap<>();
            Money off = Money.zero(EUR);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(parts.get(i).compareTo(left.get(i)) <= 0 || !parts.get(i).isPositive()).as("a part never exceeds what is left of its line").isTrue();
                if (parts.get(i).isPositive()) {
                    byCode.merge(lines.get(i).chargeCode(), parts.get(i), Money::plus);
                    left.set(i, left.get(i).minus(parts.get(i)));
                    off = off.plus(parts.get(i));
                }
            }
            offs.add(off);
            byCode.forEach((code, m) -> out.add(new InvoiceLine(InvoiceLine.DISCOUNT, code, c.label(), null, BigDecimal.ONE, m.negate(), m.negate())));
        }
        return new Applied(out, left, allParts, offs);
    }

    static TaxResult tax(List<InvoiceLine> lines, TaxContext ctx) {
        List<Taxable> charges = new ArrayList<>();
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l)) {
                charges.add(new Taxable(CATEGORY.get(l.chargeCode()), l.amount()));
            }
        }
        return TaxCalculator.calculate(EUR, charges, ctx, RoundingPolicy.DEFAULT);
    }

    @Property
    void discountedLinesAreTaxedAsTheirDiscountedAmountsRateByRate(@ForAll("charges") List<Charge> charges, @ForAll("coupons") List<Coupon> coupons,
                                                                    @ForAll PriceMode mode, @ForAll TaxStatus status) {
        var ctx = new TaxContext("DE", mode, EuVat.defaultRates(), Jurisdiction.country("DE"), status, status == TaxStatus.BUSINESS ? "DE123456789" : null);
        List<InvoiceLine> lines = charges.stream().map(Charge::line).toList();
        Applied a = discount(lines, coupons);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).amount().isPositive()) {
                assertThat(a.left().get(i).isNegative()).as("no line is discounted below zero").isFalse();
            } else {
                assertThat(a.left().get(i)).as("lines no coupon applies to are not discounted").isEqualTo(lines.get(i).amount());
            }
        }
        // the oracle: each line charged what the coupons left of it
        List<InvoiceLine> netOfDiscounts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine l = lines.get(i);
            netOfDiscounts.add(new InvoiceLine(l.kind(), l.chargeCode(), l.description(), null, BigDecimal.ONE, a.left().get(i), a.left().get(i)));
        }
        TaxResult expected = tax(netOfDiscounts, ctx);
        TaxResult actual = tax(a.lines(), ctx);
        assertThat(actual.lines()).isEqualTo(expected.lines());
        assertThat(actual.total()).isEqualTo(expected.total());

        List<InvoiceLine> shown = DiscountsPerRate.fold(TaxedLines.of(a.lines(), actual, null));
        // what the document owes is unchanged by folding; each rate's lines still come to its taxable amount (+ tax inside)
        assertThat(TaxedLines.owed(EUR, shown)).isEqualTo(actual.total());
        Map<Integer, Money> perGroup = new HashMap<>();
        Set<String> couponAndRate = new HashSet<>();
        for (InvoiceLine l : shown) {
            if (!l.isTax() && l.tax().group() != null) {
                perGroup.merge(l.tax().group(), l.amount(), Money::plus);
            }
            if (InvoiceLine.DISCOUNT.equals(l.kind())) {
                String coupon = l.description().contains(" (VAT") ? l.description().substring(0, l.description().indexOf(" (VAT")) : l.description();
                assertThat(couponAndRate.add(coupon + "|" + l.tax())).as("one discount line per coupon and rate").isTrue();
            }
        }
        for (InvoiceLine l : shown) {
            if (l.isTax()) {
                Money lines_ = perGroup.getOrDefault(l.tax().group(), Money.zero(EUR));
                assertThat(lines_).isEqualTo(mode == PriceMode.TAX_INCLUSIVE ? l.unitPrice().plus(l.amount()) : l.unitPrice());
            }
        }
        // credit notes' shares see the same per-rate discounted amounts: each rate's shares add up to its net and tax
        Map<Integer, Money> shareNet = new HashMap<>();
        Map<Integer, Money> shareTax = new HashMap<>();
        for (LineTaxShares.Share s : LineTaxShares.of(shown)) {
            if (s.taxLine() != null) {
                shareNet.merge(s.pool().group(), s.net(), Money::plus);
                shareTax.merge(s.pool().group(), s.tax(), Money::plus);
                assertThat(s.net().isNegative()).isFalse();
            }
        }
        for (InvoiceLine l : shown) {
            if (l.isTax() && l.unitPrice().isPositive()) {
                assertThat(shareNet.get(l.tax().group())).isEqualTo(l.unitPrice());
                assertThat(shareTax.get(l.tax().group())).isEqualTo(l.amount());
            }
        }
    }

    @Property
    void aCouponsPartsAddUpToItsDiscount(@ForAll("charges") List<Charge> charges, @ForAll("coupons") List<Coupon> coupons) {
        List<InvoiceLine> lines = charges.stream().map(Charge::line).toList();
        Applied a = discount(lines, coupons);
        for (int k = 0; k < a.parts().size(); k++) {
            assertThat(a.parts().get(k).stream().reduce(Money.zero(EUR), Money::plus)).isEqualTo(a.offs().get(k));
        }
    }

    @Example
    void aHundredPercentCouponLeavesEveryRateAtZero() {
        List<InvoiceLine> lines = List.of(new Charge("base", 10_003).line(), new Charge("books", 499).line(), new Charge("insurance", 1_000).line());
        Applied a = discount(lines, List.of(coupon(new BigDecimal("100"), null, List.of())));
        var ctx = new TaxContext("DE", PriceMode.TAX_EXCLUSIVE, EuVat.defaultRates(), Jurisdiction.country("DE"), TaxStatus.TAXABLE, null);
        TaxResult r = tax(a.lines(), ctx);
        assertThat(r.total().isZero()).isTrue();
        assertThat(r.lines()).allSatisfy(l -> assertThat(l.taxable().isZero() && l.tax().isZero()).isTrue());
    }

    @Example
    void aCouponOnTheExemptChargeLeavesTheStandardTaxAlone() {
        List<InvoiceLine> lines = List.of(new Charge("base", 4_900).line(), new Charge("insurance", 1_000).line());
        Applied a = discount(lines, List.of(coupon(new BigDecimal("50"), null, List.of("insurance"))));
        var ctx = new TaxContext("DE", PriceMode.TAX_EXCLUSIVE, EuVat.defaultRates(), Jurisdiction.country("DE"), TaxStatus.TAXABLE, null);
        TaxResult r = tax(a.lines(), ctx);
        assertThat(r.lines().get(0).taxable()).isEqualTo(Money.of("49.00", "EUR"));
        assertThat(r.lines().get(0).tax()).isEqualTo(Money.of("9.31", "EUR"));
        assertThat(r.lines().get(1).taxable()).isEqualTo(Money.of("5.00", "EUR"));
    }

    private static Coupon coupon(BigDecimal percent, Money amount, List<String> codes) {
        return new Coupon("cpn", "C" + (percent == null ? amount.amount().toPlainString() : percent.toPlainString()) + codes, "n", percent, amount, Coupon.FOREVER,
                null, List.of(), codes, null, null, 0, false);
    }

    @Provide
    Arbitrary<List<Charge>> charges() {
        return Combinators.combine(Arbitraries.of(CODES), Arbitraries.longs().between(-2_000L, 500_000L)).as(Charge::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Coupon>> coupons() {
        Arbitrary<List<String>> codes = Arbitraries.subsetOf(CODES).map(List::copyOf);
        Arbitrary<Coupon> percent = Combinators.combine(Arbitraries.integers().between(1, 100), codes)
                .as((p, c) -> coupon(BigDecimal.valueOf(p), null, c));
        Arbitrary<Coupon> fixed = Combinators.combine(Arbitraries.longs().between(1L, 300_000L), codes)
                .as((cents, c) -> coupon(null, new Money(BigDecimal.valueOf(cents, 2), EUR), c));
        return Arbitraries.oneOf(percent, fixed).list().ofMinSize(1).ofMaxSize(3);
    }
}
