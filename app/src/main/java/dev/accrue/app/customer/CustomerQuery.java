package dev.accrue.app.customer;

/** List filters: {@code text} matches name, email, external id or tax id (case-insensitive substring); {@code email} matches exactly. */
public record CustomerQuery(String text, String email, String externalId) {
    public static CustomerQuery all() {
        return new CustomerQuery(null, null, null);
    }
}
