package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Introductory;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 points 6 and 8 as properties of the pure rules: an introduction covers exactly N full periods (a calendar stub
 * before them included) and prices exactly the periods that start before it ends; an interval change now gives back what
 * the unused days of the paid period cost, so what the customer keeps paying is what the used days cost, to the cent
 * of the two roundings, and never more than was paid.
 */
class PhasesAndIntervalChangesPropertiesTest {
    private static final Currency USD = Currency.getInstance("USD");
    private static final List<BillingInterval> INTERVALS = List.of(BillingInterval.MONTH, BillingInterval.QUARTER, BillingInterval.HALF_YEAR,
            BillingInterval.YEAR);

    private static Plan plan(BigDecimal monthly, Introductory intro) {
        var charge = new RecurringCharge("base", "Base", Map.of("USD", monthly), null, null, null, null);
        List<IntervalOption> intervals = INTERVALS.stream().map(i -> new IntervalOption(i, BigDecimal.TEN)).toList();
        return new Plan("p", "prod", "P", 1, null, intervals, Alignment.ANNIVERSARY, 0, List.of(charge), null, null, null, null, null, null,
                List.of(), Map.of(), intro, null, List.of());
    }

    private static Subscription sub(LocalDate start, BillingInterval interval, Alignment alignment, int quantity) {
        return new Subscription("sub_1", "cus_1", 1, "p", interval, alignment, start, null, start, start, null, null, null, false, null, null,
                null, PlanOverrides.NONE, quantity, null, null, null, 0, null, null);
    }

    @Property(tries = 400)
    void anIntroductionCoversExactlyItsFullPeriodsAndPricesExactlyThem(@ForAll @IntRange(min = 0, max = 1500) int startOffset,
                                                                      @ForAll @IntRange(min = 1, max = 14) int periods,
                                                                      @ForAll @IntRange(min = 0, max = 3) int intervalIndex,
                                                                      @ForAll boolean calendar) {
        LocalDate start = LocalDate.of(2024, 1, 1).plusDays(startOffset);
        Plan plan = plan(new BigDecimal("30.00"), new Introductory(periods, Map.of("base", Map.of("USD", new BigDecimal("12.00")))));
        Subscription s = sub(start, INTERVALS.get(intervalIndex), calendar ? Alignment.CALENDAR : Alignment.ANNIVERSARY, 1);
        PlanPhases.Dates dates = PlanPhases.datesFor(plan, s);
        int full = 0;
        Period p = s.schedule().firstPeriod();
        for (int i = 0; i < periods + 3; i++) {
            boolean introductory = p.start().isBefore(dates.introductionEnds());
            if (introductory && s.fullPeriodOf(p).equals(p)) {
                full++;
            }
            Plan billed = PlanPhases.billedDuring(plan, dates, p);
            Money price = RecurringBilling.periodPrice(s, billed, (RecurringCharge) billed.charge("base").orElseThrow(), USD);
            BigDecimal monthly = introductory ? new BigDecimal("12.00") : new BigDecimal("30.00");
            assertThat(price.amount()).as("%s", p).isEqualByComparingTo(monthly.multiply(BigDecimal.valueOf(s.interval().months())).multiply(new BigDecimal("0.9")));
            p = s.periodContaining(p.end());
        }
        assertThat(full).isEqualTo(periods);
        assertThat(s.periodContaining(dates.introductionEnds()).start()).as("the introduction ends on a boundary").isEqualTo(dates.introductionEnds());
    }

    @Property(tries = 400)
    void anIntervalChangeNowGivesBackWhatTheUnusedDaysCost(@ForAll @IntRange(min = 0, max = 1500) int startOffset,
                                                          @ForAll @IntRange(min = 0, max = 400) int changeOffset,
                                                          @ForAll @IntRange(min = 1, max = 100000) int monthlyCents,
                                                          @ForAll @IntRange(min = 1, max = 5) int quantity,
                                                          @ForAll @IntRange(min = 0, max = 3) int intervalIndex,
                                                          @ForAll boolean calendar) {
        LocalDate start = LocalDate.of(2024, 1, 1).plusDays(startOffset);
        Plan plan = plan(BigDecimal.valueOf(monthlyCents, 2), null);
        Subscription s = sub(start, INTERVALS.get(intervalIndex), calendar ? Alignment.CALENDAR : Alignment.ANNIVERSARY, quantity);
        Period paid = s.schedule().firstPeriod();
        Subscription billed = s.billed(paid.end(), paid.end());
        LocalDate day = paid.start().plusDays(changeOffset % ChronoUnit.DAYS.between(paid.start(), paid.end()));
        Money charged = RecurringBilling.linesFor(billed, plan, USD, paid, RoundingPolicy.DEFAULT).getFirst().amount();

        List<InvoiceLine> credit = IntervalChanges.unusedCredit(billed, plan, day, BillingInterval.MONTH, USD, RoundingPolicy.DEFAULT);
        Money back = credit.isEmpty() ? Money.zero(USD) : credit.getFirst().amount().negate();
        Money used = usedDays(billed, plan, paid, day);
        assertThat(back.amount()).as("never more than was paid").isLessThanOrEqualTo(charged.amount());
        assertThat(charged.minus(back).minus(used).amount().abs()).as("paid − credit = used days, to a cent of rounding").isLessThanOrEqualTo(new BigDecimal("0.01"));
        if (day.equals(paid.start())) {
            assertThat(back).as("changed on the first day: all of it back").isEqualTo(charged);
        }
    }

    /** What the days [period start, day) of the paid period cost by day, computed here apart, rounded half up to the cent. */
    private static Money usedDays(Subscription s, Plan plan, Period paid, LocalDate day) {
        BigDecimal price = RecurringBilling.periodPrice(s, plan, (RecurringCharge) plan.charge("base").orElseThrow(), USD).amount()
                .multiply(BigDecimal.valueOf(s.quantity()));
        Period full = s.fullPeriodOf(paid);
        long used = ChronoUnit.DAYS.between(paid.start(), day);
        long days = ChronoUnit.DAYS.between(full.start(), full.end());
        return new Money(price.multiply(BigDecimal.valueOf(used)).divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_UP), USD);
    }
}
