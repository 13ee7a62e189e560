package dev.accrue.app.mail;

import java.time.Instant;
import java.util.List;

/** An email waiting in (or sent from) the outbox; {@code objectType}/{@code objectId} name what it is about. */
public record OutboundEmail(String id, String customerId, List<String> recipients, String subject, String body, String objectType,
                            String objectId, String status, int attempts, String lastError, Instant createdAt, Instant sentAt) {
    public static final String QUEUED = "queued";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
}
