package dev.accrue.app.idempotency;

import java.time.Instant;
import java.util.Optional;

public interface IdempotencyStore {
    record Claim(String fingerprint, StoredResponse response) {
    }

    /**
     * Inserts the key if absent and returns empty; when the key exists (waiting for a concurrent holder to
     * finish first) returns what it holds.
     */
    Optional<Claim> claim(String tenantId, String key, String fingerprint, Instant at);

    void complete(String tenantId, String key, StoredResponse response);
}
