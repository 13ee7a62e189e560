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

    /**
     * Accepted and not settled yet (a bank debit: SEPA, BACS, ACH take days): {@code reference} is the gateway's id
     * for it, and the outcome comes later as a gateway event. The caller must not send it again: a gateway forgets
     * idempotency keys after a while (Stripe after 24 hours), and a resend after that would debit twice.
     */
    record Processing(String reference, String message) implements GatewayOutcome {
    }

    /**
     * Only from {@link PaymentGateway#lookup}: the gateway holds no charge for this attempt (the request never
     * reached it, or it failed before doing anything). Not a decline: nothing says the customer cannot pay.
     */
    record NotFound(String message) implements GatewayOutcome {
    }
}
