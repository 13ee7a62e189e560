package dev.accrue.app.web;

import java.time.Instant;
import java.util.Optional;

public interface WebSessionRepository {
    void insert(byte[] tokenHash, WebSession session, Instant createdAt);

    /** The session of {@code tokenHash} of this kind, if it has not expired at {@code now}. */
    Optional<WebSession> findLive(byte[] tokenHash, String kind, Instant now);

    void delete(byte[] tokenHash);

    /** Ends every session of one subject (a staff user whose role changed or who was deactivated); returns how many. */
    int deleteForSubject(String tenantId, String kind, String subjectId);

    /** Forgets sessions expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
