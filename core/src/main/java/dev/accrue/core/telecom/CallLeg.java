package dev.accrue.core.telecom;

import java.math.BigDecimal;

/**
 * One billable leg of a call. {@code destination} is the number dialled out to on a forwarding leg, null on a
 * leg that only touches the tracked number. An outbound rate table prices a forwarding leg by the destination's
 * country, read from this number at ingestion ({@link dev.accrue.core.metering.TelecomEvents}).
 */
public record CallLeg(CallDirection direction, long seconds, String destination) {

    /** The leg's usage quantity in seconds, ready for rating. */
    public BigDecimal quantity() {
        return BigDecimal.valueOf(seconds);
    }
}
