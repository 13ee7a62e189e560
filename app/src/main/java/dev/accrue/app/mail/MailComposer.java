package dev.accrue.app.mail;

/** Renders a queued email into the message to send (templates, attachments), inside the dispatcher's transaction. */
public interface MailComposer {
    MailMessage compose(String tenantId, OutboundEmail email);
}
