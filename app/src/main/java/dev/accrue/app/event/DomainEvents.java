package dev.accrue.app.event;

import java.time.Instant;
import java.util.List;

/**
 * The transactional outbox of billing events. A use case records an event in the same transaction as the
 * change it tells about, so a committed change always has its event and a rolled-back one never does.
 * Consumers (webhook delivery, notifications) read what was recorded after it commits, each keeping its own
 * {@link Position}; they never run inside the recording transaction.
 */
public interface DomainEvents {
    /** Records the event in the caller's transaction (joins it; opens one when none is open). */
    void record(String tenantId, DomainEvent event);

    /** Records several events of one tenant in the caller's transaction, in list order (one statement where the store can). */
    default void recordAll(String tenantId, List<DomainEvent> events) {
        events.forEach(e -> record(tenantId, e));
    }

    /**
     * Committed events after {@code position}, in position order, across tenants. Only events whose
     * transaction is older than every transaction still running are returned, so no event can later appear
     * before a position a consumer has passed.
     */
    List<Recorded> after(Position position, int limit);

    /** One tenant's events, newest first, optionally of one type and one object; {@code limit} rows. */
    List<Recorded> list(String tenantId, String type, String objectId, int limit);

    /** A consumer's place in the outbox: the recording transaction, then the sequence inside it. */
    record Position(long transaction, long sequence) {
        public static final Position START = new Position(0, 0);
    }

    /** An event with its tenant and its position. */
    record Recorded(Position position, String tenantId, DomainEvent event, Instant recordedAt) {
    }
}
