package dev.accrue.server;

import dev.accrue.adapters.mail.SmtpMailTransport;

import java.util.Map;
import java.util.Optional;

/**
 * Outbound SMTP from the environment: ACCRUE_SMTP_HOST (unset = no sending; emails wait in the outbox),
 * ACCRUE_SMTP_PORT (25), ACCRUE_SMTP_FROM (billing@localhost), ACCRUE_SMTP_USER / ACCRUE_SMTP_PASSWORD,
 * ACCRUE_SMTP_STARTTLS (false). Bad values fail at boot.
 */
public record MailSettings(String host, int port, String from, String user, String password, boolean startTls) {
    public static Optional<MailSettings> fromEnvironment(Map<String, String> env) {
        String host = env.get("ACCRUE_SMTP_HOST");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("ACCRUE_SMTP_PORT", "25"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ACCRUE_SMTP_PORT must be a number, got '" + env.get("ACCRUE_SMTP_PORT") + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ACCRUE_SMTP_PORT must be 1-65535, got " + port);
        }
        return Optional.of(new MailSettings(host, port, env.getOrDefault("ACCRUE_SMTP_FROM", "billing@localhost"), env.get("ACCRUE_SMTP_USER"),
                env.get("ACCRUE_SMTP_PASSWORD"), Boolean.parseBoolean(env.getOrDefault("ACCRUE_SMTP_STARTTLS", "false"))));
    }

    public SmtpMailTransport transport() {
        return new SmtpMailTransport(host, port, from, user, password, startTls);
    }

    public String describe() {
        return "SMTP " + host + ":" + port + " from " + from;
    }
}
