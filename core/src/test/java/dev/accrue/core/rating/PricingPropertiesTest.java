package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.Tier;
import dev.accrue.core.money.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PricingPropertiesTest {

    @Property
    void graduatedPriceNeverDecreasesWithQuantity(@ForAll("graduated") Pricing pricing,
                                                  @ForAll("quantities") BigDecimal a, @ForAll("quantities") BigDecimal b) {
        BigDecimal low = a.min(b);
        BigDecimal high = a.max(b);
        assertThat(price(pricing, low)).isLessThanOrEqualTo(price(pricing, high));
    }

    // perUnits made of 2s and 5s: the single division always terminates, so additivity is exact.
    @Property
    void perUnitPriceIsExactlyAdditive(@ForAll("cents") BigDecimal unitPrice, @ForAll("decimalPerUnits") BigDecimal perUnits,
                                       @ForAll("quantities") BigDecimal a, @ForAll("quantities") BigDecimal b) {
        Pricing pricing = new Pricing(PriceModel.PER_UNIT, Map.of("USD", unitPrice), perUnits, null, null, null);
        Money whole = UsagePricer.price(pricing, "USD", a.add(b));
        assertThat(whole).isEqualTo(UsagePricer.price(pricing, "USD", a).plus(UsagePricer.price(pricing, "USD", b)));
    }

    // Per-minute prices on seconds: exact whenever the division terminates, else off by far less than any minor unit.
    @Property
    void perMinutePriceIsAdditiveBelowAnyMinorUnit(@ForAll("cents") BigDecimal unitPrice,
                                                   @ForAll("quantities") BigDecimal a, @ForAll("quantities") BigDecimal b) {
        Pricing pricing = new Pricing(PriceModel.PER_UNIT, Map.of("USD", unitPrice), BigDecimal.valueOf(60), null, null, null);
        BigDecimal gap = UsagePricer.price(pricing, "USD", a.add(b)).amount()
                .subtract(UsagePricer.price(pricing, "USD", a).plus(UsagePricer.price(pricing, "USD", b)).amount());
        assertThat(gap.abs()).isLessThan(new BigDecimal("1e-25"));
    }

    @Property
    void unitsAffordableIsTheLargestWholeQuantityWithinTheCap(@ForAll("graduated") Pricing pricing,
                                                              @ForAll("cents") BigDecimal cap) {
        Money limit = Money.of(cap, "USD");
        UsagePricer.unitsAffordable(pricing, limit).ifPresent(units -> {
            assertThat(UsagePricer.price(pricing, "USD", units)).isLessThanOrEqualTo(limit);
            assertThat(UsagePricer.price(pricing, "USD", units.add(BigDecimal.ONE))).isGreaterThan(limit);
        });
    }

    private static Money price(Pricing pricing, BigDecimal quantity) {
        return UsagePricer.price(pricing, "USD", quantity);
    }

    @Provide
    Arbitrary<BigDecimal> quantities() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100000")).ofScale(2);
    }

    @Provide
    Arbitrary<BigDecimal> cents() {
        return Arbitraries.longs().between(0, 100_000).map(c -> BigDecimal.valueOf(c, 2));
    }

    @Provide
    Arbitrary<BigDecimal> decimalPerUnits() {
        return Arbitraries.of(1, 2, 5, 8, 10, 100, 1000, 1024).map(BigDecimal::valueOf);
    }

    /** 1-4 ascending tiers with random widths, unit prices and flat prices; unit prices per minute on seconds. */
    @Provide
    Arbitrary<Pricing> graduated() {
        Arbitrary<Tier> shape = Combinators.combine(
                Arbitraries.integers().between(1, 5000),
                cents(),
                Arbitraries.longs().between(0, 500).map(c -> BigDecimal.valueOf(c, 2))
        ).as((width, unit, flat) -> new Tier(BigDecimal.valueOf(width), Map.of("USD", unit), Map.of("USD", flat)));
        return Combinators.combine(shape.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(1, 60))
                .as((widths, perUnits) -> {
                    List<Tier> tiers = new ArrayList<>();
                    BigDecimal bound = BigDecimal.ZERO;
                    for (int i = 0; i < widths.size(); i++) {
                        Tier t = widths.get(i);
                        bound = bound.add(t.upTo());
                        BigDecimal upTo = i == widths.size() - 1 ? null : bound;
                        tiers.add(new Tier(upTo, t.unitPrice(), t.flatPrice()));
                    }
                    return new Pricing(PriceModel.GRADUATED, null, BigDecimal.valueOf(perUnits), tiers, null, null);
                });
    }
}
