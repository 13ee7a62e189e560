package dev.accrue.core.addon;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class AddOnPricingTest {
    private static final Period JUNE = PackagePricing.calendarMonth(LocalDate.of(2026, 6, 1));

    @Test
    void aNumberFromThe15thPaysSixteenThirtiethsThenFullMonths() {
        Period part = RentalPricing.chargeable(JUNE, LocalDate.of(2026, 6, 15), null).orElseThrow();
        assertThat(part).isEqualTo(new Period(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 1)));
        assertThat(RentalPricing.forPart(Money.of("1.50", "USD"), part, JUNE, RoundingPolicy.DEFAULT)).isEqualTo(Money.of("0.80", "USD"));
        Period july = PackagePricing.calendarMonth(LocalDate.of(2026, 7, 1));
        assertThat(RentalPricing.forPart(Money.of("1.50", "USD"), RentalPricing.chargeable(july, LocalDate.of(2026, 6, 15), null).orElseThrow(), july,
                RoundingPolicy.DEFAULT)).isEqualTo(Money.of("1.50", "USD"));
    }

    @Test
    void aTrialIsNotChargedEvenAcrossTheFirst() {
        assertThat(RentalPricing.chargeable(JUNE, LocalDate.of(2026, 6, 27), LocalDate.of(2026, 7, 4))).isEmpty();
        Period july = PackagePricing.calendarMonth(LocalDate.of(2026, 7, 1));
        Period part = RentalPricing.chargeable(july, LocalDate.of(2026, 6, 27), LocalDate.of(2026, 7, 4)).orElseThrow();
        assertThat(part.start()).isEqualTo(LocalDate.of(2026, 7, 4));
        assertThat(RentalPricing.forPart(Money.of("3.10", "USD"), part, july, RoundingPolicy.DEFAULT)).isEqualTo(Money.of("2.80", "USD"));
    }

    @Test
    void packagesNeverProratedCostTheFullMonthWheneverBought() {
        assertThat(PackagePricing.forMonth(Money.of("50.00", "USD"), ProrationPolicy.NEVER, LocalDate.of(2026, 6, 15), JUNE, RoundingPolicy.DEFAULT))
                .isEqualTo(Money.of("50.00", "USD"));
        assertThat(PackagePricing.forMonth(Money.of("30.00", "USD"), ProrationPolicy.BY_DAY, LocalDate.of(2026, 6, 16), JUNE, RoundingPolicy.DEFAULT))
                .isEqualTo(Money.of("15.00", "USD"));
    }
}
