package dev.accrue.app.pricechange;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Where price migrations and the moves they schedule are kept. */
public interface PriceMigrationRepository {

    /** A scheduled move, with what it moves to. */
    record DueMove(String migrationId, String planCode, int toVersion, LocalDate earliestOn) {
    }

    /** A stored move row (amounts are recomputed when shown). */
    record StoredMove(String subscriptionId, String customerId, int fromVersion, LocalDate noticeOn, LocalDate earliestOn, String status,
                      LocalDate movedOn) {
    }

    /** A stored migration without its moves. */
    record Stored(String id, String planCode, int catalogVersion, PriceMigration.Policy policy, LocalDate effectiveDate, Integer noticeDays,
                  Instant createdAt) {
    }

    boolean exists(String tenantId, String planCode, int catalogVersion);

    void insert(String tenantId, Stored migration);

    void insertMove(String tenantId, String migrationId, StoredMove move);

    Optional<Stored> find(String tenantId, String id);

    List<StoredMove> moves(String tenantId, String migrationId);

    /** Ids of the subscriptions not ended that are on {@code planCode} of a version older than {@code catalogVersion}. */
    List<String> subscriptionsOnOlderVersions(String tenantId, String planCode, int catalogVersion);

    /** The subscription's scheduled moves, oldest decision first. */
    List<DueMove> scheduled(String tenantId, String subscriptionId);

    void markMove(String tenantId, String migrationId, String subscriptionId, String status, LocalDate movedOn);
}
