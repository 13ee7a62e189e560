package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BillingScheduleTest {

    private static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    private static Period p(String start, String end) {
        return Period.of(d(start), d(end));
    }

    @Test
    void anniversaryMonthlyClampsWithoutDrift() {
        BillingSchedule s = BillingSchedule.of(d("2026-01-31"), BillingInterval.MONTH, Alignment.ANNIVERSARY);
        assertThat(s.periodsBetween(d("2026-01-31"), d("2026-05-01"))).containsExactly(
                p("2026-01-31", "2026-02-28"),
                p("2026-02-28", "2026-03-31"),
                p("2026-03-31", "2026-04-30"),
                p("2026-04-30", "2026-05-31"));
    }

    @Test
    void leapDayAnchorReturnsToTheTwentyNinth() {
        BillingSchedule s = BillingSchedule.of(d("2028-02-29"), BillingInterval.YEAR, Alignment.ANNIVERSARY);
        assertThat(s.periodContaining(d("2031-06-01"))).isEqualTo(p("2031-02-28", "2032-02-29"));
    }

    @ParameterizedTest(name = "{0} {1} from {2}: first period [{3}, {4})")
    @CsvSource({
            "MONTH,     CALENDAR,    2026-03-17, 2026-03-17, 2026-04-01",
            "MONTH,     CALENDAR,    2026-03-01, 2026-03-01, 2026-04-01",
            "QUARTER,   CALENDAR,    2026-03-17, 2026-03-17, 2026-06-01",
            "HALF_YEAR, CALENDAR,    2026-03-17, 2026-03-17, 2026-09-01",
            "YEAR,      CALENDAR,    2026-03-17, 2026-03-17, 2027-03-01",
            "WEEK,      CALENDAR,    2026-06-17, 2026-06-17, 2026-06-22",
            "WEEK,      CALENDAR,    2026-06-15, 2026-06-15, 2026-06-22",
            "MONTH,     ANNIVERSARY, 2026-03-17, 2026-03-17, 2026-04-17",
            "QUARTER,   ANNIVERSARY, 2025-11-30, 2025-11-30, 2026-02-28",
            "WEEK,      ANNIVERSARY, 2026-06-17, 2026-06-17, 2026-06-24",
    })
    void firstPeriod(BillingInterval interval, Alignment alignment, LocalDate anchor, LocalDate start, LocalDate end) {
        assertThat(BillingSchedule.of(anchor, interval, alignment).firstPeriod()).isEqualTo(Period.of(start, end));
    }

    @Test
    void calendarQuartersCountFromTheAnchorMonth() {
        BillingSchedule s = BillingSchedule.of(d("2026-02-10"), BillingInterval.QUARTER, Alignment.CALENDAR);
        assertThat(s.periodsBetween(d("2026-02-10"), d("2026-09-01"))).containsExactly(
                p("2026-02-10", "2026-05-01"),
                p("2026-05-01", "2026-08-01"),
                p("2026-08-01", "2026-11-01"));
        assertThat(s.nextBoundaryAfter(d("2026-05-01"))).isEqualTo(d("2026-08-01"));
        assertThat(s.nextBoundaryAfter(d("2026-01-01"))).isEqualTo(d("2026-02-10"));
    }

    @Test
    void weeklyCutAtMonthStartKeepsTheCadence() {
        // 2026-06-29 is a Monday; the week to 2026-07-06 is cut on July 1st and the Monday cadence continues.
        BillingSchedule s = new BillingSchedule(d("2026-06-15"), BillingInterval.WEEK, Alignment.CALENDAR, true);
        assertThat(s.periodsBetween(d("2026-06-20"), d("2026-07-10"))).containsExactly(
                p("2026-06-15", "2026-06-22"),
                p("2026-06-22", "2026-06-29"),
                p("2026-06-29", "2026-07-01"),
                p("2026-07-01", "2026-07-06"),
                p("2026-07-06", "2026-07-13"));
    }

    @Test
    void periodsBetweenStartsAtTheAnchorAndRefusesEmptyRanges() {
        BillingSchedule s = BillingSchedule.of(d("2026-03-17"), BillingInterval.MONTH, Alignment.CALENDAR);
        assertThat(s.periodsBetween(d("2026-01-01"), d("2026-04-02")))
                .containsExactly(p("2026-03-17", "2026-04-01"), p("2026-04-01", "2026-05-01"));
        assertThat(s.periodsBetween(d("2026-01-01"), d("2026-03-17"))).isEmpty();
        assertThatThrownBy(() -> s.periodsBetween(d("2026-04-01"), d("2026-04-01"))).isInstanceOf(AccrueException.class);
        assertThatThrownBy(() -> s.periodContaining(d("2026-03-16"))).isInstanceOf(AccrueException.class);
    }
}
