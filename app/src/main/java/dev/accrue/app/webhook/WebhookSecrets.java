package dev.accrue.app.webhook;

import dev.accrue.core.error.AccrueException;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks signing secrets: {@code whsec_} followed by the base64 of 24 to 64 random bytes. Accrue
 * makes 32-byte ones; a tenant may bring its own (migrating from another sender) if it has that form.
 */
public final class WebhookSecrets {
    public static final String PREFIX = "whsec_";
    static final int MIN_BYTES = 24;
    static final int MAX_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key bytes of a well-formed secret; refuses anything else as {@code validation_failed} on {@code field}. */
    public static byte[] key(String field, String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw AccrueException.invalid(field, "A signing secret is whsec_ followed by base64 of 24 to 64 bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw AccrueException.invalid(field, "The part after whsec_ is not base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw AccrueException.invalid(field, "A signing secret holds 24 to 64 bytes, this one " + key.length);
        }
        return key;
    }
}
