package dev.accrue.server.db;

import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A read-only unit of work (a usage view) runs on the read pool: a session in auto-commit, no BEGIN or COMMIT round
 * trip, which PostgreSQL itself keeps read-only — what makes remembering a read within the unit exact. A write
 * attempted inside one is refused by the database and changes nothing, and the read-write pool is untouched by it.
 */
class ReadOnlyUnitsTest {
    private final JdbiTransactions tx = TestNode.get().accrue().services().tx();

    @Test
    void aReadOnlyUnitRunsOnAReadOnlySessionInAutoCommit() {
        String[] seen = tx.readOnly(() -> {
            Handle h = tx.handle();
            return new String[] {h.createQuery("SHOW transaction_read_only").mapTo(String.class).one(), Boolean.toString(autoCommit(h))};
        });
        assertThat(seen).containsExactly("on", "true");
        // a read-write transaction afterwards is not read-only
        String after = tx.inTransaction(() -> tx.handle().createQuery("SHOW transaction_read_only").mapTo(String.class).one());
        assertThat(after).isEqualTo("off");
    }

    @Test
    void aWriteInsideAReadOnlyUnitIsRefusedByPostgresqlAndChangesNothing() {
        var tenant = TestNode.get().newTenant("read-only refusal");
        String before = name(tenant.id());
        // even a transaction opened inside the unit joins it, and PostgreSQL refuses the write (SQLSTATE 25006)
        assertThatThrownBy(() -> tx.readOnly(() -> tx.inTransaction(() -> tx.handle()
                .createUpdate("UPDATE tenants SET name = name || ' changed' WHERE id = :id").bind("id", tenant.id()).execute())))
                .hasRootCauseInstanceOf(PSQLException.class)
                .rootCause().satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThat(name(tenant.id())).isEqualTo(before);
        // the same write in a read-write transaction goes through: the refusal was the session's, not the row's
        int updated = tx.inTransaction(() -> tx.handle().createUpdate("UPDATE tenants SET name = name WHERE id = :id").bind("id", tenant.id()).execute());
        assertThat(updated).isEqualTo(1);
    }

    private String name(String tenantId) {
        return tx.inTransaction(() -> tx.handle().createQuery("SELECT name FROM tenants WHERE id = :id").bind("id", tenantId).mapTo(String.class).one());
    }

    private static boolean autoCommit(Handle h) {
        try {
            return h.getConnection().getAutoCommit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
