package dev.accrue.core.time;

import java.util.Locale;

/**
 * Where period boundaries fall. CALENDAR: on the 1st of the month (quarters and years from the 1st of the
 * month the subscription started in; weeks on Mondays). ANNIVERSARY: on the subscription's start day, clamped
 * to the month end (Jan 31 → Feb 28/29 → Mar 31).
 */
public enum Alignment {
    CALENDAR,
    ANNIVERSARY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Alignment fromWire(String text) {
        for (Alignment a : values()) {
            if (a.wire().equals(text)) {
                return a;
            }
        }
        return null;
    }
}
