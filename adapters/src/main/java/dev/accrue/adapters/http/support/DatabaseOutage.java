package dev.accrue.adapters.http.support;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * Tells a database outage from a bug: the request failed because no connection could be had (the pool gave up
 * waiting) or the connection broke under it (SQLSTATE class 08, "connection exception"), or the server is
 * shutting down, crashed or still starting (57P01-57P03). That is no bug and it passes: the request is answered
 * 503 with Retry-After instead of 500, and may be sent again (with its Idempotency-Key where money moves: a
 * connection lost while committing may have committed).
 */
final class DatabaseOutage {
    /** What a client is told to wait: about how long the node takes to get an embedded database back. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private DatabaseOutage() {
    }

    static boolean causes(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }
}
