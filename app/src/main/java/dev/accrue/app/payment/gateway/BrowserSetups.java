package dev.accrue.app.payment.gateway;

/**
 * A gateway whose own browser form confirms a new payment method against an intent the server created first
 * (Stripe Elements with a SetupIntent: 3-D Secure and bank mandates happen in the gateway's form). The server
 * starts the setup for the gateway customer and hands the browser only the client secret; the browser's form
 * finishes it and Accrue then attaches the confirmed setup's id ({@code seti_…}) like any token. A capability
 * beside {@link PaymentGateway}: the sandbox tokenizes directly and does not implement it.
 */
public interface BrowserSetups {
    /** Creates an unconfirmed setup for off-session use by {@code gatewayCustomer}; the same key returns the same setup. */
    Setup begin(String gatewayCustomer, String idempotencyKey);

    /**
     * Creates an unconfirmed setup for a SEPA Direct Debit only (the IBAN typed into the gateway's own IBAN field, the
     * mandate accepted on the page): the browser confirms it with the account holder's name and email, and the gateway
     * issues the mandate. The same key returns the same setup.
     */
    Setup beginSepaDebit(String gatewayCustomer, String idempotencyKey);

    /** {@code clientSecret} is only for the customer's browser, which confirms the setup with the gateway. */
    record Setup(String id, String clientSecret) {
    }
}
