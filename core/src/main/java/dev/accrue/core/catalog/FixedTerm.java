package dev.accrue.core.catalog;

/**
 * A fixed term: a subscription that starts on the plan runs {@code periods} full billing periods (after a calendar stub,
 * if any), then moves to {@code thenPlan} (a plan of the same product) or, without one, ends.
 */
public record FixedTerm(int periods, String thenPlan) {
}
