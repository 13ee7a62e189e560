package dev.accrue.app.mail;

import java.util.List;

/** Sends one message (SMTP in production and in tests). Throws when the server refuses it. */
public interface MailTransport {
    void send(List<String> to, String subject, String body) throws Exception;
}
