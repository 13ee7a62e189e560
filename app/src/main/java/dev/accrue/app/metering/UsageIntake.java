package dev.accrue.app.metering;

import dev.accrue.core.metering.MeteredEvent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where validated usage goes to become durable when it is not written to PostgreSQL directly: an intake log
 * (Kafka) that any node appends to and a consumer folds into the database exactly once ({@link UsageFold}).
 * When {@link #append} returns, the events survive the loss of this node; de-duplication by event id still
 * happens in the database, when they are folded.
 */
public interface UsageIntake {
    /**
     * Makes the events durable in the log (legs of one client event stay together, in order); returns the ids
     * already known to be stored (usually none: a retry of an event still in the log is folded once all the same).
     */
    Set<String> append(String tenantId, List<MeteredEvent> events, Instant receivedAt);
}
