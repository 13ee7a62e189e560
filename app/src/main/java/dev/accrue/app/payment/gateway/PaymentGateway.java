package dev.accrue.app.payment.gateway;

import java.util.Map;

/**
 * A payment gateway, as collection sees it. Implementations: the built-in sandbox (behaves like Stripe's test
 * mode) and Stripe. Accrue never holds a card number or CVC: the customer types them into the gateway's
 * tokenization form, and Accrue keeps the token, brand, last four digits, expiry and billing address.
 *
 * <p>Every call that moves money takes an idempotency key derived from a row Accrue stored before the call
 * (a payment attempt, a refund), so a retried call or a crash between the call and the commit never charges
 * twice: the gateway answers a repeated key with the first answer.
 */
public interface PaymentGateway {
    /** The gateway's name as stored on payment methods and payments: {@code sandbox} or {@code stripe}. */
    String name();

    /** Creates the gateway's customer record that saved methods hang off; the same key returns the same record. */
    String createCustomer(String accrueCustomerId, String email, String name, String idempotencyKey);

    /**
     * Attaches a token from the gateway's form to the gateway customer and verifies it (a small authorization
     * voided at once, or the gateway's own setup check); on approval {@link Attachment#method()} describes it.
     */
    Attachment attach(String token, String gatewayCustomer, String idempotencyKey);

    /** Detaches a saved method so it can no longer be charged. */
    void detach(String token);

    GatewayOutcome charge(GatewayCharge charge);

    GatewayOutcome refund(GatewayRefund refund);

    /**
     * What became of a charge sent earlier, asked without charging (a read: no idempotency key is used, nothing can
     * be charged): by the gateway's {@code reference} when it gave one (a bank debit still processing), else by
     * what Accrue put on the charge — {@link GatewayCharge#idempotencyKey()}, the attempt's id — among the gateway
     * customer's charges. Answers the charge's outcome ({@link GatewayOutcome.Approved},
     * {@link GatewayOutcome.Declined}, or {@link GatewayOutcome.Processing} while the bank has not answered),
     * {@link GatewayOutcome.NotFound} when the gateway holds no such charge, {@link GatewayOutcome.Unreachable} when
     * it could not be asked.
     */
    GatewayOutcome lookup(GatewayCharge charge, String reference);

    /** Verifies a webhook from the gateway (its signature scheme) and reads it; a forged one throws. */
    GatewayEvent parseEvent(String body, Map<String, String> headers);

    record Attachment(GatewayOutcome outcome, GatewayMethod method) {
    }
}
