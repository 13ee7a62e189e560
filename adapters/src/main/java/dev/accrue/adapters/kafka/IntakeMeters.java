package dev.accrue.adapters.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a folding consumer tells /metrics, tagged with its consumer id (sum over nodes for the whole log):
 * {@code accrue_usage_intake_lag_events} — events acknowledged in its partitions but not yet folded;
 * {@code accrue_usage_intake_lag_seconds} — how long the oldest event of its last fold had waited, 0 once caught up;
 * {@code accrue_usage_intake_fold_delay_seconds} — per event, acknowledged to folded (p50, p99);
 * {@code accrue_usage_intake_folded_events_total} — events folded (new ones, duplicates excluded).
 */
final class IntakeMeters implements AutoCloseable {
    private final AtomicLong lagEvents = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Timer delay;
    private final Counter folded;
    private final List<Meter> meters;

    IntakeMeters(String consumer) {
        Gauge events = Gauge.builder("accrue_usage_intake_lag_events", lagEvents, AtomicLong::get).tag("consumer", consumer)
                .description("Usage events acknowledged in this consumer's partitions and not yet folded into PostgreSQL").register(Metrics.globalRegistry);
        Gauge seconds = Gauge.builder("accrue_usage_intake_lag_seconds", lagMillis, m -> m.get() / 1000.0).tag("consumer", consumer)
                .description("How long the oldest event of the last fold waited since acknowledged; 0 when caught up").register(Metrics.globalRegistry);
        this.delay = Timer.builder("accrue_usage_intake_fold_delay").description("Per usage event, from acknowledged (in the log) to folded")
                .publishPercentiles(0.5, 0.99).register(Metrics.globalRegistry);
        this.folded = Counter.builder("accrue_usage_intake_folded_events").description("Usage events folded from the intake log (new ones)")
                .register(Metrics.globalRegistry);
        this.meters = List.of(events, seconds);
    }

    void lag(long events, long oldestWaitMillis) {
        lagEvents.set(events);
        lagMillis.set(events == 0 ? 0 : oldestWaitMillis);
    }

    void folded(int fresh, long[] waitMillis) {
        folded.increment(fresh);
        for (long w : waitMillis) {
            delay.record(Duration.ofMillis(Math.max(0, w)));
        }
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
