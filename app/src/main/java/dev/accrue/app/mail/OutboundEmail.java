package dev.accrue.app.mail;

import java.time.Instant;
import java.util.List;

/**
 * An email waiting in (or sent from) the outbox; {@code objectType}/{@code objectId} name what it is about.
 * A templated email ({@code template} set: invoice, proforma, receipt, statement) is rendered when it is
 * first sent, from the document as it is then; {@code subject}, {@code body} (the text part) and
 * {@code htmlBody} are null until then. {@code nextAttemptAt} is when a queued email is due (later after
 * each failure); {@code resendOf} names the email a resend copies.
 */
public record OutboundEmail(String id, String customerId, List<String> recipients, String subject, String body, String htmlBody, String template,
                            List<String> attachments, String objectType, String objectId, String status, int attempts, String lastError,
                            Instant createdAt, Instant nextAttemptAt, Instant sentAt, String resendOf) {
    public static final String QUEUED = "queued";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    /** A new email rendered from {@code template} for the document {@code objectType}/{@code objectId}. */
    public static OutboundEmail templated(String id, String customerId, List<String> recipients, String template, String objectType, String objectId,
                                          Instant now) {
        return new OutboundEmail(id, customerId, List.copyOf(recipients), null, null, null, template, List.of(), objectType, objectId, QUEUED, 0, null,
                now, now, null, null);
    }
}
