package dev.accrue.app.alert;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * What the alert evaluator counts for /metrics: {@code accrue_alert_pass_seconds} (how long a pass over the marked
 * keys takes: reads, firing, budgets) and {@code accrue_alert_pass_keys} (how many keys a pass evaluated). An alert's
 * latency is about a pass and a half, so the first says whether the 1-second goal holds on a node.
 */
public final class AlertMeters {
    public static final String PASS_SECONDS = "accrue_alert_pass_seconds";
    public static final String PASS_KEYS = "accrue_alert_pass_keys";

    private AlertMeters() {
    }

    static void pass(int keys, Duration took) {
        Timer.builder(PASS_SECONDS).description("Time an alert evaluation pass takes").publishPercentiles(0.5, 0.99)
                .register(Metrics.globalRegistry).record(took);
        DistributionSummary.builder(PASS_KEYS).description("(subscription, metric) keys evaluated per alert pass")
                .register(Metrics.globalRegistry).record(keys);
    }
}
