package dev.accrue.app.mail;

import dev.accrue.app.tx.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends what the outbox holds, never inside a database transaction: due emails are claimed with SKIP LOCKED
 * and leased in one short transaction (pushed out of the due list for {@link #LEASE}), then each is rendered
 * (a read transaction of its own), handed to the transport with no transaction open, and its outcome written in
 * a last short transaction. So a slow or dead mail server holds no row lock and no pooled connection, and two
 * dispatchers never send one email at the same time. An email whose document committed is sent even if the node
 * that wrote it died right after its commit. If a node dies after the server accepted a message but before its
 * outcome is written, the lease runs out and the message is sent again: delivery is at least once, and each
 * message carries a stable Message-ID so clients can fold that rare duplicate. A failure is logged per attempt
 * and retried on the {@link RetrySchedule}.
 */
public final class MailDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MailDispatcher.class);
    /** Longer than the transport's own timeouts (connect 10 s, read and write 30 s each), so a lease never ends mid-send. */
    public static final Duration LEASE = Duration.ofMinutes(5);
    private final Transactions tx;
    private final EmailOutbox outbox;
    private final MailTransport transport;
    private final MailComposer composer;
    private final Clock clock;
    private final Counter sent = Counter.builder("accrue_email_sent").description("Emails accepted by the mail server").register(Metrics.globalRegistry);
    private final Counter failed = Counter.builder("accrue_email_failed").tag("final", "false")
            .description("Email attempts that failed (final=true: given up)").register(Metrics.globalRegistry);
    private final Counter givenUp = Counter.builder("accrue_email_failed").tag("final", "true")
            .description("Email attempts that failed (final=true: given up)").register(Metrics.globalRegistry);

    public MailDispatcher(Transactions tx, EmailOutbox outbox, MailTransport transport, MailComposer composer, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.transport = transport;
        this.composer = composer;
        this.clock = clock;
    }

    /** Sends up to {@code limit} due emails; returns how many were sent. */
    public int dispatch(int limit) {
        Instant now = clock.instant();
        List<EmailOutbox.Queued> claimed = tx.inTransaction(() -> {
            List<EmailOutbox.Queued> due = outbox.claimDue(now, limit);
            due.forEach(q -> outbox.lease(q.tenantId(), q.email().id(), now.plus(LEASE)));
            return due;
        });
        int count = 0;
        for (var q : claimed) {
            if (send(q)) {
                count++;
            }
        }
        return count;
    }

    private boolean send(EmailOutbox.Queued q) {
        OutboundEmail e = q.email();
        int attempt = e.attempts() + 1;
        try {
            MailMessage m = tx.inTransaction(() -> {
                MailMessage composed = composer.compose(q.tenantId(), e);
                if (e.template() != null && e.subject() == null) {
                    outbox.storeRendered(q.tenantId(), e.id(), composed.subject(), composed.text(), composed.html(),
                            composed.attachments().stream().map(MailMessage.Attachment::filename).toList());
                }
                return composed;
            });
            transport.send(m);
        } catch (Exception ex) {
            boolean giveUp = RetrySchedule.exhausted(attempt);
            String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            Instant at = clock.instant();
            LOG.warn("Sending email {} of tenant {} failed (attempt {}{})", e.id(), q.tenantId(), attempt,
                    giveUp ? ", giving up" : ", next at " + at.plus(RetrySchedule.delayAfter(attempt)), ex);
            tx.run(() -> {
                outbox.markAttemptFailed(q.tenantId(), e.id(), error, giveUp, at.plus(RetrySchedule.delayAfter(attempt)));
                outbox.logAttempt(q.tenantId(), e.id(), attempt, at, false, error);
            });
            (giveUp ? givenUp : failed).increment();
            return false;
        }
        Instant at = clock.instant();
        tx.run(() -> {
            outbox.markSent(q.tenantId(), e.id(), at);
            outbox.logAttempt(q.tenantId(), e.id(), attempt, at, true, "accepted by " + transport.getClass().getSimpleName());
        });
        sent.increment();
        return true;
    }
}
