package dev.accrue.app.payment.gateway;

/**
 * What a gateway answered. {@link Unreachable} means the outcome is unknown (network error, timeout, 5xx):
 * the caller retries with the same idempotency key and must not treat it as a decline.
 */
public sealed interface GatewayOutcome {
    /** Approved; {@code reference} is the gateway's id for the charge, refund or verification. */
    record Approved(String reference) implements GatewayOutcome {
    }

    /**
     * Declined. {@code code} is Accrue's reason (card_declined, insufficient_funds, expired_card, fraudulent,
     * processing_error, ...), {@code declineCode} the gateway's own, {@code hard} true when retrying the same
     * method cannot succeed (stolen, fraud, closed account, expired).
     */
    record Declined(String code, String declineCode, String message, boolean hard) implements GatewayOutcome {
    }

    record Unreachable(String message) implements GatewayOutcome {
    }
}
