package dev.accrue.adapters.mail;

import dev.accrue.app.mail.MailMessage;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Builds the MIME form of a {@link MailMessage}: text only, or multipart/mixed of a multipart/alternative
 * (text, HTML) and the attachments. The Message-ID is derived from the outbox id, so a message that is
 * ever sent twice (a crash after the server accepted it) is recognisably the same message.
 */
final class MimeMessages {
    private MimeMessages() {
    }

    static MimeMessage build(Session session, String from, MailMessage m) throws MessagingException {
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + m.id() + "@accrue>");
            }
        };
        mime.setFrom(new InternetAddress(from));
        for (String address : m.to()) {
            mime.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        mime.setSubject(m.subject(), "UTF-8");
        if (m.html() == null && m.attachments().isEmpty()) {
            mime.setText(m.text(), "UTF-8");
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(m.text(), "UTF-8");
            alternative.addBodyPart(text);
            if (m.html() != null) {
                MimeBodyPart html = new MimeBodyPart();
                html.setText(m.html(), "UTF-8", "html");
                alternative.addBodyPart(html);
            }
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (MailMessage.Attachment a : m.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
                part.setFileName(a.filename());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            mime.setContent(mixed);
        }
        mime.saveChanges();
        return mime;
    }
}
