package dev.accrue.app.web;

import dev.accrue.app.tx.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Browser sessions of the portal and the console: opened after a link or a password, found by the cookie's secret. */
public final class WebSessions {
    private final Transactions tx;
    private final WebSessionRepository sessions;
    private final Clock clock;

    public WebSessions(Transactions tx, WebSessionRepository sessions, Clock clock) {
        this.tx = tx;
        this.sessions = sessions;
        this.clock = clock;
    }

    public record Opened(String secret, WebSession session, Duration lifetime) {
    }

    /** Opens a session lasting {@code lifetime}; the returned secret is the cookie value and is not stored. */
    public Opened open(String tenantId, String kind, String subjectId, String email, String role, String locale, String returnUrl, Duration lifetime) {
        Instant now = clock.instant();
        String secret = Secrets.newToken();
        WebSession session = new WebSession(tenantId, kind, subjectId, email, role, Secrets.newToken(), locale, returnUrl, now.plus(lifetime));
        tx.inTransaction(() -> {
            sessions.deleteExpired(now);
            sessions.insert(Secrets.hash(secret), session, now);
            return null;
        });
        return new Opened(secret, session, lifetime);
    }

    public Optional<WebSession> find(String kind, String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) {
            return Optional.empty();
        }
        return tx.inTransaction(() -> sessions.findLive(Secrets.hash(secret), kind, clock.instant()));
    }

    /** Ends every session of a subject; runs in the caller's transaction, so it commits with the change that requires it. */
    public int closeAll(String tenantId, String kind, String subjectId) {
        return tx.inTransaction(() -> sessions.deleteForSubject(tenantId, kind, subjectId));
    }

    public void close(String secret) {
        if (secret != null && secret.length() <= 100) {
            tx.inTransaction(() -> {
                sessions.delete(Secrets.hash(secret));
                return null;
            });
        }
    }
}
