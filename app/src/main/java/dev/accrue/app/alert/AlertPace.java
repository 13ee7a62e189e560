package dev.accrue.app.alert;

import java.time.Duration;
import java.util.Map;

/**
 * How long the node's alert thread lets usage gather between two passes ({@code ACCRUE_ALERT_PACE_MS}): at least this
 * long between the starts of two passes. A pass costs its handful of per-tenant queries whatever the number of keys, so
 * under busy ingestion fewer, larger passes cost less; an idle node still evaluates the first usage at once. An alert
 * then fires within the pace plus a pass of its crossing, so the pace stays below the 1-second goal (at most 900 ms).
 */
public final class AlertPace {
    public static final String VARIABLE = "ACCRUE_ALERT_PACE_MS";
    public static final Duration DEFAULT = Duration.ofMillis(200);
    /** Above this the pace and a pass no longer fit in the 1-second goal. */
    static final long MAX_MILLIS = 900;

    private AlertPace() {
    }

    /** The pace the environment sets (unset or blank: {@link #DEFAULT}); not a whole number in 0–900 stops the node at boot. */
    public static Duration fromEnvironment(Map<String, String> env) {
        String text = env.get(VARIABLE);
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        long millis;
        try {
            millis = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        if (millis < 0 || millis > MAX_MILLIS) {
            throw invalid(text);
        }
        return Duration.ofMillis(millis);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(VARIABLE + " must be a whole number of milliseconds from 0 (evaluate at once) to " + MAX_MILLIS
                + " (the pace and a pass must fit in the 1-second alert goal), got '" + text + "'");
    }
}
