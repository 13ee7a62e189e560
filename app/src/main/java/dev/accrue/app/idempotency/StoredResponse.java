package dev.accrue.app.idempotency;

/** The response a creating request produced, kept so a retry with the same key gets the very same answer. */
public record StoredResponse(int status, String body) {
}
