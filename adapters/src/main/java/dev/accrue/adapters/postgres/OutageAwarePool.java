package dev.accrue.adapters.postgres;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The connection pool as the application sees it: a request that finds every connection busy keeps waiting (up
 * to {@link #BUSY_WAIT}, as a loaded but healthy database deserves), while one that finds the database
 * unreachable gives up after the pool's own connection timeout, so it can be answered 503 in seconds. HikariCP
 * tells the two apart for us: its timeout carries the last failed connection attempt as its cause when the
 * database refused or did not answer, and none when connections are merely all in use.
 */
final class OutageAwarePool implements DataSource {
    static final Duration BUSY_WAIT = Duration.ofSeconds(30);
    private final HikariDataSource pool;

    OutageAwarePool(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (true) {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException timedOut) {
                boolean databaseUnreachable = timedOut.getCause() != null;
                if (databaseUnreachable || System.nanoTime() > deadline) {
                    throw timedOut;
                }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool connects with its configured credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
