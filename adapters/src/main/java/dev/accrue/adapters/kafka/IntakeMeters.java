package dev.accrue.adapters.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a folding consumer tells /metrics, tagged with its consumer id (sum over nodes for the whole log):
 * {@code accrue_usage_intake_lag_events} — events acknowledged in its partitions but not yet folded;
 * {@code accrue_usage_intake_lag_seconds} — how long the oldest event of its last fold had waited, 0 once caught up;
 * {@code accrue_usage_intake_fold_delay_seconds} — per record, from its append to the log to the commit of its fold,
 * as a histogram ({@code _bucket{le}}, {@code _count}, {@code _sum}) so that a p99 over any window and any number of
 * nodes is Prometheus's {@code histogram_quantile(0.99, sum by (le) (rate(..._bucket[5m])))};
 * {@code accrue_usage_intake_folded_events_total} — events folded (new ones, duplicates excluded);
 * {@code accrue_usage_intake_fold_seconds} — each fold, from its records read to its commit ({@code _count} folds,
 * {@code _sum} time): records per fold and time per fold say whether PostgreSQL or the log holds the lag.
 */
final class IntakeMeters implements AutoCloseable {
    /** The buckets, finest around the bound the fold is held to (p99 under 1 s). */
    static final Duration[] DELAY_BUCKETS = {ms(25), ms(50), ms(100), ms(150), ms(200), ms(300), ms(400), ms(500), ms(600), ms(700),
            ms(800), ms(900), ms(1_000), ms(1_250), ms(1_500), ms(2_000), ms(3_000), ms(5_000), ms(10_000), ms(30_000), ms(60_000), ms(300_000)};
    private final AtomicLong lagEvents = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Timer delay;
    private final Counter folded;
    private final Timer folds;
    private final List<Meter> meters;

    IntakeMeters(String consumer) {
        Gauge events = Gauge.builder("accrue_usage_intake_lag_events", lagEvents, AtomicLong::get).tag("consumer", consumer)
                .description("Usage events acknowledged in this consumer's partitions and not yet folded into PostgreSQL").register(Metrics.globalRegistry);
        Gauge seconds = Gauge.builder("accrue_usage_intake_lag_seconds", lagMillis, m -> m.get() / 1000.0).tag("consumer", consumer)
                .description("How long the oldest event of the last fold waited since acknowledged; 0 when caught up").register(Metrics.globalRegistry);
        this.delay = Timer.builder("accrue_usage_intake_fold_delay")
                .description("Per usage record, from its append to the intake log to the commit of its fold into PostgreSQL")
                .serviceLevelObjectives(DELAY_BUCKETS).register(Metrics.globalRegistry);
        this.folded = Counter.builder("accrue_usage_intake_folded_events").description("Usage events folded from the intake log (new ones)")
                .register(Metrics.globalRegistry);
        this.folds = Timer.builder("accrue_usage_intake_fold").description("Each fold of intake records: decoded, stored and committed")
                .register(Metrics.globalRegistry);
        this.meters = List.of(events, seconds);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    void lag(long events, long oldestWaitMillis) {
        lagEvents.set(events);
        lagMillis.set(events == 0 ? 0 : oldestWaitMillis);
    }

    /**
     * {@code appendedAt}: each folded record's log append time (epoch ms); {@code committedAt}: when its fold committed;
     * {@code foldNanos}: how long the fold took.
     */
    void folded(int fresh, long[] appendedAt, long committedAt, long foldNanos) {
        folded.increment(fresh);
        folds.record(foldNanos, TimeUnit.NANOSECONDS);
        for (long at : appendedAt) {
            delay.record(Math.max(0, committedAt - at), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
