package dev.accrue.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import javax.sql.DataSource;

/** A pooled connection to PostgreSQL, its migrations, and the JDBI entry point built on it. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    public Database(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("accrue");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        this.dataSource = new HikariDataSource(config);
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
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
        dataSource.close();
    }
}
