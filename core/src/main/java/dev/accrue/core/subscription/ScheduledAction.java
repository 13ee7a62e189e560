package dev.accrue.core.subscription;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.time.BillingInterval;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A change of a subscription asked for a date: a plan change, a quantity change or a cancellation that the billing
 * run performs on {@code effectiveOn} exactly as the same request sent that day would have been performed (same
 * proration, same deferral of downgrades to period end). {@code status} moves once, from {@code scheduled} to
 * {@code applied}, {@code revoked} or {@code failed} (the request was no longer possible on its date: {@code failure}
 * says why). {@code requestedOn} is the customer's day it was asked on (a back-dated action's documents are dated then,
 * never before); {@code settledAt} is when it settled (system time).
 */
public record ScheduledAction(String id, String subscriptionId, Kind kind, LocalDate effectiveOn, String plan, Integer quantity,
                              String reason, LocalDate requestedOn, Status status, String failure, Instant createdAt, Instant settledAt,
                              BillingInterval interval) {

    /** How far ahead an action may be dated: ten years, as far as a subscription's start may be. */
    public static final int MAX_DAYS_AHEAD = 3660;

    public enum Kind {
        CHANGE_PLAN, CHANGE_QUANTITY, CANCEL, CHANGE_INTERVAL;

        public String wire() {
            return name().toLowerCase();
        }

        public static Kind fromWire(String s) {
            for (Kind k : values()) {
                if (k.wire().equals(s)) {
                    return k;
                }
            }
            return null;
        }
    }

    public enum Status {
        SCHEDULED, APPLIED, REVOKED, FAILED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * Which dates an action may carry. A future date; or a past one no older than the tenant's lateness window
     * ({@code latenessDays}, the window usage events may arrive in) and not before the period running today, whose
     * start is {@code runningPeriodStart} (null when no paid period runs): an invoiced period is never re-priced, so a
     * back-dated change reaches back into the current period only. Never before the subscription starts, nor more than
     * {@link #MAX_DAYS_AHEAD} days ahead.
     */
    public static void requireDateAllowed(LocalDate effectiveOn, LocalDate today, int latenessDays, LocalDate runningPeriodStart, LocalDate start) {
        if (effectiveOn.isBefore(start)) {
            throw AccrueException.invalid("effective_date", "effective_date " + effectiveOn + " is before the subscription starts, on " + start);
        }
        if (effectiveOn.isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
            throw AccrueException.invalid("effective_date", "effective_date " + effectiveOn + " is more than " + MAX_DAYS_AHEAD
                    + " days ahead; the latest allowed is " + today.plusDays(MAX_DAYS_AHEAD));
        }
        if (!effectiveOn.isBefore(today)) {
            return;
        }
        LocalDate earliest = today.minusDays(latenessDays);
        String why = "the tenant's lateness window (event_lateness_days = " + latenessDays + ")";
        if (runningPeriodStart != null && runningPeriodStart.isAfter(earliest)) {
            earliest = runningPeriodStart;
            why = "the start of the current billing period (an invoiced period is not re-priced)";
        }
        if (effectiveOn.isBefore(earliest)) {
            throw AccrueException.invalid("effective_date", "effective_date " + effectiveOn + " is too far in the past: the earliest allowed is "
                    + earliest + ", " + why);
        }
    }

    public ScheduledAction settled(Status newStatus, String why, Instant at) {
        return new ScheduledAction(id, subscriptionId, kind, effectiveOn, plan, quantity, reason, requestedOn, newStatus, why, createdAt, at, interval);
    }
}
