package dev.accrue.app.mail;

import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.List;

/**
 * Emails are written to the outbox in the same transaction as what they tell about, and sent afterwards by
 * {@link MailDispatcher}: a committed receipt always gets its email, a rolled-back one never does.
 */
public interface EmailOutbox {
    void enqueue(String tenantId, OutboundEmail email);

    /** Queued emails, locked (SKIP LOCKED) for the caller's transaction. */
    List<Queued> claimQueued(int limit);

    void markSent(String tenantId, String id, Instant at);

    void markAttemptFailed(String tenantId, String id, String error, boolean giveUp);

    /** Emails newest first, filtered by customer and object when given; {@code limit + 1} rows. */
    List<OutboundEmail> list(String tenantId, String customerId, String objectId, PageRequest page);

    record Queued(String tenantId, OutboundEmail email) {
    }
}
