package dev.accrue.app.mail;

import dev.accrue.app.tx.Transactions;

import java.time.Clock;

/**
 * Sends what the outbox holds. Each email is claimed with SKIP LOCKED and marked sent in the same
 * transaction, so two dispatchers never send one twice; a failure is recorded and retried on the next
 * pass, up to {@link #MAX_ATTEMPTS}.
 */
public final class MailDispatcher {
    public static final int MAX_ATTEMPTS = 5;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MailDispatcher.class);
    private final Transactions tx;
    private final EmailOutbox outbox;
    private final MailTransport transport;
    private final Clock clock;

    public MailDispatcher(Transactions tx, EmailOutbox outbox, MailTransport transport, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.transport = transport;
        this.clock = clock;
    }

    /** Sends up to {@code limit} queued emails; returns how many were sent. */
    public int dispatch(int limit) {
        return tx.inTransaction(() -> {
            int sent = 0;
            for (var q : outbox.claimQueued(limit)) {
                OutboundEmail e = q.email();
                try {
                    transport.send(e.recipients(), e.subject(), e.body());
                    outbox.markSent(q.tenantId(), e.id(), clock.instant());
                    sent++;
                } catch (Exception ex) {
                    LOG.warn("Sending email {} failed (attempt {})", e.id(), e.attempts() + 1, ex);
                    outbox.markAttemptFailed(q.tenantId(), e.id(), String.valueOf(ex.getMessage()), e.attempts() + 1 >= MAX_ATTEMPTS);
                }
            }
            return sent;
        });
    }
}
