package dev.accrue.app.authorization;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

public interface AuthorizationRepository {
    void insert(String tenantId, Authorization a);

    /** Sum of live (held, unexpired) reservations of a subscription's metric. */
    BigDecimal held(String tenantId, String subscriptionId, String metric, Instant now);

    Optional<Authorization> findForUpdate(String tenantId, String id);

    record Balance(BigDecimal used, BigDecimal held) {
    }

    /** Usage of an additive metric over {@code [from, to)} (from the daily aggregates) and live reservations, in one query. */
    Balance balance(String tenantId, String subscriptionId, String metric, java.time.LocalDate from, java.time.LocalDate to, Instant now);

    void settle(String tenantId, String id, String status, BigDecimal committed, Instant at);
}
