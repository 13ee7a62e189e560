package dev.accrue.bench;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

import java.util.concurrent.TimeUnit;

/**
 * The fold delay histogram ({@code accrue_usage_intake_fold_delay_seconds}) between two moments: the counts of its
 * buckets taken before and after a measured window, so that warm-up and the group's first rebalances stay out of it.
 * Quantiles are interpolated within a bucket as Prometheus's {@code histogram_quantile} does; the share of records
 * folded later than a bucket's bound is exact.
 */
final class FoldDelays {
    final double[] boundsMs;
    final double[] cumulative;
    final double count;

    private FoldDelays(double[] boundsMs, double[] cumulative, double count) {
        this.boundsMs = boundsMs;
        this.cumulative = cumulative;
        this.count = count;
    }

    /** Now, cumulative since the nodes started (both nodes' consumers: they share this JVM's global registry). */
    static FoldDelays now() {
        Timer timer = Metrics.globalRegistry.find("accrue_usage_intake_fold_delay").timer();
        if (timer == null) {
            return new FoldDelays(new double[0], new double[0], 0);
        }
        var snapshot = timer.takeSnapshot();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
            counts[i] = buckets[i].count();
        }
        return new FoldDelays(bounds, counts, snapshot.count());
    }

    /** What was recorded after {@code before} and up to this snapshot. */
    FoldDelays since(FoldDelays before) {
        double[] delta = cumulative.clone();
        for (int i = 0; i < delta.length && i < before.cumulative.length; i++) {
            delta[i] -= before.cumulative[i];
        }
        return new FoldDelays(boundsMs, delta, count - before.count);
    }

    /** The {@code q} quantile in ms, linear within its bucket; the last bound when it lies beyond every bucket. */
    double quantileMs(double q) {
        double rank = q * count;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            if (cumulative[i] >= rank) {
                double inBucket = cumulative[i] - lowerCount;
                return inBucket <= 0 ? boundsMs[i] : lowerBound + (boundsMs[i] - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = boundsMs[i];
            lowerCount = cumulative[i];
        }
        return boundsMs.length == 0 ? Double.NaN : boundsMs[boundsMs.length - 1];
    }

    /** Share of the records folded later than {@code boundMs} (which must be a bucket bound), exact. */
    double shareOver(double boundMs) {
        for (int i = 0; i < boundsMs.length; i++) {
            if (boundsMs[i] == boundMs) {
                return count == 0 ? 0 : (count - cumulative[i]) / count;
            }
        }
        throw new IllegalArgumentException(boundMs + " ms is not a bucket bound");
    }
}
