package dev.accrue.app.payment;

import dev.accrue.core.customer.BillingAddress;

import java.time.Instant;

/**
 * A saved method: what the gateway tokenized (Accrue keeps the token, never the number), shown by brand, last four
 * digits and expiry. {@code priority} 1 is the default, 2.. the backups in the order they are tried; null once removed.
 */
public record PaymentMethod(String id, String customerId, String gateway, String token, String kind, String brand, String last4, Integer expMonth,
                            Integer expYear, String mandateReference, BillingAddress billingAddress, Integer priority, String status, Instant createdAt,
                            Instant updatedAt) {
    public static final String ACTIVE = "active";
    public static final String REMOVED = "removed";

    public PaymentMethod withPriority(Integer p) {
        return new PaymentMethod(id, customerId, gateway, token, kind, brand, last4, expMonth, expYear, mandateReference, billingAddress, p, status,
                createdAt, updatedAt);
    }

    /** "visa ···· 4242", as receipts and notices print it. */
    public String label() {
        return brand + " ···· " + last4;
    }
}
