package dev.accrue.core.telecom;

import java.util.List;

/**
 * Splits a call into the legs that are billed. A forwarded inbound call costs twice: the inbound leg to the
 * tracked number and the outbound leg the platform places to the destination, both lasting the whole call
 * (the forward is bridged for the call's full duration).
 */
public final class CallLegs {

    private CallLegs() {
    }

    public static List<CallLeg> of(CallEvent call) {
        CallLeg own = new CallLeg(call.direction(), call.durationSeconds(), null);
        return call.forwarding()
                .map(to -> List.of(own, new CallLeg(CallDirection.OUTBOUND, call.durationSeconds(), to)))
                .orElseGet(() -> List.of(own));
    }
}
