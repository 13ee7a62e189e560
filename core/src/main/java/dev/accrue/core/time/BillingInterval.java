package dev.accrue.core.time;

import java.util.Locale;

/** How long one billing period is. Weeks are 7 days; the others are whole months counted from an anchor. */
public enum BillingInterval {
    WEEK(0),
    MONTH(1),
    QUARTER(3),
    HALF_YEAR(6),
    YEAR(12);

    private final int months;

    BillingInterval(int months) {
        this.months = months;
    }

    /** Calendar months per period, or 0 for {@link #WEEK}. */
    public int months() {
        return months;
    }

    public boolean isWeekly() {
        return this == WEEK;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the wire form ("half_year"); returns null when the text names no interval. */
    public static BillingInterval fromWire(String text) {
        if (text == null) {
            return null;
        }
        for (BillingInterval i : values()) {
            if (i.wire().equals(text)) {
                return i;
            }
        }
        return null;
    }
}
