package dev.accrue.core.time;

import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.subscription.Subscription;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 7: a billing cycle day puts every boundary after the first on that day of the month, clamped to the month
 * end but never stuck there (31 → Feb 28 → Mar 31), the periods tile, and only the first period is a stub, priced against
 * the whole nominal period that ends where it ends.
 */
class BillingCycleDayPropertiesTest {

    @Property
    void boundariesFallOnTheCycleDayClampedAndPeriodsTile(@ForAll("anchors") LocalDate anchor, @ForAll @IntRange(min = 1, max = 31) int day,
                                                           @ForAll("monthly") BillingInterval interval, @ForAll Alignment alignment) {
        BillingSchedule s = BillingSchedule.of(anchor, interval, alignment, day);
        List<Period> periods = s.periodsBetween(anchor, anchor.plusYears(6));
        assertThat(periods.getFirst().start()).isEqualTo(anchor);
        for (int i = 1; i < periods.size(); i++) {
            Period p = periods.get(i);
            assertThat(p.start()).isEqualTo(periods.get(i - 1).end());
            assertThat(p.start()).as("boundary %s for day %d", p.start(), day).isEqualTo(clamped(YearMonth.from(p.start()), day));
            // a full period after the first: exactly the interval's months from cycle day to cycle day
            assertThat(p.end()).isEqualTo(clamped(YearMonth.from(p.start()).plusMonths(interval.months()), day));
            assertThat(s.periodContaining(p.end().minusDays(1))).isEqualTo(p);
        }
        Period first = periods.getFirst();
        assertThat(first.end()).isEqualTo(clamped(YearMonth.from(first.end()), day));
        assertThat(first.end()).isAfter(anchor);
        // the first period is never longer than a whole one
        assertThat(s.nominalStart()).isBeforeOrEqualTo(anchor);
        assertThat(clamped(YearMonth.from(s.nominalStart()).plusMonths(interval.months()), day)).isEqualTo(first.end());
    }

    @Property
    void onlyAStubFirstPeriodIsPricedAgainstTheNominalPeriod(@ForAll("anchors") LocalDate anchor, @ForAll @IntRange(min = 1, max = 31) int day) {
        Subscription sub = new Subscription("sub_1", "cus_1", 1, "p", BillingInterval.MONTH, Alignment.ANNIVERSARY, anchor, null, anchor, anchor, null,
                null, null, false, null, null, null, PlanOverrides.NONE, 1, null, null, null, 0, day, null);
        Period first = sub.schedule().firstPeriod();
        Period full = sub.fullPeriodOf(first);
        assertThat(full.end()).isEqualTo(first.end());
        assertThat(full.start()).isEqualTo(sub.schedule().nominalStart());
        assertThat(full.start().equals(anchor)).isEqualTo(first.start().equals(sub.schedule().nominalStart()));
        Period second = sub.schedule().periodContaining(first.end());
        assertThat(sub.fullPeriodOf(second)).isEqualTo(second);
    }

    @Property
    void weeksIgnoreTheCycleDay(@ForAll("anchors") LocalDate anchor, @ForAll @IntRange(min = 1, max = 31) int day) {
        assertThat(BillingSchedule.of(anchor, BillingInterval.WEEK, Alignment.ANNIVERSARY, day).periodsBetween(anchor, anchor.plusDays(100)))
                .isEqualTo(BillingSchedule.of(anchor, BillingInterval.WEEK, Alignment.ANNIVERSARY).periodsBetween(anchor, anchor.plusDays(100)));
    }

    private static LocalDate clamped(YearMonth month, int day) {
        return month.atDay(Math.min(day, month.lengthOfMonth()));
    }

    @Provide
    Arbitrary<LocalDate> anchors() {
        return Arbitraries.integers().between(0, 365 * 12).map(d -> LocalDate.of(2020, 1, 1).plusDays(d));
    }

    @Provide
    Arbitrary<BillingInterval> monthly() {
        return Arbitraries.of(BillingInterval.MONTH, BillingInterval.QUARTER, BillingInterval.HALF_YEAR, BillingInterval.YEAR);
    }
}
