package dev.accrue.server;

import dev.accrue.adapters.payment.stripe.StripeGateway;
import dev.accrue.adapters.payment.stripe.StripeSettings;
import dev.accrue.app.payment.gateway.PaymentGateway;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which payment gateway a node uses, from the environment: Stripe when ACCRUE_STRIPE_SECRET_KEY is set (with
 * ACCRUE_STRIPE_WEBHOOK_SECRET, the endpoint's signing secret, required beside it, and ACCRUE_STRIPE_API_BASE
 * optional, https://api.stripe.com by default), otherwise the built-in sandbox. Half a Stripe configuration
 * fails at boot rather than falling back to the sandbox: a node meant to collect real money must not
 * silently pretend to. Errors and {@link #describe} show keys only as Stripe's dashboard does (kind and last
 * four characters).
 */
public final class PaymentGateways {
    public static final String SECRET_KEY = "ACCRUE_STRIPE_SECRET_KEY";
    public static final String WEBHOOK_SECRET = "ACCRUE_STRIPE_WEBHOOK_SECRET";
    public static final String API_BASE = "ACCRUE_STRIPE_API_BASE";
    public static final String PUBLISHABLE_KEY = "ACCRUE_STRIPE_PUBLISHABLE_KEY";

    private PaymentGateways() {
    }

    /** Stripe's settings when the environment configures Stripe, empty for the sandbox. */
    public static Optional<StripeSettings> stripeSettings(Map<String, String> env) {
        String secretKey = blankToNull(env.get(SECRET_KEY));
        String webhookSecret = blankToNull(env.get(WEBHOOK_SECRET));
        String apiBase = blankToNull(env.get(API_BASE));
        if (secretKey == null) {
            if (webhookSecret != null || apiBase != null) {
                throw new IllegalArgumentException((webhookSecret != null ? WEBHOOK_SECRET : API_BASE) + " is set but " + SECRET_KEY
                        + " is not: set both to use Stripe, neither for the sandbox");
            }
            return Optional.empty();
        }
        if (webhookSecret == null) {
            throw new IllegalArgumentException(SECRET_KEY + " is set (" + StripeSettings.redact(secretKey) + ") but " + WEBHOOK_SECRET
                    + " is not: Stripe's webhooks cannot be verified without the endpoint's signing secret (whsec_…)");
        }
        return Optional.of(new StripeSettings(secretKey.trim(), webhookSecret.trim(), apiBase == null ? StripeSettings.LIVE_API_BASE : apiBase.trim()));
    }

    /**
     * The publishable key (pk_…) the portal's Stripe Elements form loads Stripe.js with; empty when unset (the portal
     * then says cards are added through the provider's form). Set without Stripe, not a pk_ key, or of the other
     * mode than the secret key (pk_test_ with sk_live_): the node does not start.
     */
    public static Optional<String> publishableKey(Map<String, String> env) {
        String key = blankToNull(env.get(PUBLISHABLE_KEY));
        if (key == null) {
            return Optional.empty();
        }
        key = key.trim();
        Optional<StripeSettings> settings = stripeSettings(env);
        if (settings.isEmpty()) {
            throw new IllegalArgumentException(PUBLISHABLE_KEY + " is set but " + SECRET_KEY + " is not: the publishable key is for the Stripe gateway");
        }
        if (!key.matches("pk_(test|live)_[A-Za-z0-9]{8,200}")) {
            throw new IllegalArgumentException(PUBLISHABLE_KEY + " must be a Stripe publishable key (pk_test_… or pk_live_…), got " + StripeSettings.redact(key));
        }
        if (key.startsWith("pk_test_") != settings.get().testMode()) {
            throw new IllegalArgumentException(PUBLISHABLE_KEY + " (" + StripeSettings.redact(key) + ") and " + SECRET_KEY + " ("
                    + StripeSettings.redact(settings.get().secretKey()) + ") are of different modes (test and live)");
        }
        return Optional.of(key);
    }

    /** The Stripe gateway when the environment configures Stripe, empty for the sandbox. */
    public static Optional<PaymentGateway> stripe(Map<String, String> env, Clock clock) {
        return stripeSettings(env).map(settings -> new StripeGateway(settings, clock));
    }

    /** Stripe when configured, else the sandbox that {@code sandbox} builds. */
    public static PaymentGateway fromConfig(Map<String, String> env, Clock clock, Supplier<PaymentGateway> sandbox) {
        return stripe(env, clock).orElseGet(sandbox);
    }

    /** One line for the startup banner, without secrets. */
    public static String describe(Map<String, String> env) {
        return stripeSettings(env)
                .map(s -> "Stripe " + (s.testMode() ? "(test mode) " : "(LIVE) ") + "at " + s.apiBase() + ", key " + StripeSettings.redact(s.secretKey()))
                .orElse("sandbox (set " + SECRET_KEY + " and " + WEBHOOK_SECRET + " to use Stripe)");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
