package dev.accrue.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * How collection treats time at the gateway, from the environment (ISO-8601 durations, e.g. PT23H):
 * ACCRUE_GATEWAY_RESEND_WINDOW — how old a payment attempt's idempotency key may be and still be sent again under it
 * when its outcome is unknown (default PT23H; must stay below the 24 hours Stripe keeps keys, so it is refused at
 * PT24H or more); older attempts are looked up at the gateway instead. ACCRUE_PROCESSING_POLL_AFTER — how long a
 * charge may stay processing (a bank debit) before the gateway is asked about it, and how often it is asked again
 * (default PT24H, at least PT1M). A malformed or out-of-range value stops the node at boot.
 */
public record GatewayTimings(Duration resendWindow, Duration pollAfter) {
    public static final String RESEND_WINDOW = "ACCRUE_GATEWAY_RESEND_WINDOW";
    public static final String POLL_AFTER = "ACCRUE_PROCESSING_POLL_AFTER";
    /** Stripe forgets an idempotency key 24 hours after its first use (declared before DEFAULT, which checks against it). */
    private static final Duration GATEWAY_KEY_LIFETIME = Duration.ofHours(24);
    public static final GatewayTimings DEFAULT = new GatewayTimings(Duration.ofHours(23), Duration.ofHours(24));

    public GatewayTimings {
        if (resendWindow.isNegative() || resendWindow.isZero() || resendWindow.compareTo(GATEWAY_KEY_LIFETIME) >= 0) {
            throw new IllegalArgumentException(RESEND_WINDOW + " must be positive and below PT24H (Stripe keeps idempotency keys 24 hours), got " + resendWindow);
        }
        if (pollAfter.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException(POLL_AFTER + " must be at least PT1M, got " + pollAfter);
        }
    }

    public static GatewayTimings fromEnvironment(Map<String, String> env) {
        return new GatewayTimings(duration(env, RESEND_WINDOW, DEFAULT.resendWindow()), duration(env, POLL_AFTER, DEFAULT.pollAfter()));
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT23H, got '" + text + "'");
        }
    }
}
