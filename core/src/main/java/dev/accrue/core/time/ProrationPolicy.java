package dev.accrue.core.time;

import java.util.Locale;

/**
 * How a recurring charge is priced for a partial period (a start, upgrade or add-on bought mid-period).
 * <ul>
 *   <li>BY_DAY: price × remaining days / days in the period, the change day counted as remaining
 *       (CRM tiers, a phone number's first month).</li>
 *   <li>NEVER: the full price and the full allowance for the current period whenever bought; never refunded
 *       (broadcast email packages).</li>
 *   <li>FULL_PERIOD: a purchase mid-period opens its own full-length period from the purchase day, so there
 *       is never a partial charge (prepaid bundles and anniversary-started items).</li>
 * </ul>
 */
public enum ProrationPolicy {
    BY_DAY,
    NEVER,
    FULL_PERIOD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProrationPolicy fromWire(String text) {
        for (ProrationPolicy p : values()) {
            if (p.wire().equals(text)) {
                return p;
            }
        }
        return null;
    }
}
