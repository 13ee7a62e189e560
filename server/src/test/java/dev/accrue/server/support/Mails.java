package dev.accrue.server.support;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reading received MIME messages: the text and HTML parts, and the attachments. */
public final class Mails {
    private Mails() {
    }

    public record Attachment(String filename, String contentType, byte[] content) {
    }

    public static String text(MimeMessage m) {
        return part(m, "text/plain");
    }

    public static String html(MimeMessage m) {
        return part(m, "text/html");
    }

    public static List<Attachment> attachments(MimeMessage m) {
        List<Attachment> out = new ArrayList<>();
        try {
            walk(m, p -> {
                if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                    try (InputStream in = p.getInputStream()) {
                        out.add(new Attachment(p.getFileName(), p.getContentType(), in.readAllBytes()));
                    }
                }
                return false;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static List<String> attachmentNames(MimeMessage m) {
        return attachments(m).stream().map(Attachment::filename).toList();
    }

    /** Messages received by the test SMTP server for {@code recipient}. */
    public static List<MimeMessage> to(String recipient) {
        return Arrays.stream(TestNode.get().smtp().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private interface Visitor {
        boolean visit(Part p) throws Exception;
    }

    private static String part(MimeMessage m, String type) {
        StringBuilder found = new StringBuilder();
        try {
            walk(m, p -> {
                if (p.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) && found.isEmpty()) {
                    found.append(p.getContent().toString());
                    return true;
                }
                return false;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return found.isEmpty() ? null : found.toString();
    }

    private static void walk(Part p, Visitor v) throws Exception {
        if (v.visit(p)) {
            return;
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                walk(child, v);
            }
        }
    }
}
