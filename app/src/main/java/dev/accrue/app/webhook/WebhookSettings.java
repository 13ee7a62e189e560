package dev.accrue.app.webhook;

import java.time.Duration;
import java.util.Map;

/**
 * Server-wide webhook settings. {@code allowPrivateAddresses} lets endpoints point at loopback and private
 * networks (a receiver on the same machine in development and tests); it is off unless
 * ACCRUE_WEBHOOK_ALLOW_PRIVATE=true, and even then cloud metadata addresses stay refused. An endpoint is disabled
 * when it has failed without a single success for {@code disableAfter} and at least {@code disableAfterFailures}
 * attempts in a row (ACCRUE_WEBHOOK_DISABLE_AFTER_HOURS, default 120 = 5 days; ACCRUE_WEBHOOK_DISABLE_AFTER_FAILURES,
 * default 10). {@code connectTimeout}/{@code responseTimeout} bound one attempt.
 */
public record WebhookSettings(boolean allowPrivateAddresses, Duration disableAfter, int disableAfterFailures, Duration connectTimeout,
                              Duration responseTimeout) {
    public static final WebhookSettings DEFAULT = new WebhookSettings(false, Duration.ofDays(5), 10, Duration.ofSeconds(5), Duration.ofSeconds(15));

    public WebhookSettings {
        if (disableAfter.isNegative() || disableAfterFailures < 1) {
            throw new IllegalArgumentException("disableAfter must be ≥ 0 and disableAfterFailures ≥ 1");
        }
    }

    public static WebhookSettings fromEnvironment(Map<String, String> env) {
        String allow = env.getOrDefault("ACCRUE_WEBHOOK_ALLOW_PRIVATE", "false").trim();
        if (!allow.equals("true") && !allow.equals("false")) {
            throw new IllegalArgumentException("ACCRUE_WEBHOOK_ALLOW_PRIVATE must be true or false, got '" + allow + "'");
        }
        return new WebhookSettings(Boolean.parseBoolean(allow),
                Duration.ofHours(number(env, "ACCRUE_WEBHOOK_DISABLE_AFTER_HOURS", DEFAULT.disableAfter().toHours())),
                (int) number(env, "ACCRUE_WEBHOOK_DISABLE_AFTER_FAILURES", DEFAULT.disableAfterFailures()),
                DEFAULT.connectTimeout(), DEFAULT.responseTimeout());
    }

    public WebhookSettings allowingPrivateAddresses() {
        return new WebhookSettings(true, disableAfter, disableAfterFailures, connectTimeout, responseTimeout);
    }

    public WebhookSettings disablingAfter(Duration after, int failures) {
        return new WebhookSettings(allowPrivateAddresses, after, failures, connectTimeout, responseTimeout);
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }
}
