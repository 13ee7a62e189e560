package dev.accrue.adapters.postgres;

import org.jdbi.v3.core.ConnectionFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Where JDBI takes its connections: the read-write pool, or — for the one handle opened inside {@link #reading} — the
 * read-only pool, whose sessions PostgreSQL itself keeps read-only ({@code default_transaction_read_only}) and which
 * run in auto-commit. A read-only unit of work there needs no BEGIN and no COMMIT: one round trip fewer per usage view.
 */
final class PooledConnections implements ConnectionFactory {
    private static final ThreadLocal<Boolean> READING = new ThreadLocal<>();
    private final DataSource readWrite;
    private final DataSource readOnly;

    PooledConnections(DataSource readWrite, DataSource readOnly) {
        this.readWrite = readWrite;
        this.readOnly = readOnly;
    }

    /** Runs {@code work}; the first connection it opens comes from the read-only pool (any later one from the read-write pool). */
    static <T> T reading(Supplier<T> work) {
        READING.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            READING.remove();
        }
    }

    @Override
    public Connection openConnection() throws SQLException {
        if (READING.get() != null) {
            READING.remove();
            return readOnly.getConnection();
        }
        return readWrite.getConnection();
    }
}
