package dev.accrue.app.payment.gateway;

/**
 * A saved method as the gateway describes it. {@code kind} is card, bank_account or upi; {@code brand} the
 * card brand (visa, mastercard, ...) or the bank / UPI handle's provider; {@code last4} the last four digits
 * of the card or account (for UPI the id's first characters are never shown in full); expiry only for cards.
 */
public record GatewayMethod(String token, String kind, String brand, String last4, Integer expMonth, Integer expYear, String mandateReference) {
}
