package dev.accrue.server;

import dev.accrue.adapters.mail.SmtpMailTransport;

import java.util.Map;
import java.util.Optional;

/**
 * Outbound SMTP from the environment: ACCRUE_SMTP_HOST (unset = no sending; emails wait in the outbox),
 * ACCRUE_SMTP_PORT (25), ACCRUE_SMTP_FROM (billing@localhost), ACCRUE_SMTP_USER / ACCRUE_SMTP_PASSWORD,
 * ACCRUE_SMTP_STARTTLS (false; when true, TLS is required). Without a host, emails are written as .eml files under
 * the data directory. ACCRUE_MAIL_INTERVAL_SECONDS (5) is how often the outbox is sent. Bad values fail at boot.
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

    public static String from(Map<String, String> env) {
        return env.getOrDefault("ACCRUE_SMTP_FROM", "billing@localhost");
    }

    public static java.time.Duration interval(Map<String, String> env) {
        String text = env.getOrDefault("ACCRUE_MAIL_INTERVAL_SECONDS", "5");
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= 1 && seconds <= 86_400) {
                return java.time.Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("ACCRUE_MAIL_INTERVAL_SECONDS must be 1-86400, got '" + text + "'");
    }

    public SmtpMailTransport transport() {
        return new SmtpMailTransport(host, port, from, user, password, startTls);
    }

    public String describe() {
        return "SMTP " + host + ":" + port + " from " + from;
    }
}
