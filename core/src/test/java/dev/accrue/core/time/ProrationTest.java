package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProrationTest {

    private static final Period JUNE = Period.of(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1));

    @Test
    void seedUpgradeMidJuneChargesSixteenThirtieths() {
        Money charge = Proration.upgradeCharge(Money.of("30.00", "USD"), Money.of("60.00", "USD"),
                LocalDate.of(2026, 6, 15), JUNE);
        assertThat(charge).isEqualTo(Money.of("16.00", "USD"));
        assertThat(Proration.fraction(Period.of(LocalDate.of(2026, 6, 15), JUNE.end()), JUNE, ProrationPolicy.BY_DAY))
                .isEqualTo(new Fraction(16, 30));
    }

    @ParameterizedTest(name = "{0} → {1} on {2} in [{3}, {4}): {5} days left, {6}")
    @CsvSource({
            // 28-day month
            "10.00, 38.00, 2026-02-01, 2026-02-01, 2026-03-01, 28, 28.00",
            "10.00, 38.00, 2026-02-15, 2026-02-01, 2026-03-01, 14, 14.00",
            "10.00, 38.00, 2026-02-28, 2026-02-01, 2026-03-01,  1,  1.00",
            "20.00, 30.00, 2026-02-10, 2026-02-01, 2026-03-01, 19,  6.79",
            // 28-day anniversary period from a 31st
            "10.00, 38.00, 2026-02-14, 2026-01-31, 2026-02-28, 14, 14.00",
            // 29-day month
            " 0.00, 29.00, 2028-02-01, 2028-02-01, 2028-03-01, 29, 29.00",
            " 0.00, 29.00, 2028-02-29, 2028-02-01, 2028-03-01,  1,  1.00",
            "49.00, 99.00, 2028-02-15, 2028-02-01, 2028-03-01, 15, 25.86",
            // 30-day month
            "30.00, 60.00, 2026-06-15, 2026-06-01, 2026-07-01, 16, 16.00",
            "30.00, 60.00, 2026-06-30, 2026-06-01, 2026-07-01,  1,  1.00",
            "19.99, 49.99, 2026-06-01, 2026-06-01, 2026-07-01, 30, 30.00",
            "10.00, 20.00, 2026-06-20, 2026-06-01, 2026-07-01, 11,  3.67",
            "10.00, 10.01, 2026-06-16, 2026-06-01, 2026-07-01, 15,  0.01",
            // 31-day month
            "31.00, 62.00, 2026-07-17, 2026-07-01, 2026-08-01, 15, 15.00",
            "31.00, 62.00, 2026-07-31, 2026-07-01, 2026-08-01,  1,  1.00",
            "10.00, 20.00, 2026-07-02, 2026-07-01, 2026-08-01, 30,  9.68",
            // quarters (91 and 90 days)
            "  9.00, 100.00, 2026-05-16, 2026-04-01, 2026-07-01, 46, 46.00",
            "100.00, 200.00, 2026-06-01, 2026-04-01, 2026-07-01, 30, 32.97",
            " 10.00, 100.00, 2026-02-15, 2026-01-01, 2026-04-01, 45, 45.00",
            // years (365 and 366 days)
            "  0.00, 365.00, 2026-07-01, 2026-01-01, 2027-01-01, 184, 184.00",
            "100.00, 220.00, 2026-12-31, 2026-01-01, 2027-01-01,   1,   0.33",
            "  0.00, 366.00, 2028-03-01, 2028-01-01, 2029-01-01, 306, 306.00",
    })
    void upgradeCharge(String oldPrice, String newPrice, LocalDate changeDay, LocalDate start, LocalDate end,
                       long remainingDays, String expectedRounded) {
        Period current = Period.of(start, end);
        Money charge = Proration.upgradeCharge(Money.of(oldPrice, "EUR"), Money.of(newPrice, "EUR"), changeDay, current);

        assertThat(Proration.fraction(Period.of(changeDay, end), current, ProrationPolicy.BY_DAY))
                .isEqualTo(new Fraction(remainingDays, current.days()));
        assertThat(RoundingPolicy.DEFAULT.apply(charge)).isEqualTo(Money.of(expectedRounded, "EUR"));
        // Unrounded: multiplying the charge back by the period length gives the exact day-weighted difference.
        BigDecimal difference = new BigDecimal(newPrice).subtract(new BigDecimal(oldPrice));
        assertThat(charge.amount().multiply(BigDecimal.valueOf(current.days())))
                .isCloseTo(difference.multiply(BigDecimal.valueOf(remainingDays)),
                        org.assertj.core.data.Offset.offset(new BigDecimal("1e-25")));
    }

    @Test
    void nonTerminatingChargesStayUnrounded() {
        Money charge = Proration.upgradeCharge(Money.of("10.00", "USD"), Money.of("20.00", "USD"),
                LocalDate.of(2026, 6, 20), JUNE);
        assertThat(charge.amount().scale()).isGreaterThan(2);
        assertThat(charge.amount().toPlainString()).startsWith("3.66666666666");
    }

    @Test
    void neverAndFullPeriodChargeTheWholePrice() {
        Period lastDay = Period.of(LocalDate.of(2026, 6, 30), JUNE.end());
        assertThat(Proration.fraction(lastDay, JUNE, ProrationPolicy.NEVER)).isEqualTo(Fraction.ONE);
        assertThat(Proration.fraction(lastDay, JUNE, ProrationPolicy.FULL_PERIOD)).isEqualTo(Fraction.ONE);
        assertThat(Proration.prorate(Money.of("49.00", "USD"), Fraction.ONE)).isEqualTo(Money.of("49.00", "USD"));
    }

    @Test
    void refusesInconsistentInput() {
        Money thirty = Money.of("30.00", "USD");
        assertThatThrownBy(() -> Proration.upgradeCharge(thirty, Money.of("60.00", "USD"), LocalDate.of(2026, 7, 1), JUNE))
                .isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Proration.upgradeCharge(Money.of("60.00", "USD"), thirty, LocalDate.of(2026, 6, 15), JUNE))
                .isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Proration.upgradeCharge(thirty, Money.of("60.00", "EUR"), LocalDate.of(2026, 6, 15), JUNE))
                .isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> Proration.fraction(Period.of(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 2)),
                JUNE, ProrationPolicy.BY_DAY)).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> new Fraction(1, 0)).isInstanceOf(AccrueException.class);
    }
}
