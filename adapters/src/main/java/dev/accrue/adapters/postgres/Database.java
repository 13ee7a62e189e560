package dev.accrue.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import javax.sql.DataSource;

/**
 * A pooled connection to PostgreSQL, its migrations, and the JDBI entry point built on it. With the database
 * gone, a request gets no connection after {@code timeoutMillis} (and is answered {@code 503}); with every
 * connection merely busy it waits longer ({@link OutageAwarePool}). The pool connects again by itself once
 * the database is back.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final HikariDataSource readPool;
    private final DataSource dataSource;
    private final Jdbi jdbi;

    public Database(String jdbcUrl, String user, String password, int poolSize, long timeoutMillis) {
        this.pool = new HikariDataSource(config(jdbcUrl, user, password, "accrue", poolSize, timeoutMillis));
        // reads that may run outside a transaction (usage views): PostgreSQL refuses any write on these sessions, which is
        // what lets a unit of work there remember what it read (JdbiTransactions.readOnly); opened on demand, up to as many as the read-write pool
        HikariConfig reads = config(jdbcUrl, user, password, "accrue-read", poolSize, timeoutMillis);
        reads.addDataSourceProperty("options", "-c default_transaction_read_only=on");
        reads.setReadOnly(true); // marks the connections, so a unit of work can tell which pool it got
        reads.setMinimumIdle(1);
        this.readPool = new HikariDataSource(reads);
        this.dataSource = new OutageAwarePool(pool);
        this.jdbi = Jdbi.create(new PooledConnections(dataSource, new OutageAwarePool(readPool))).installPlugin(new PostgresPlugin());
    }

    private static HikariConfig config(String jdbcUrl, String user, String password, String name, int poolSize, long timeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(name);
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(1000, timeoutMillis));
        // a connection attempt to a host that drops packets gives up in time too (seconds, at least 1)
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, timeoutMillis / 1000)));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }

    /** The pool's own metrics (hikaricp_connections_active, _pending, _timeout_total, …) into {@code registry}. */
    public void recordMetricsTo(MeterRegistry registry) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        readPool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    /** Applies pending migrations; returns how many ran. Safe to call on every start and from several nodes. */
    public int migrate() {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate().migrationsExecuted;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        readPool.close();
        pool.close();
    }
}
