package dev.accrue.app.mail;

/** Hands one message over (SMTP, or .eml files when no server is configured). Throws when it is refused. */
public interface MailTransport {
    void send(MailMessage message) throws Exception;
}
