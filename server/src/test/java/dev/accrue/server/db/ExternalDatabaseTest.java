package dev.accrue.server.db;

import dev.accrue.server.support.Unique;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ACCRUE_DB_URL points a node at an existing PostgreSQL instead of starting the embedded one. */
class ExternalDatabaseTest {

    @Test
    void aNodeUsesTheConfiguredPostgresAndSharesItsState() throws Exception {
        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();
        Path emptyDir = Files.createTempDirectory("accrue-external-");
        AccrueConfig config = new AccrueConfig("127.0.0.1", 0, emptyDir, url, "postgres", "postgres", 4);
        var tenant = TestNode.get().newTenant("external");
        try (Accrue second = Accrue.open(config, Clock.systemUTC())) {
            assertThat(second.services().tenants().find(tenant.id())).isPresent();
            var customers = second.services().customers().list(Caller.operator(tenant.id()), CustomerQuery.all(), PageRequest.first(10));
            assertThat(customers.items()).isEmpty();
            assertThat(second.services().tenants().create("made by second node " + Unique.suffix(), TenantMode.SANDBOX).tenant().id()).startsWith("ten_");
        }
        assertThat(emptyDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void configurationFailsFastOnAnInvalidUrl() {
        assertThatThrownBy(() -> new AccrueConfig("127.0.0.1", 0, Path.of("data"), "mysql://x", "u", "p", 4))
                .hasMessageContaining("PostgreSQL JDBC URL");
        assertThatThrownBy(() -> AccrueConfig.fromEnvironment(java.util.Map.of("ACCRUE_PORT", "eighty")))
                .hasMessageContaining("ACCRUE_PORT must be a number");
    }
}
