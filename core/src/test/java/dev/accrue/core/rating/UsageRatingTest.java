package dev.accrue.core.rating;

import dev.accrue.core.catalog.Overage;
import dev.accrue.core.catalog.Overage.OveragePolicy;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

import static dev.accrue.core.catalog.PriceModel.GRADUATED;
import static dev.accrue.core.catalog.PriceModel.VOLUME;
import static dev.accrue.core.rating.Pricings.d;
import static dev.accrue.core.rating.Pricings.packaged;
import static dev.accrue.core.rating.Pricings.perUnit;
import static dev.accrue.core.rating.Pricings.tier;
import static dev.accrue.core.rating.Pricings.tiered;
import static dev.accrue.core.rating.Pricings.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageRatingTest {

    private static final Pricing TWELVE_CENTS_A_MINUTE = perUnit("0.12", "60");
    private static final Overage BLOCK = new Overage(OveragePolicy.BLOCK, null);
    private static final Overage CAP_ONE_DOLLAR = new Overage(OveragePolicy.CHARGE_UP_TO_CAP, usd("1.00"));

    private static RatedUsage rate(String used, Pricing pricing, Overage overage) {
        return UsageRating.rate(d(used), d("18000"), pricing, overage, "USD", RoundingPolicy.DEFAULT);
    }

    @Test
    void seedOverageCall() {
        // 18,000 included seconds fully used, then one 180-second call at 0.12/min
        RatedUsage r = rate("18180", TWELVE_CENTS_A_MINUTE, Overage.CHARGE);
        assertThat(r.overageQuantity()).isEqualByComparingTo("180");
        assertThat(r.billableQuantity()).isEqualByComparingTo("180");
        assertThat(r.amount()).isEqualTo(Money.of("0.36", "USD"));
        assertThat(r.outcome()).isEqualTo(RatedUsage.Outcome.CHARGED);
        assertThat(r.overageUnitsAllowed()).isEmpty();
        assertThat(r.remainingIncluded()).isZero();
    }

    @Test
    void usageWithinTheAllowanceCostsNothing() {
        RatedUsage r = rate("17000", TWELVE_CENTS_A_MINUTE, Overage.CHARGE);
        assertThat(r.overageQuantity()).isZero();
        assertThat(r.amount().isZero()).isTrue();
        assertThat(r.outcome()).isEqualTo(RatedUsage.Outcome.WITHIN_ALLOWANCE);
        assertThat(r.remainingIncluded()).isEqualByComparingTo("1000");
    }

    @Test
    void blockReportsTheOverageButBillsNothing() {
        RatedUsage r = rate("18180", TWELVE_CENTS_A_MINUTE, BLOCK);
        assertThat(r.overageQuantity()).isEqualByComparingTo("180");
        assertThat(r.billableQuantity()).isZero();
        assertThat(r.amount().isZero()).isTrue();
        assertThat(r.blocked()).isTrue();
        assertThat(r.overageUnitsAllowed()).contains(BigDecimal.ZERO);
        assertThat(rate("18000", TWELVE_CENTS_A_MINUTE, BLOCK).blocked()).isFalse();
    }

    @Test
    void capStopsBillingAtTheLastAffordableUnit() {
        // 600 s over at 0.12/min would be 1.20; the 1.00 cap affords exactly 500 s
        RatedUsage r = rate("18600", TWELVE_CENTS_A_MINUTE, CAP_ONE_DOLLAR);
        assertThat(r.overageQuantity()).isEqualByComparingTo("600");
        assertThat(r.billableQuantity()).isEqualByComparingTo("500");
        assertThat(r.amount()).isEqualTo(Money.of("1.00", "USD"));
        assertThat(r.capped()).isTrue();
        assertThat(r.overageUnitsAllowed()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("500"));
        assertThat(r.remainingOverageUnits()).hasValueSatisfying(a -> assertThat(a).isZero());
    }

    @Test
    void belowTheCapEverythingIsBilledAndTheRestStaysAuthorizable() {
        RatedUsage r = rate("18180", TWELVE_CENTS_A_MINUTE, CAP_ONE_DOLLAR);
        assertThat(r.amount()).isEqualTo(Money.of("0.36", "USD"));
        assertThat(r.capped()).isFalse();
        assertThat(r.remainingOverageUnits()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("320"));
    }

    @Test
    void capWithANonTerminatingPerSecondRate() {
        // 0.07/min: 857 s = 0.99983.. fits, 858 s = 1.001 does not
        RatedUsage r = rate("19000", perUnit("0.07", "60"), CAP_ONE_DOLLAR);
        assertThat(r.billableQuantity()).isEqualByComparingTo("857");
        assertThat(r.amount()).isEqualTo(Money.of("1.00", "USD"));
        assertThat(r.capped()).isTrue();
    }

    @Test
    void theLineIsRoundedOnceNotPerCall() {
        // ten 10-second calls at 0.07/min: per call 0.0117 would round to 0.01 (0.10 total); once: 0.1166.. → 0.12
        RatedUsage r = rate("18100", perUnit("0.07", "60"), Overage.CHARGE);
        assertThat(r.amount()).isEqualTo(Money.of("0.12", "USD"));
        RatedUsage down = UsageRating.rate(d("18100"), d("18000"), perUnit("0.07", "60"), Overage.CHARGE, "USD",
                new RoundingPolicy(RoundingMode.DOWN));
        assertThat(down.amount()).isEqualTo(Money.of("0.11", "USD"));
    }

    @Test
    void aCapWithoutTheCurrencyIsRefused() {
        Overage eurCap = new Overage(OveragePolicy.CHARGE_UP_TO_CAP, Map.of("EUR", d("5")));
        assertThatThrownBy(() -> rate("18600", TWELVE_CENTS_A_MINUTE, eurCap))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("overage.cap"));
        assertThatThrownBy(() -> rate("-1", TWELVE_CENTS_A_MINUTE, Overage.CHARGE))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("used"));
    }

    private static String affordable(Pricing pricing, String cap) {
        return UsagePricer.unitsAffordable(pricing, Money.of(cap, "USD")).map(BigDecimal::toPlainString).orElse("unlimited");
    }

    @ParameterizedTest(name = "graduated, cap {0}: {1} units")
    @CsvSource({
            "0,     0",
            "9.99,  99",        // 100 units cost 10.00
            "10,    100",
            "12.52, 150",       // 150 cost 12.50, 151 cost 12.55
            "60,    1500",
    })
    void unitsAffordableGraduated(String cap, String units) {
        Pricing sheet = tiered(GRADUATED, tier("100", "0.10"), tier("1000", "0.05"), tier(null, "0.01"));
        assertThat(affordable(sheet, cap)).isEqualTo(units);
    }

    @Test
    void unitsAffordableAcrossFlatPrices() {
        Pricing flat = tiered(GRADUATED, tier("10", null, "2.00"), tier(null, "1.00", "5.00"));
        assertThat(affordable(flat, "1.99")).isEqualTo("0");
        assertThat(affordable(flat, "7.99")).isEqualTo("10"); // unit 11 brings the 5.00 flat: 8.00
        assertThat(affordable(flat, "8")).isEqualTo("11");
    }

    @Test
    void unitsAffordableVolumeNeverSkipsAQuantityThatCrossesTheCap() {
        Pricing sheet = tiered(VOLUME, tier("100", "0.10"), tier("1000", "0.05"), tier(null, "0.01"));
        // 91 units cost 9.10 > 9.00, although 101 units (5.05) would fit again
        assertThat(affordable(sheet, "9")).isEqualTo("90");
        // every quantity up to 200 costs at most 10.00 (100 → 10.00, 101 → 5.05 ... 200 → 10.00)
        assertThat(affordable(sheet, "10")).isEqualTo("200");
    }

    @Test
    void unitsAffordableOtherModels() {
        assertThat(affordable(TWELVE_CENTS_A_MINUTE, "1")).isEqualTo("500");
        assertThat(affordable(packaged("1000", "5.00"), "12")).isEqualTo("2000");
        assertThat(affordable(perUnit("0", "1"), "1")).isEqualTo("unlimited");
        assertThat(affordable(tiered(GRADUATED, tier("100", "0.10"), tier(null, "0")), "20")).isEqualTo("unlimited");
        assertThat(affordable(tiered(GRADUATED, tier("100", "0.10"), tier(null, "0")), "5")).isEqualTo("50");
    }
}
