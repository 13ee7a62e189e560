package dev.accrue.app.authorization;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reservation of usage (seconds of a call) held while the call runs; committed with the actual usage or released — or,
 * neither having come by {@code expiresAt}, marked expired by {@link AuthorizationService#expireDue}. An expired one can
 * still be committed (the call's usage is still billed) or released.
 */
public record Authorization(String id, String subscriptionId, String customerId, String metric, BigDecimal reserved, String status,
                            BigDecimal committed, Instant expiresAt, Instant createdAt) {
    public static final String HELD = "held";
    public static final String COMMITTED = "committed";
    public static final String RELEASED = "released";
    public static final String EXPIRED = "expired";
}
