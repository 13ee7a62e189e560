package dev.accrue.app.tenant;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.Optional;

public interface ApiKeyRepository {
    void insert(ApiKey key, String secretHash);

    Optional<ApiKey> findBySecretHash(String secretHash);

    Optional<ApiKey> find(String tenantId, String id);

    Page<ApiKey> list(String tenantId, PageRequest page);

    /** Marks the key revoked; returns false when it was already revoked. */
    boolean revoke(String tenantId, String id, Instant at);
}
