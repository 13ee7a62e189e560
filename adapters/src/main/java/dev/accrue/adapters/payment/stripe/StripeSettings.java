package dev.accrue.adapters.payment.stripe;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Stripe account. {@code apiBase} is Stripe's API host unless tests point it at a local
 * server; {@code webhookTolerance} is how old a signed webhook may be (Stripe's libraries default to five
 * minutes) so a captured request cannot be replayed later. The keys never appear in {@link #toString()}.
 */
public record StripeSettings(String secretKey, String webhookSecret, String apiBase, Duration webhookTolerance,
                             Duration connectTimeout, Duration readTimeout) {
    public static final String LIVE_API_BASE = "https://api.stripe.com";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    public StripeSettings {
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(webhookTolerance, "webhookTolerance");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (!secretKey.startsWith("sk_") && !secretKey.startsWith("rk_")) {
            throw new IllegalArgumentException("ACCRUE_STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…), got "
                    + redact(secretKey));
        }
        if (!webhookSecret.startsWith("whsec_")) {
            throw new IllegalArgumentException("ACCRUE_STRIPE_WEBHOOK_SECRET must be an endpoint signing secret (whsec_…), got "
                    + redact(webhookSecret));
        }
        if (!apiBase.matches("https?://[^\\s/]+")) {
            throw new IllegalArgumentException("ACCRUE_STRIPE_API_BASE must be a scheme and host such as https://api.stripe.com, got " + apiBase);
        }
        if (webhookTolerance.isNegative() || webhookTolerance.isZero()) {
            throw new IllegalArgumentException("the webhook tolerance must be positive, got " + webhookTolerance);
        }
    }

    public StripeSettings(String secretKey, String webhookSecret, String apiBase) {
        this(secretKey, webhookSecret, apiBase, DEFAULT_TOLERANCE, Duration.ofSeconds(30), Duration.ofSeconds(80));
    }

    /** Test-mode keys (sk_test_, rk_test_) move no real money. */
    public boolean testMode() {
        return secretKey.startsWith("sk_test_") || secretKey.startsWith("rk_test_");
    }

    /** A key reduced to its kind and last four characters, the way Stripe's dashboard shows it. */
    public static String redact(String secret) {
        if (secret == null) {
            return "null";
        }
        int prefix = secret.substring(0, Math.min(secret.length(), 9)).lastIndexOf('_');
        String kind = secret.substring(0, prefix + 1);
        String tail = secret.length() > 12 ? secret.substring(secret.length() - 4) : "";
        return kind + "…" + tail;
    }

    @Override
    public String toString() {
        return "StripeSettings[secretKey=" + redact(secretKey) + ", webhookSecret=" + redact(webhookSecret) + ", apiBase=" + apiBase
                + ", webhookTolerance=" + webhookTolerance + "]";
    }
}
