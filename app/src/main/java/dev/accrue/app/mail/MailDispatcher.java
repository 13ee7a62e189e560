package dev.accrue.app.mail;

import dev.accrue.app.tx.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Sends what the outbox holds. Each due email is claimed with SKIP LOCKED, rendered (templates, PDF),
 * handed to the transport and marked sent in one transaction, so two dispatchers never send one twice and
 * an email whose document committed is sent even if the node that wrote it died right after its commit.
 * If a node dies after the server accepted a message but before this transaction commits, the message is
 * sent again: delivery is at least once, and each message carries a stable Message-ID so clients can fold
 * the rare duplicate. A failure is logged per attempt and retried on the {@link RetrySchedule}.
 */
public final class MailDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MailDispatcher.class);
    private final Transactions tx;
    private final EmailOutbox outbox;
    private final MailTransport transport;
    private final MailComposer composer;
    private final Clock clock;

    public MailDispatcher(Transactions tx, EmailOutbox outbox, MailTransport transport, MailComposer composer, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.transport = transport;
        this.composer = composer;
        this.clock = clock;
    }

    /** Sends up to {@code limit} due emails; returns how many were sent. */
    public int dispatch(int limit) {
        return tx.inTransaction(() -> {
            int sent = 0;
            Instant now = clock.instant();
            for (var q : outbox.claimDue(now, limit)) {
                OutboundEmail e = q.email();
                int attempt = e.attempts() + 1;
                try {
                    MailMessage m = composer.compose(q.tenantId(), e);
                    if (e.template() != null && e.subject() == null) {
                        outbox.storeRendered(q.tenantId(), e.id(), m.subject(), m.text(), m.html(),
                                m.attachments().stream().map(MailMessage.Attachment::filename).toList());
                    }
                    transport.send(m);
                    outbox.markSent(q.tenantId(), e.id(), now);
                    outbox.logAttempt(q.tenantId(), e.id(), attempt, now, true, "accepted by " + transport.getClass().getSimpleName());
                    sent++;
                } catch (Exception ex) {
                    boolean giveUp = RetrySchedule.exhausted(attempt);
                    String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                    LOG.warn("Sending email {} failed (attempt {}{})", e.id(), attempt, giveUp ? ", giving up" : "", ex);
                    outbox.markAttemptFailed(q.tenantId(), e.id(), error, giveUp, now.plus(RetrySchedule.delayAfter(attempt)));
                    outbox.logAttempt(q.tenantId(), e.id(), attempt, now, false, error);
                }
            }
            return sent;
        });
    }
}
