package dev.accrue.core.catalog;

/** When a voluntary cancellation takes effect and whether anything is refunded (the seeds: period end, no refund). */
public record CancellationPolicy(Effective effective, Refund refund) {
    public static final CancellationPolicy DEFAULT = new CancellationPolicy(Effective.END_OF_PERIOD, Refund.NONE);

    public CancellationPolicy {
        effective = effective == null ? Effective.END_OF_PERIOD : effective;
        refund = refund == null ? Refund.NONE : refund;
    }

    public enum Effective { END_OF_PERIOD, IMMEDIATE }

    public enum Refund { NONE, PRORATED }
}
