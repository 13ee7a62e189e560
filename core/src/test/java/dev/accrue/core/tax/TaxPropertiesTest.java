package dev.accrue.core.tax;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaxPropertiesTest {
    private static final Currency EUR = Currency.getInstance("EUR");

    private static BigDecimal sum(List<Money> ms) {
        return ms.stream().map(Money::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Property
    void exclusiveTaxLinesReconcile(@ForAll("charges") List<Taxable> charges, @ForAll("countries") String country) {
        var ctx = new TaxContext("FR", PriceMode.TAX_EXCLUSIVE, EuVat.defaultRates(), Jurisdiction.country(country), TaxStatus.TAXABLE, null);
        TaxResult r = TaxCalculator.calculate(EUR, charges, ctx, RoundingPolicy.DEFAULT);
        BigDecimal charged = sum(charges.stream().map(Taxable::amount).toList());
        assertThat(sum(r.lines().stream().map(TaxLine::tax).toList())).isEqualByComparingTo(r.tax().amount());
        assertThat(sum(r.lines().stream().map(TaxLine::taxable).toList())).isEqualByComparingTo(charged);
        assertThat(r.total().amount()).isEqualByComparingTo(charged.add(r.tax().amount()));
        for (TaxLine l : r.lines()) {
            // each line's tax is its rate on its taxable amount, rounded once
            assertThat(l.tax().amount()).isEqualByComparingTo(l.taxable().amount().multiply(l.rate()).setScale(2, RoundingMode.HALF_UP));
        }
    }

    @Property
    void inclusiveAmountsDecomposeExactly(@ForAll("charges") List<Taxable> charges, @ForAll("countries") String country) {
        var ctx = new TaxContext("FR", PriceMode.TAX_INCLUSIVE, EuVat.defaultRates(), Jurisdiction.country(country), TaxStatus.TAXABLE, null);
        TaxResult r = TaxCalculator.calculate(EUR, charges, ctx, RoundingPolicy.DEFAULT);
        BigDecimal charged = sum(charges.stream().map(Taxable::amount).toList());
        assertThat(r.total().amount()).isEqualByComparingTo(charged);
        assertThat(r.subtotal().amount().add(r.tax().amount())).isEqualByComparingTo(charged);
        assertThat(sum(r.lines().stream().map(TaxLine::taxable).toList()).add(r.tax().amount())).isEqualByComparingTo(charged);
        for (TaxLine l : r.lines()) {
            // net × rate is within half a cent (and rounding of the gross) of the tax the gross implies
            BigDecimal implied = l.taxable().amount().multiply(l.rate());
            assertThat(l.tax().amount().subtract(implied).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
            assertThat(l.tax().amount().scale()).isLessThanOrEqualTo(2);
        }
    }

    /** A charged line of an invoice: a discount (negative) or a charge, with its catalog tax category. */
    record Charged(boolean discount, TaxCategory category, long cents) {
        InvoiceLine line() {
            Money m = new Money(BigDecimal.valueOf(discount ? -cents : cents, 2), EUR);
            return new InvoiceLine(discount ? InvoiceLine.DISCOUNT : InvoiceLine.USAGE, "c", "d", null, BigDecimal.ONE, m, m);
        }
    }

    /**
     * Lines − discounts + taxes = total, in both price modes, written onto real invoice lines: what the lines owe (all
     * but the tax inside tax-inclusive prices) is the calculator's total; the subtotal plus every tax line is the total;
     * and for each rate the lines it covers come to its taxable amount (tax-exclusive) or taxable + tax (inclusive).
     */
    @Property
    void invoiceLinesMinusDiscountsPlusTaxesAreTheTotal(@ForAll("invoices") List<Charged> charged, @ForAll("countries") String country,
                                                        @ForAll PriceMode mode, @ForAll TaxStatus status) {
        List<InvoiceLine> lines = charged.stream().map(Charged::line).toList();
        List<Taxable> charges = charged.stream().map(c -> new Taxable(c.category(), c.line().amount())).toList();
        var ctx = new TaxContext("FR", mode, EuVat.defaultRates(), Jurisdiction.country(country), status, status == TaxStatus.BUSINESS ? "DE123456789" : null);
        TaxResult r = TaxCalculator.calculate(EUR, charges, ctx, RoundingPolicy.DEFAULT);
        List<InvoiceLine> taxed = TaxedLines.of(lines, r, null);

        Money charges_ = Money.zero(EUR);
        Money discounts = Money.zero(EUR);
        Money addedTax = Money.zero(EUR);
        Money allTax = Money.zero(EUR);
        Map<Integer, Money> perGroup = new HashMap<>();
        for (InvoiceLine l : taxed) {
            switch (l.kind()) {
                case InvoiceLine.DISCOUNT -> discounts = discounts.plus(l.amount().negate());
                case InvoiceLine.TAX -> addedTax = addedTax.plus(l.amount());
                case InvoiceLine.TAX_INCLUDED -> { }
                default -> charges_ = charges_.plus(l.amount());
            }
            if (l.isTax()) {
                allTax = allTax.plus(l.amount());
            } else {
                assertThat(l.tax()).isNotNull();
                if (l.tax().group() != null) {
                    perGroup.merge(l.tax().group(), l.amount(), Money::plus);
                }
            }
        }
        assertThat(charges_.minus(discounts).plus(addedTax)).isEqualTo(r.total());
        assertThat(TaxedLines.owed(EUR, taxed)).isEqualTo(r.total());
        assertThat(r.subtotal().plus(allTax)).isEqualTo(r.total());
        if (mode == PriceMode.TAX_INCLUSIVE) {
            assertThat(addedTax.isZero()).isTrue();
            assertThat(r.total()).isEqualTo(charges_.minus(discounts));
        }
        int group = 0;
        for (InvoiceLine l : taxed) {
            if (l.isTax()) {
                assertThat(l.tax().group()).isEqualTo(++group);
                Money expected = mode == PriceMode.TAX_INCLUSIVE ? l.unitPrice().plus(l.amount()) : l.unitPrice();
                assertThat(perGroup.get(group)).as("lines of rate %s", l.description()).isEqualTo(expected);
                assertThat(InvoiceLine.TAX_INCLUDED.equals(l.kind())).isEqualTo(mode == PriceMode.TAX_INCLUSIVE);
            }
        }
        assertThat(perGroup.keySet()).hasSize(group);
    }

    @Provide
    Arbitrary<List<Charged>> invoices() {
        return Combinators.combine(Arbitraries.of(false, false, false, true), Arbitraries.of(TaxCategory.class),
                Arbitraries.longs().between(0L, 2_000_000L)).as(Charged::new).list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Taxable>> charges() {
        Arbitrary<TaxCategory> cat = Arbitraries.of(TaxCategory.class);
        Arbitrary<Money> amount = Arbitraries.longs().between(-50_000L, 5_000_000L).map(c -> new Money(BigDecimal.valueOf(c, 2), EUR));
        return Combinators.combine(cat, amount).as(Taxable::new).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("FR", "DE", "FI", "HU", "LU", "IT");
    }
}
