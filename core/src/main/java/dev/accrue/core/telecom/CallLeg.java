package dev.accrue.core.telecom;

import java.math.BigDecimal;

/**
 * One billable leg of a call. {@code destination} is the number dialled out to on a forwarding leg (what an
 * outbound rate table prices by), null on a leg that only touches the tracked number.
 */
public record CallLeg(CallDirection direction, long seconds, String destination) {

    /** The leg's usage quantity in seconds, ready for rating. */
    public BigDecimal quantity() {
        return BigDecimal.valueOf(seconds);
    }
}
