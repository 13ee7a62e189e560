package dev.accrue.core.telecom;

import dev.accrue.core.error.AccrueException;

import java.util.Objects;
import java.util.Optional;

/**
 * A call as the switch reports it: its direction on the tracked number, its duration in whole seconds, and,
 * for an inbound call the number forwarded it on, the destination ({@code forwardedTo}, null when not
 * forwarded).
 */
public record CallEvent(CallDirection direction, long durationSeconds, String forwardedTo) {

    public CallEvent {
        Objects.requireNonNull(direction, "direction");
        if (durationSeconds < 0) {
            throw AccrueException.invalid("duration_seconds", "A call cannot last " + durationSeconds + " seconds");
        }
        if (forwardedTo != null && forwardedTo.isBlank()) {
            throw AccrueException.invalid("forwarded_to", "forwarded_to must be a number or left out");
        }
        // Only the network forwards calls it receives; an outbound call with a forward is a malformed event.
        if (forwardedTo != null && direction == CallDirection.OUTBOUND) {
            throw AccrueException.invalid("forwarded_to", "Only inbound calls can be forwarded");
        }
    }

    public static CallEvent inbound(long durationSeconds) {
        return new CallEvent(CallDirection.INBOUND, durationSeconds, null);
    }

    public static CallEvent outbound(long durationSeconds) {
        return new CallEvent(CallDirection.OUTBOUND, durationSeconds, null);
    }

    public static CallEvent forwarded(long durationSeconds, String destination) {
        return new CallEvent(CallDirection.INBOUND, durationSeconds, destination);
    }

    public Optional<String> forwarding() {
        return Optional.ofNullable(forwardedTo);
    }
}
