package dev.accrue.app.mail;

import java.util.List;

/** One message as handed to a {@link MailTransport}: a text part, an optional HTML part, attachments. */
public record MailMessage(String id, List<String> to, String subject, String text, String html, List<Attachment> attachments) {
    public record Attachment(String filename, String contentType, byte[] content) {
    }
}
