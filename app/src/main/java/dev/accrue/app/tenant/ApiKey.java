package dev.accrue.app.tenant;

import dev.accrue.app.auth.Role;

import java.time.Instant;

/**
 * An API credential. Only the SHA-256 of the secret is stored; {@code displayPrefix} (e.g. {@code sk_test_4f9a})
 * lets an operator tell keys apart without the secret ever being shown again.
 */
public record ApiKey(String id, String tenantId, String name, Role role, String displayPrefix,
                     Instant createdAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
