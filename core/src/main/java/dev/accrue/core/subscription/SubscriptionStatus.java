package dev.accrue.core.subscription;

/**
 * Where a subscription stands on a given day. PENDING_START: starts in the future. TRIALING: inside its
 * trial. ACTIVE: billed normally. PENDING_CHANGE: a downgrade waits for period end.
 * CANCELED_AT_PERIOD_END: service until the period ends, then ENDED. SUSPENDED: service stopped for
 * non-payment (set by dunning). PAUSED: the customer paused billing (service goes on); shown to people only, never
 * used to decide service or billing — see {@link Subscription#statusOn(java.time.LocalDate, boolean)}.
 */
public enum SubscriptionStatus {
    PENDING_START, TRIALING, ACTIVE, PENDING_CHANGE, CANCELED_AT_PERIOD_END, ENDED, SUSPENDED, PAUSED
}
