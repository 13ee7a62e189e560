package dev.accrue.app.subscription.pause;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A pause of a subscription's billing: from {@code pausedOn} (inclusive) to {@code resumedOn} (exclusive; null while it
 * lasts). {@code resumeOn} is an automatic resume the billing run performs on that day (null: until resumed by hand).
 */
public record SubscriptionPause(String id, String subscriptionId, LocalDate pausedOn, LocalDate resumeOn, LocalDate resumedOn, Instant createdAt) {
    public boolean covers(LocalDate day) {
        return !day.isBefore(pausedOn) && (resumedOn == null || day.isBefore(resumedOn));
    }

    /** Whether billing is paused on {@code day} as people see it: an automatic resume due that day has happened. */
    public boolean holds(LocalDate day) {
        return covers(day) && (resumeOn == null || day.isBefore(resumeOn));
    }
}
