package dev.accrue.core.time;

import java.util.Locale;

/** Whether a charge is invoiced at the start of the period it covers (in advance) or after it closes (in arrears). */
public enum BillingTiming {
    IN_ADVANCE,
    IN_ARREARS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BillingTiming fromWire(String text) {
        for (BillingTiming t : values()) {
            if (t.wire().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
