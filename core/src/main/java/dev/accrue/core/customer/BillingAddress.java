package dev.accrue.core.customer;

/** Postal address printed on invoices; {@code country} is an ISO 3166-1 alpha-2 code and drives taxes. */
public record BillingAddress(String line1, String line2, String city, String region, String postalCode, String country) {
}
