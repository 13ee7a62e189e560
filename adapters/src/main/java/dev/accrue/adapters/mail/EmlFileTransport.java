package dev.accrue.adapters.mail;

import dev.accrue.app.mail.MailMessage;
import dev.accrue.app.mail.MailTransport;
import jakarta.mail.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * With no SMTP server configured, "sending" writes each message as an RFC 822 {@code <id>.eml} file into a
 * directory (under the data directory), readable by any mail client. Written to a temporary name and
 * moved into place, so a file that exists is whole.
 */
public final class EmlFileTransport implements MailTransport {
    private final Path directory;
    private final String from;
    private final Session session = Session.getInstance(new Properties());

    public EmlFileTransport(Path directory, String from) {
        this.directory = directory;
        this.from = from;
    }

    @Override
    public void send(MailMessage message) throws Exception {
        Files.createDirectories(directory);
        Path target = directory.resolve(message.id() + ".eml");
        Path temp = directory.resolve(message.id() + ".eml.tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            MimeMessages.build(session, from, message).writeTo(out);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }
}
