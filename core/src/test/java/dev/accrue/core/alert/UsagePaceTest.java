package dev.accrue.core.alert;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsagePaceTest {
    private static final Instant JUNE_1 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant JULY_1 = Instant.parse("2026-07-01T00:00:00Z");

    private static List<BigDecimal> days(long... values) {
        return java.util.Arrays.stream(values).mapToObj(BigDecimal::valueOf).toList();
    }

    @Test
    void theLimitIsReachedWhereTheAveragePaceMeetsIt() {
        // 6,000 s in 10 days is 600 a day: 12,000 is reached 10 days later; 18,000 only at the window end, so not within it
        Instant tenDaysIn = JUNE_1.plusSeconds(10 * 86_400);
        assertThat(UsagePace.dateReached(BigDecimal.valueOf(6000), BigDecimal.valueOf(12000), JUNE_1, tenDaysIn, JULY_1, ZoneOffset.UTC))
                .contains(LocalDate.parse("2026-06-21"));
        assertThat(UsagePace.dateReached(BigDecimal.valueOf(6000), BigDecimal.valueOf(18000), JUNE_1, tenDaysIn, JULY_1, ZoneOffset.UTC))
                .as("not before the window ends").isEmpty();
        assertThat(UsagePace.dateReached(BigDecimal.valueOf(12000), BigDecimal.valueOf(12000), JUNE_1, tenDaysIn, JULY_1, ZoneOffset.UTC))
                .as("already reached: today").contains(LocalDate.parse("2026-06-11"));
        assertThat(UsagePace.dateReached(BigDecimal.ZERO, BigDecimal.TEN, JUNE_1, tenDaysIn, JULY_1, ZoneOffset.UTC)).as("no pace yet").isEmpty();
    }

    @Test
    void aRisingSeriesIsProjectedRisingNotAtItsAverage() {
        // 100, 200, 300, 400 a day: the trend adds 100 a day, so day 30 (index 29) uses 3,000
        var projected = UsagePace.projectedTotal(days(100, 200, 300, 400), BigDecimal.valueOf(1000), 30).orElseThrow();
        // sum of 100..3000 step 100 = 100 × (30 × 31 / 2)
        assertThat(projected).isEqualByComparingTo("46500");
        // the average pace (250 a day) would have said 7,500: far below
        assertThat(projected).isGreaterThan(BigDecimal.valueOf(7500));
    }

    @Test
    void aFallingSeriesStopsAtZeroAndNeverBelowWhatIsUsed() {
        var projected = UsagePace.projectedTotal(days(300, 200, 100), BigDecimal.valueOf(700), 30).orElseThrow();
        assertThat(projected).isEqualByComparingTo("700"); // 600 completed + today's 100 already used; the trend then hits 0
    }

    @Test
    void tooFewDaysProjectNothing() {
        assertThat(UsagePace.projectedTotal(days(100, 200), BigDecimal.valueOf(300), 30)).isEmpty();
    }
}
