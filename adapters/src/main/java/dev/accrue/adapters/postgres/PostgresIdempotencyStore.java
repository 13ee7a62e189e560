package dev.accrue.adapters.postgres;

import dev.accrue.app.idempotency.IdempotencyStore;
import dev.accrue.app.idempotency.StoredResponse;

import java.time.Instant;
import java.util.Optional;

public final class PostgresIdempotencyStore implements IdempotencyStore {
    private final JdbiTransactions tx;

    public PostgresIdempotencyStore(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<Claim> claim(String tenantId, String key, String fingerprint, Instant at) {
        // ON CONFLICT waits for a concurrent inserter of the same key to commit or roll back, so a retry that
        // races the original sees its finished response instead of running the work a second time.
        int inserted = tx.handle().createUpdate("""
                        INSERT INTO idempotency_keys (tenant_id, key, fingerprint, created_at) VALUES (:tenant, :key, :fp, :at)
                        ON CONFLICT (tenant_id, key) DO NOTHING""")
                .bind("tenant", tenantId).bind("key", key).bind("fp", fingerprint).bind("at", Rows.utc(at)).execute();
        if (inserted == 1) {
            return Optional.empty();
        }
        return tx.handle().createQuery("SELECT fingerprint, response_status, response_body FROM idempotency_keys WHERE tenant_id = :tenant AND key = :key")
                .bind("tenant", tenantId).bind("key", key)
                .map((rs, ctx) -> new Claim(rs.getString("fingerprint"), new StoredResponse(rs.getInt("response_status"), rs.getString("response_body"))))
                .findOne();
    }

    @Override
    public void complete(String tenantId, String key, StoredResponse response) {
        tx.handle().createUpdate("UPDATE idempotency_keys SET response_status = :status, response_body = :body WHERE tenant_id = :tenant AND key = :key")
                .bind("status", response.status()).bind("body", response.body()).bind("tenant", tenantId).bind("key", key).execute();
    }
}
