package dev.accrue.app.tenant;

/** A freshly created key together with its secret, which exists only in this value and is never stored. */
public record IssuedApiKey(ApiKey key, String secret) {
}
