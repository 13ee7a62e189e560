package dev.accrue.adapters.mail;

import dev.accrue.app.mail.MailTransport;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.List;
import java.util.Properties;

/** Sends plain-text email over SMTP with Angus Mail (Jakarta Mail). */
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
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        this.session = Session.getInstance(p);
        this.from = from;
        this.user = user;
        this.password = password;
    }

    @Override
    public void send(List<String> to, String subject, String body) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        for (String address : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        if (user == null) {
            Transport.send(m);
        } else {
            Transport.send(m, user, password);
        }
    }
}
