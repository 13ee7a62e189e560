package dev.accrue.adapters.payment.stripe;

import com.stripe.exception.StripeException;

/**
 * A Stripe call whose failure the port cannot express as an outcome (creating a customer, detaching, a refused
 * API key). {@code retryable} says whether the same call with the same idempotency key may succeed later.
 * The message carries Stripe's request id, never a key: Stripe masks keys in its own messages.
 */
public final class StripeCallFailed extends RuntimeException {
    private final boolean retryable;

    StripeCallFailed(String doing, StripeException cause, boolean retryable) {
        super("Stripe failed while " + doing + ": " + cause.getMessage(), cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
