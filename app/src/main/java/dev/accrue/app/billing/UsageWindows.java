package dev.accrue.app.billing;

import dev.accrue.core.time.Period;

/**
 * Names of the windows usage is invoiced in: the subscription's billing period, or a week for charges invoiced
 * weekly. Prepaid usage drawn in real time is booked against the window's key, and the invoice that later
 * bills that window settles it.
 */
public final class UsageWindows {
    public static final String PERIOD = "period";
    public static final String WEEK = "week";

    private UsageWindows() {
    }

    public static String key(String cadence, Period window) {
        return prefix(cadence) + window.start();
    }

    public static String prefix(String cadence) {
        return cadence + ":";
    }
}
