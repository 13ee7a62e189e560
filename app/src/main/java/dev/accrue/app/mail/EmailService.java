package dev.accrue.app.mail;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;

import java.time.Clock;
import java.util.List;

/** The outbox as the API shows it: emails with their delivery log, and resending one. */
public final class EmailService {
    private final Transactions tx;
    private final EmailOutbox outbox;
    private final Clock clock;

    public EmailService(Transactions tx, EmailOutbox outbox, Clock clock) {
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
    }

    public record EmailWithLog(OutboundEmail email, List<EmailOutbox.Attempt> attempts) {
    }

    /** A page of the outbox, newest first. */
    public Page<OutboundEmail> list(Caller caller, String customerId, String objectId, PageRequest page) {
        return Page.fromOverfetch(tx.inTransaction(() -> outbox.list(caller.tenantId(), customerId, objectId, page)), page.limit());
    }

    public EmailWithLog get(Caller caller, String id) {
        return tx.inTransaction(() -> new EmailWithLog(outbox.find(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("email", id)),
                outbox.attempts(caller.tenantId(), id)));
    }

    /**
     * Queues a copy of an email to the same recipients (or to {@code to} when given), rendered afresh from its
     * template (so a resent invoice shows its current status, e.g. paid), or with the original's text.
     */
    public OutboundEmail resend(Caller caller, String id, List<String> to) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            OutboundEmail original = outbox.find(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("email", id));
            List<String> recipients = to == null || to.isEmpty() ? original.recipients() : List.copyOf(to);
            for (String address : recipients) {
                if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    throw AccrueException.invalid("to", "'" + address + "' is not an email address");
                }
            }
            var now = clock.instant();
            boolean templated = original.template() != null;
            OutboundEmail copy = new OutboundEmail(Ids.next("eml"), original.customerId(), recipients, templated ? null : original.subject(),
                    templated ? null : original.body(), templated ? null : original.htmlBody(), original.template(), List.of(), original.objectType(),
                    original.objectId(), OutboundEmail.QUEUED, 0, null, now, now, null, original.resendOf() == null ? original.id() : original.resendOf());
            outbox.enqueue(caller.tenantId(), copy);
            return copy;
        });
    }
}
