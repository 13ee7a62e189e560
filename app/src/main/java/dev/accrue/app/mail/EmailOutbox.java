package dev.accrue.app.mail;

import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Emails are written to the outbox in the same transaction as what they tell about, and sent afterwards by
 * {@link MailDispatcher}: a committed document always gets its email, a rolled-back one never does.
 */
public interface EmailOutbox {
    void enqueue(String tenantId, OutboundEmail email);

    /** Several emails of one tenant in the caller's transaction (one round trip where the store can). */
    default void enqueueAll(String tenantId, List<OutboundEmail> emails) {
        emails.forEach(e -> enqueue(tenantId, e));
    }

    /** Queued emails due at {@code now}, locked (SKIP LOCKED) for the caller's transaction. */
    List<Queued> claimDue(Instant now, int limit);

    /** Stores what a templated email rendered to, the first time it is sent. */
    void storeRendered(String tenantId, String id, String subject, String text, String html, List<String> attachments);

    void markSent(String tenantId, String id, Instant at);

    /**
     * Takes a claimed email out of the due list until {@code until}: the lease under which one dispatcher sends it
     * outside any transaction. If that dispatcher dies before marking it, the email is due again when the lease ends.
     */
    void lease(String tenantId, String id, Instant until);

    /** Queued emails (due or waiting for a retry), across tenants: the outbox's depth. */
    long queued();

    void markAttemptFailed(String tenantId, String id, String error, boolean giveUp, Instant nextAttemptAt);

    /** Appends to the delivery log. */
    void logAttempt(String tenantId, String id, int attempt, Instant at, boolean sent, String detail);

    List<Attempt> attempts(String tenantId, String id);

    Optional<OutboundEmail> find(String tenantId, String id);

    /** Emails newest first, filtered by customer and object when given; {@code limit + 1} rows. */
    List<OutboundEmail> list(String tenantId, String customerId, String objectId, PageRequest page);

    record Queued(String tenantId, OutboundEmail email) {
    }

    record Attempt(int attempt, Instant at, String outcome, String detail) {
    }
}
