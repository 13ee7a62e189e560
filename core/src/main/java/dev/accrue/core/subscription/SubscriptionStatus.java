package dev.accrue.core.subscription;

/**
 * Where a subscription stands on a given day. PENDING_START: starts in the future. TRIALING: inside its
 * trial. ACTIVE: billed normally. PENDING_CHANGE: a downgrade waits for period end.
 * CANCELED_AT_PERIOD_END: service until the period ends, then ENDED. SUSPENDED: service stopped for
 * non-payment (set by dunning).
 */
public enum SubscriptionStatus {
    PENDING_START, TRIALING, ACTIVE, PENDING_CHANGE, CANCELED_AT_PERIOD_END, ENDED, SUSPENDED
}
