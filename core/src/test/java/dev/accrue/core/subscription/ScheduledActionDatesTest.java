package dev.accrue.core.subscription;

import dev.accrue.core.error.AccrueException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which dates a dated action may carry: the future (ten years), or back to the lateness window and the running period. */
class ScheduledActionDatesTest {
    static final LocalDate TODAY = LocalDate.parse("2026-07-05");
    static final LocalDate START = LocalDate.parse("2026-01-01");

    @Test
    void futureTodayAndRecentPastInsideTheRunningPeriodAreAllowed() {
        LocalDate periodStart = LocalDate.parse("2026-07-01");
        for (String d : new String[]{"2026-07-05", "2026-07-06", "2036-07-05", "2026-07-01", "2026-07-04"}) {
            assertThatCode(() -> ScheduledAction.requireDateAllowed(LocalDate.parse(d), TODAY, 35, periodStart, START)).doesNotThrowAnyException();
        }
    }

    @Test
    void theRunningPeriodBoundsTheLatenessWindow() {
        assertThatThrownBy(() -> ScheduledAction.requireDateAllowed(LocalDate.parse("2026-06-30"), TODAY, 35, LocalDate.parse("2026-07-01"), START))
                .isInstanceOf(AccrueException.class).hasMessageContaining("earliest allowed is 2026-07-01")
                .hasMessageContaining("start of the current billing period");
    }

    @Test
    void theLatenessWindowBoundsWhenNoPaidPeriodRuns() {
        assertThatCode(() -> ScheduledAction.requireDateAllowed(LocalDate.parse("2026-06-01"), TODAY, 35, null, START)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ScheduledAction.requireDateAllowed(LocalDate.parse("2026-05-30"), TODAY, 35, null, START))
                .hasMessageContaining("earliest allowed is 2026-05-31").hasMessageContaining("event_lateness_days = 35");
        assertThatThrownBy(() -> ScheduledAction.requireDateAllowed(LocalDate.parse("2026-07-04"), TODAY, 0, null, START))
                .hasMessageContaining("earliest allowed is 2026-07-05");
    }

    @Test
    void neverBeforeTheStartNorMoreThanTenYearsAhead() {
        assertThatThrownBy(() -> ScheduledAction.requireDateAllowed(LocalDate.parse("2026-08-01"), TODAY, 35, null, LocalDate.parse("2026-09-01")))
                .hasMessageContaining("before the subscription starts, on 2026-09-01");
        assertThatThrownBy(() -> ScheduledAction.requireDateAllowed(TODAY.plusDays(3661), TODAY, 35, null, START))
                .hasMessageContaining("more than 3660 days ahead");
    }
}
