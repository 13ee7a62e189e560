package dev.accrue.core.rating;

import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.RateRow;
import dev.accrue.core.catalog.RateTable;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.accrue.core.catalog.PriceModel.GRADUATED;
import static dev.accrue.core.catalog.PriceModel.VOLUME;
import static dev.accrue.core.rating.Pricings.d;
import static dev.accrue.core.rating.Pricings.packaged;
import static dev.accrue.core.rating.Pricings.perUnit;
import static dev.accrue.core.rating.Pricings.tier;
import static dev.accrue.core.rating.Pricings.tiered;
import static dev.accrue.core.rating.Pricings.tieredPer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsagePricerTest {

    // 0-100 at 0.10, 101-1000 at 0.05, beyond at 0.01
    private static final Pricing GRADUATED_SHEET = tiered(GRADUATED, tier("100", "0.10"), tier("1000", "0.05"), tier(null, "0.01"));
    private static final Pricing VOLUME_SHEET = tiered(VOLUME, tier("100", "0.10"), tier("1000", "0.05"), tier(null, "0.01"));

    private static String price(Pricing pricing, String quantity) {
        return UsagePricer.price(pricing, "USD", d(quantity)).amount().toPlainString();
    }

    @ParameterizedTest(name = "{0} units at {1} per {2} = {3}")
    @CsvSource({
            "83,    0.60, 60,   0.83",      // 1 min 23 s billed per second at 0.60/min
            "180,   0.12, 60,   0.36",      // the seed overage call
            "60,    0.12, 60,   0.12",
            "1,     0.60, 60,   0.01",
            "1000,  0.05, 1,    50",
            "2500,  3,    1000, 7.5",       // 3.00 per 1000 messages
            "0,     0.60, 60,   0",
            "0.5,   2,    1,    1",         // fractional quantities (GB) are priced exactly
    })
    void perUnit_(String quantity, String unitPrice, String perUnits, String expected) {
        assertThat(price(perUnit(unitPrice, perUnits), quantity)).isEqualTo(expected);
    }

    @Test
    void perUnitMultipliesOnceSoAPerSecondRateIsNeverRoundedFirst() {
        // 0.07/min is 0.00116.. per second; 60 s must still be exactly 0.07
        assertThat(price(perUnit("0.07", "60"), "60")).isEqualTo("0.07");
        // a non-terminating result keeps 34 significant digits for the single rounding later
        assertThat(UsagePricer.price(perUnit("0.10", "60"), "USD", d("1")).amount())
                .isEqualByComparingTo("0.001666666666666666666666666666666667");
    }

    @ParameterizedTest(name = "graduated {0} units = {1}")
    @CsvSource({
            "0,    0",
            "50,   5",          // 50 × 0.10
            "100,  10",         // tier bound is inclusive
            "101,  10.05",      // 100 × 0.10 + 1 × 0.05
            "150,  12.5",       // 10 + 50 × 0.05
            "1000, 55",         // 10 + 900 × 0.05
            "1500, 60",         // 55 + 500 × 0.01
    })
    void graduated(String quantity, String expected) {
        assertThat(price(GRADUATED_SHEET, quantity)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "volume {0} units = {1}")
    @CsvSource({
            "0,    0",
            "50,   5",          // 50 × 0.10
            "100,  10",         // 100 × 0.10 (bound inclusive)
            "101,  5.05",       // every unit at 0.05
            "150,  7.5",
            "1000, 50",
            "1500, 15",         // every unit at 0.01
    })
    void volume(String quantity, String expected) {
        assertThat(price(VOLUME_SHEET, quantity)).isEqualTo(expected);
    }

    @Test
    void graduatedAndVolumeDifferOnceASecondTierIsReached() {
        assertThat(price(GRADUATED_SHEET, "50")).isEqualTo(price(VOLUME_SHEET, "50"));
        assertThat(price(GRADUATED_SHEET, "150")).isEqualTo("12.5");
        assertThat(price(VOLUME_SHEET, "150")).isEqualTo("7.5");
    }

    @ParameterizedTest(name = "flat tiers, {0} units: graduated {1}, volume {2}")
    @CsvSource({
            "0,  0,  0",
            "5,  2,  2",        // first 10 units: flat 2.00, no unit price
            "10, 2,  2",
            "11, 8,  16",       // graduated: 2 + 1 × 1.00 + flat 5; volume: 11 × 1.00 + flat 5
            "20, 17, 25",
    })
    void flatPricesAreChargedForEachReachedTier(String quantity, String graduated, String volume) {
        var tiers = new dev.accrue.core.catalog.Tier[]{tier("10", null, "2.00"), tier(null, "1.00", "5.00")};
        assertThat(price(tiered(GRADUATED, tiers), quantity)).isEqualTo(graduated);
        assertThat(price(tiered(VOLUME, tiers), quantity)).isEqualTo(volume);
    }

    /** docs/catalog.md, pricing: "Zero usage reaches no graduated tier (a flat tier price is for reaching it)". */
    @Test
    void zeroUsageReachesNoTierSoAFirstTierFlatPriceIsNotCharged() {
        Pricing connectionFee = tiered(GRADUATED, tier("10", "0.10", "2.00"), tier(null, "1.00", "5.00"));
        assertThat(UsagePricer.price(connectionFee, "USD", d("0")).amount()).isZero();
        assertThat(UsagePricer.price(tiered(VOLUME, tier("10", "0.10", "2.00"), tier(null, "1.00", "5.00")), "USD", d("0")).amount()).isZero();
        // any usage above zero reaches the first tier and pays its flat price in full
        assertThat(UsagePricer.price(connectionFee, "USD", d("0.5")).amount()).isEqualByComparingTo("2.05");
        // exactly a tier's up_to stays in that tier; one unit more reaches (and pays) the next
        assertThat(UsagePricer.price(connectionFee, "USD", d("10")).amount()).isEqualByComparingTo("3.00");
        assertThat(UsagePricer.price(connectionFee, "USD", d("11")).amount()).isEqualByComparingTo("9.00");
        // the allowance is consumed first: usage within it leaves zero to price, so no flat price either
        var within = UsageRating.rate(d("100"), d("100"), connectionFee, null, "USD", RoundingPolicy.DEFAULT);
        assertThat(within.amount().isZero()).isTrue();
        var justOver = UsageRating.rate(d("101"), d("100"), connectionFee, null, "USD", RoundingPolicy.DEFAULT);
        assertThat(justOver.amount().amount()).isEqualByComparingTo("2.10");
    }

    @Test
    void tierUnitPricesAreDividedByPerUnitsButFlatPricesAreNot() {
        // first 10 minutes at 0.60/min with a 1.00 connection fee, then 0.30/min; quantity in seconds
        Pricing pricing = tieredPer(GRADUATED, "60", tier("600", "0.60", "1.00"), tier(null, "0.30"));
        assertThat(price(pricing, "900")).isEqualTo("8.5");   // 1 + 600 × 0.60/60 + 300 × 0.30/60
        assertThat(price(pricing, "83")).isEqualTo("1.83");
    }

    @ParameterizedTest(name = "package: {0} units = {1}")
    @CsvSource({
            "0,    0",
            "1,    5",          // a started package is a whole package
            "999,  5",
            "1000, 5",
            "1001, 10",
            "2500, 15",
            "0.5,  5",
    })
    void packagesRoundUp(String quantity, String expected) {
        assertThat(price(packaged("1000", "5.00"), quantity)).isEqualTo(expected);
    }

    @Test
    void rateTableRatesPerUnitsOnce() {
        RateTable table = new RateTable("voice", "Voice", List.of("country"), "second", d("60"),
                List.of(new RateRow(Map.of("country", "DE"), Map.of("USD", d("0.60")))), null);
        assertThat(UsagePricer.rate(table, Map.of("country", "DE"), "USD", d("83")).orElseThrow().amount())
                .isEqualByComparingTo("0.83");
        assertThat(UsagePricer.rate(table, Map.of("country", "FR"), "USD", d("83"))).isEmpty();
    }

    @Test
    void refusesNegativeQuantitiesAndUnpricedCurrencies() {
        assertThatThrownBy(() -> UsagePricer.price(perUnit("1", "1"), "USD", d("-1")))
                .isInstanceOfSatisfying(AccrueException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.field()).isEqualTo("quantity");
                });
        assertThatThrownBy(() -> UsagePricer.price(perUnit("1", "1"), "EUR", d("1")))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("unit_price"));
        assertThatThrownBy(() -> UsagePricer.price(GRADUATED_SHEET, "EUR", d("1")))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.field()).isEqualTo("tiers"));
    }
}
