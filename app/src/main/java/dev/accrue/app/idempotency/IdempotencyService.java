package dev.accrue.app.idempotency;

import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Runs a creating request at most once per {@code Idempotency-Key}. The key, the work and the stored response
 * share one transaction: a crash or an error leaves no key behind, and a concurrent retry waits on the key's
 * row and then replays the first response. The same key with a different request fails with
 * {@code idempotency_key_reused}.
 */
public final class IdempotencyService {
    public static final int MAX_KEY_LENGTH = 255;
    private final Transactions tx;
    private final IdempotencyStore store;
    private final Clock clock;

    public IdempotencyService(Transactions tx, IdempotencyStore store, Clock clock) {
        this.tx = tx;
        this.store = store;
        this.clock = clock;
    }

    public StoredResponse execute(String tenantId, String key, String fingerprint, Supplier<StoredResponse> work) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw AccrueException.invalid("Idempotency-Key", "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        return tx.inTransaction(() -> {
            var existing = store.claim(tenantId, key, fingerprint, clock.instant());
            if (existing.isPresent()) {
                if (!existing.get().fingerprint().equals(fingerprint)) {
                    throw new AccrueException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key",
                            "Idempotency-Key '" + key + "' was already used with a different request");
                }
                return existing.get().response();
            }
            StoredResponse response = work.get();
            store.complete(tenantId, key, response);
            return response;
        });
    }
}
