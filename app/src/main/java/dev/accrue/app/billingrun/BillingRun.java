package dev.accrue.app.billingrun;

import java.time.Instant;

/**
 * A billing run as one tenant sees it: when it started and ended, who asked for it, on which node, and for this
 * tenant's subscriptions how many were due when it started, how many it billed, how many failed (they stay due),
 * and how many were due but held by another node's run at its end.
 */
public record BillingRun(String id, Instant startedAt, Instant finishedAt, Instant progressedAt, String triggeredBy, String node,
                         int due, int done, int failed, int invoices, Integer heldElsewhere) {
    /** How long a run may stay silent before it is taken for cut short (its node stopped mid-way). */
    public static final java.time.Duration SILENT_LIMIT = java.time.Duration.ofMinutes(10);

    public String status(Instant now) {
        if (finishedAt == null) {
            return progressedAt.plus(SILENT_LIMIT).isBefore(now) ? "abandoned" : "running";
        }
        return failed > 0 ? "completed_with_failures" : "completed";
    }
}
