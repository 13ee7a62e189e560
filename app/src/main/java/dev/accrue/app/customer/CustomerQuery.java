package dev.accrue.app.customer;

/**
 * List filters: {@code text} matches name, email, external id or tax id (case-insensitive substring); {@code email} matches exactly;
 * {@code parentId} lists the children of one account.
 */
public record CustomerQuery(String text, String email, String externalId, String parentId) {
    public CustomerQuery(String text, String email, String externalId) {
        this(text, email, externalId, null);
    }

    public static CustomerQuery all() {
        return new CustomerQuery(null, null, null, null);
    }
}
