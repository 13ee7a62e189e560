package dev.accrue.adapters.mail;

import dev.accrue.app.mail.MailMessage;
import dev.accrue.app.mail.MailTransport;
import jakarta.mail.Session;
import jakarta.mail.Transport;

import java.util.Properties;

/** Sends over SMTP with Angus Mail (Jakarta Mail): STARTTLS when asked (required, not opportunistic), credentials when given. */
public final class SmtpMailTransport implements MailTransport {
    private final Session session;
    private final String from;
    private final String user;
    private final String password;

    public SmtpMailTransport(String host, int port, String from, String user, String password, boolean startTls) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.auth", String.valueOf(user != null));
        p.put("mail.smtp.starttls.enable", String.valueOf(startTls));
        p.put("mail.smtp.starttls.required", String.valueOf(startTls));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "30000");
        p.put("mail.smtp.writetimeout", "30000");
        this.session = Session.getInstance(p);
        this.from = from;
        this.user = user;
        this.password = password;
    }

    @Override
    public void send(MailMessage message) throws Exception {
        var mime = MimeMessages.build(session, from, message);
        if (user == null) {
            Transport.send(mime);
        } else {
            Transport.send(mime, user, password);
        }
    }
}
