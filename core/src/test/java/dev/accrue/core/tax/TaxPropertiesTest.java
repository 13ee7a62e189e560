package dev.accrue.core.tax;

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
import java.util.List;

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
