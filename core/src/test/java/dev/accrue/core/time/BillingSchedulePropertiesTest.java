package dev.accrue.core.time;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BillingSchedulePropertiesTest {

    @Property
    void anniversaryNthDateIsAnchorDayClampedToMonthLength(@ForAll("anchors") LocalDate anchor) {
        BillingSchedule s = BillingSchedule.of(anchor, BillingInterval.MONTH, Alignment.ANNIVERSARY);
        LocalDate boundary = anchor;
        for (int n = 0; n <= 120; n++) {
            YearMonth month = YearMonth.from(anchor).plusMonths(n);
            LocalDate expected = month.atDay(Math.min(anchor.getDayOfMonth(), month.lengthOfMonth()));
            assertThat(boundary).as("boundary %d from %s", n, anchor).isEqualTo(expected);
            assertThat(s.periodContaining(expected).start()).isEqualTo(expected);
            boundary = s.nextBoundaryAfter(boundary);
        }
    }

    @Property
    void consecutivePeriodsTile(@ForAll("anchors") LocalDate anchor, @ForAll BillingInterval interval,
                                @ForAll Alignment alignment, @ForAll boolean cut,
                                @ForAll @IntRange(min = 1, max = 1500) int spanDays) {
        BillingSchedule s = new BillingSchedule(anchor, interval, alignment, cut);
        LocalDate to = anchor.plusDays(spanDays);
        List<Period> periods = s.periodsBetween(anchor, to);
        assertThat(periods.getFirst()).isEqualTo(s.firstPeriod());
        assertThat(periods.getFirst().start()).isEqualTo(anchor);
        assertThat(periods.getLast().contains(to.minusDays(1))).isTrue();
        for (int i = 1; i < periods.size(); i++) {
            assertThat(periods.get(i).start()).isEqualTo(periods.get(i - 1).end());
        }
        for (Period p : periods) {
            assertThat(s.periodContaining(p.start())).isEqualTo(p);
            assertThat(s.periodContaining(p.end().minusDays(1))).isEqualTo(p);
            assertThat(s.nextBoundaryAfter(p.start())).isEqualTo(p.end());
        }
        if (alignment == Alignment.CALENDAR) {
            periods.stream().skip(1).map(Period::start)
                    .filter(b -> !cut || b.getDayOfMonth() != 1)
                    .forEach(b -> assertThat(isCalendarAligned(b, anchor, interval)).as("%s aligned", b).isTrue());
        }
    }

    @Property
    void cutWeeksNeverCrossAMonthStartAndKeepTheCadence(@ForAll("anchors") LocalDate anchor,
                                                        @ForAll Alignment alignment) {
        BillingSchedule s = new BillingSchedule(anchor, BillingInterval.WEEK, alignment, true);
        List<Period> periods = s.periodsBetween(anchor, anchor.plusYears(2));
        LocalDate origin = alignment == Alignment.ANNIVERSARY
                ? anchor : anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        List<LocalDate> onCadence = new ArrayList<>();
        for (Period p : periods) {
            for (LocalDate day = p.start().plusDays(1); day.isBefore(p.end()); day = day.plusDays(1)) {
                assertThat(day.getDayOfMonth()).as("%s inside %s", day, p).isNotEqualTo(1);
            }
            assertThat(p.days()).isBetween(1L, 7L);
            LocalDate b = p.end();
            boolean cadence = Math.floorMod(ChronoUnit.DAYS.between(origin, b), 7) == 0;
            assertThat(cadence || b.getDayOfMonth() == 1).as("boundary %s is a week or a month start", b).isTrue();
            if (cadence) {
                onCadence.add(b);
            }
        }
        for (int i = 1; i < onCadence.size(); i++) {
            assertThat(ChronoUnit.DAYS.between(onCadence.get(i - 1), onCadence.get(i))).isEqualTo(7);
        }
    }

    private static boolean isCalendarAligned(LocalDate boundary, LocalDate anchor, BillingInterval interval) {
        if (interval.isWeekly()) {
            return boundary.getDayOfWeek() == DayOfWeek.MONDAY;
        }
        long months = ChronoUnit.MONTHS.between(YearMonth.from(anchor), YearMonth.from(boundary));
        return boundary.getDayOfMonth() == 1 && months % interval.months() == 0;
    }

    @Provide
    Arbitrary<LocalDate> anchors() {
        return Dates.anchors();
    }
}
