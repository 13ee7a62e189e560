package dev.accrue.core.time;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The boundaries of a subscription's billing periods, as local dates in the customer's zone.
 *
 * <p>Base boundaries are {@code b(0) = anchor} and {@code b(n) = origin + n intervals} for n ≥ 1, always
 * computed from the origin (never by repeated adds) so that month-end clamping does not drift: Jan 31 →
 * Feb 28/29 → Mar 31. ANNIVERSARY uses the anchor as origin. CALENDAR uses the 1st of the anchor's month
 * (Monday of the anchor's week for weekly), which makes the first period a stub when the anchor is not aligned.
 *
 * <p>With {@code cutAtMonthStart} the boundaries are the base ones plus the 1st of every month, so that no
 * period straddles a month start (weekly SMS invoices); the base cadence is unaffected by the cuts.
 *
 * <p>A {@code cycleDay} (1–31, month-based intervals only; ignored for weeks) overrides the alignment: boundaries fall
 * on that day of the month, clamped to the month end (31 → Feb 28/29 → Mar 31), each computed from the origin month so
 * the clamp never sticks. The origin is the last such day on or before the anchor, so an anchor off the cycle day
 * opens with a stub up to the next cycle day — the calendar stub, on another day than the 1st.
 */
public record BillingSchedule(LocalDate anchor, BillingInterval interval, Alignment alignment, boolean cutAtMonthStart, Integer cycleDay) {

    public BillingSchedule {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(alignment, "alignment");
        if (cycleDay != null && (cycleDay < 1 || cycleDay > 31)) {
            throw new IllegalArgumentException("cycle day must be 1-31, got " + cycleDay);
        }
    }

    public BillingSchedule(LocalDate anchor, BillingInterval interval, Alignment alignment, boolean cutAtMonthStart) {
        this(anchor, interval, alignment, cutAtMonthStart, null);
    }

    public static BillingSchedule of(LocalDate anchor, BillingInterval interval, Alignment alignment) {
        return new BillingSchedule(anchor, interval, alignment, false);
    }

    public static BillingSchedule of(LocalDate anchor, BillingInterval interval, Alignment alignment, Integer cycleDay) {
        return new BillingSchedule(anchor, interval, alignment, false, cycleDay);
    }

    /** Day {@code day} of the month {@code month}, clamped to its end: the 31st of February is its last day. */
    public static LocalDate onCycleDay(YearMonth month, int day) {
        return month.atDay(Math.min(day, month.lengthOfMonth()));
    }

    /**
     * The nominal start of the period ending at the first boundary: the origin of the cadence. Before the anchor when
     * the first period is a stub (calendar, or a cycle day the anchor is not on); a stub is priced against the whole
     * nominal period it cuts.
     */
    public LocalDate nominalStart() {
        return origin();
    }

    public Period firstPeriod() {
        return periodContaining(anchor);
    }

    /** The billing period holding {@code day}; days before the anchor belong to no period. */
    public Period periodContaining(LocalDate day) {
        requireNotBeforeAnchor(day);
        long next = nextBaseIndex(day);
        LocalDate start = baseBoundary(next - 1);
        LocalDate end = baseBoundary(next);
        if (cutAtMonthStart) {
            LocalDate monthStart = day.withDayOfMonth(1);
            // A month start before the anchor is never a boundary; the base start (≥ anchor) then wins.
            start = max(start, monthStart);
            end = min(end, monthStart.plusMonths(1));
        }
        return new Period(start, end);
    }

    /** The first boundary strictly after {@code day}; for a day before the anchor that is the anchor itself. */
    public LocalDate nextBoundaryAfter(LocalDate day) {
        if (day.isBefore(anchor)) {
            return anchor;
        }
        return periodContaining(day).end();
    }

    /**
     * The schedule's periods, in order, that overlap {@code [from, to)}: the first contains {@code from} (or is
     * the first period when {@code from} precedes the anchor), the last contains the day before {@code to}.
     * Periods are whole, not clipped to the range, because they are what gets invoiced.
     */
    public List<Period> periodsBetween(LocalDate from, LocalDate to) {
        if (!from.isBefore(to)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "to",
                    "Range end " + to + " must be after its start " + from);
        }
        List<Period> periods = new ArrayList<>();
        if (!to.isAfter(anchor)) {
            return periods;
        }
        LocalDate day = from.isBefore(anchor) ? anchor : from;
        while (day.isBefore(to)) {
            Period p = periodContaining(day);
            periods.add(p);
            day = p.end();
        }
        return periods;
    }

    /** Date the base cadence is counted from: the anchor itself, or the aligned date on or before it. */
    private LocalDate origin() {
        if (usesCycleDay()) {
            YearMonth month = YearMonth.from(anchor);
            LocalDate candidate = onCycleDay(month, cycleDay);
            return candidate.isAfter(anchor) ? onCycleDay(month.minusMonths(1), cycleDay) : candidate;
        }
        if (alignment == Alignment.ANNIVERSARY) {
            return anchor;
        }
        return interval.isWeekly()
                ? anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                : anchor.withDayOfMonth(1);
    }

    private LocalDate baseBoundary(long n) {
        if (n == 0) {
            return anchor;
        }
        // Always from the origin: plusMonths clamps to the month end for this n only, so Mar 31 survives Feb.
        if (usesCycleDay()) {
            return onCycleDay(YearMonth.from(origin()).plusMonths(n * interval.months()), cycleDay);
        }
        return interval.isWeekly()
                ? origin().plusDays(7 * n)
                : origin().plusMonths(n * interval.months());
    }

    /** Smallest n ≥ 1 with b(n) > day, for day ≥ anchor. */
    private long nextBaseIndex(LocalDate day) {
        LocalDate origin = origin();
        long estimate = interval.isWeekly()
                ? Math.floorDiv(ChronoUnit.DAYS.between(origin, day), 7)
                : Math.floorDiv(ChronoUnit.MONTHS.between(origin.withDayOfMonth(1), day.withDayOfMonth(1)),
                        interval.months());
        // The estimate is at most one step past the answer (the day may precede b(estimate) within its month),
        // so stepping back once and scanning forward costs a couple of iterations at most.
        long n = Math.max(1, estimate - 1);
        while (!baseBoundary(n).isAfter(day)) {
            n++;
        }
        return n;
    }

    private boolean usesCycleDay() {
        return cycleDay != null && !interval.isWeekly();
    }

    private void requireNotBeforeAnchor(LocalDate day) {
        if (day.isBefore(anchor)) {
            throw new AccrueException(ErrorCode.INVALID_PERIOD, "day",
                    "Day " + day + " is before the schedule's anchor " + anchor);
        }
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
