package dev.accrue.core.subscription;

import dev.accrue.core.error.AccrueException;

import java.time.LocalDate;

/**
 * How far from today a subscription may start: at most {@code daysBack} days in the past (a back-dated
 * subscription is billed at once for every period since its start, so an unbounded one issues an invoice per
 * month since 1900) and at most {@code daysAhead} days in the future. The bounds are tenant settings.
 */
public record StartWindow(int daysBack, int daysAhead) {
    public static final int MAX_DAYS = 3660;
    public static final StartWindow DEFAULT = new StartWindow(366, 366);

    public StartWindow {
        if (daysBack < 0 || daysBack > MAX_DAYS) {
            throw AccrueException.invalid("start_window.days_back", "start_window.days_back must be 0-" + MAX_DAYS + ", got " + daysBack);
        }
        if (daysAhead < 0 || daysAhead > MAX_DAYS) {
            throw AccrueException.invalid("start_window.days_ahead", "start_window.days_ahead must be 0-" + MAX_DAYS + ", got " + daysAhead);
        }
    }

    /** Refuses {@code start} outside the window around {@code today}, naming the bound and the tenant setting. */
    public void require(LocalDate start, LocalDate today) {
        LocalDate earliest = today.minusDays(daysBack);
        LocalDate latest = today.plusDays(daysAhead);
        if (start.isBefore(earliest)) {
            throw AccrueException.invalid("start_date", "start_date " + start + " is more than " + daysBack + " days in the past; the earliest allowed is "
                    + earliest + " (tenant setting start_window.days_back)");
        }
        if (start.isAfter(latest)) {
            throw AccrueException.invalid("start_date", "start_date " + start + " is more than " + daysAhead + " days in the future; the latest allowed is "
                    + latest + " (tenant setting start_window.days_ahead)");
        }
    }
}
